package io.meshwatch.network;

import io.meshwatch.event.BgpState;
import java.time.Instant;

/**
 * What Meshwatch knows of one BGP session. Immutable; {@link NetworkState} replaces it on change.
 *
 * @param since      when the session entered {@code state}, in the router's time
 * @param lastEvent  time of the newest event applied; older events are stale and ignored
 * @param flaps      how many times the session left {@code established}
 * @param observedAt when Meshwatch applied the newest change, by its own clock
 */
public record BgpSession(String router, String vrf, String peer, long peerAs, Long localAs, BgpState state,
                         Instant since, Instant lastEvent, long flaps, String lastReason, Instant observedAt) {

    public SessionKey key() {
        return new SessionKey(router, vrf, peer);
    }

    public boolean established() {
        return state == BgpState.ESTABLISHED;
    }
}
