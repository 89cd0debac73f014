package io.meshwatch.network;

import io.meshwatch.event.BgpState;
import io.meshwatch.event.DownCause;
import java.time.Instant;

/**
 * What Meshwatch knows of one BGP session. Immutable; {@link NetworkState} replaces it on change.
 *
 * @param since      when the session entered {@code state}, in the router's time
 * @param lastEvent  time of the newest event applied; older events are stale and ignored
 * @param flaps      how many times the session left {@code established}
 * @param observedAt when Meshwatch applied the newest change, by its own clock
 * @param holdTime   the negotiated hold time (seconds) last reported with {@code established}, or null
 * @param keepalive  the peer's keepalive interval (seconds) last reported, or null
 * @param cause      why the session last closed, when the source said; null while established
 */
public record BgpSession(String router, String vrf, String peer, long peerAs, Long localAs, BgpState state,
                         Instant since, Instant lastEvent, long flaps, String lastReason, Instant observedAt,
                         Integer holdTime, Integer keepalive, DownCause cause) {

    /** A session without timers or a closing cause. */
    public BgpSession(String router, String vrf, String peer, long peerAs, Long localAs, BgpState state,
                      Instant since, Instant lastEvent, long flaps, String lastReason, Instant observedAt) {
        this(router, vrf, peer, peerAs, localAs, state, since, lastEvent, flaps, lastReason, observedAt, null, null,
                null);
    }

    public SessionKey key() {
        return new SessionKey(router, vrf, peer);
    }

    public boolean established() {
        return state == BgpState.ESTABLISHED;
    }
}
