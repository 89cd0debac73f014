package io.meshwatch.network;

import io.meshwatch.event.BgpState;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/** Row of {@code bgp_session}: the persisted copy of a {@link BgpSession}. */
@Entity
@Table(name = "bgp_session")
@IdClass(BgpSessionEntity.Key.class)
public class BgpSessionEntity {

    @Id
    public String router;
    @Id
    public String vrf;
    @Id
    public String peer;
    @Column(name = "peer_as")
    public long peerAs;
    @Column(name = "local_as")
    public Long localAs;
    public String state;
    public Instant since;
    @Column(name = "last_event")
    public Instant lastEvent;
    public long flaps;
    @Column(name = "last_reason")
    public String lastReason;
    @Column(name = "observed_at")
    public Instant observedAt;

    static BgpSessionEntity of(BgpSession s) {
        BgpSessionEntity e = new BgpSessionEntity();
        e.router = s.router();
        e.vrf = s.vrf();
        e.peer = s.peer();
        e.peerAs = s.peerAs();
        e.localAs = s.localAs();
        e.state = s.state().wire();
        e.since = s.since();
        e.lastEvent = s.lastEvent();
        e.flaps = s.flaps();
        e.lastReason = s.lastReason();
        e.observedAt = s.observedAt();
        return e;
    }

    BgpSession toSession() {
        BgpState st = BgpState.fromWire(state.toLowerCase(Locale.ROOT));
        return new BgpSession(router, vrf, peer, peerAs, localAs, st == null ? BgpState.IDLE : st, since, lastEvent,
                flaps, lastReason, observedAt);
    }

    /** Composite key (router, vrf, peer). */
    public static class Key implements Serializable {
        public String router;
        public String vrf;
        public String peer;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(router, k.router) && Objects.equals(vrf, k.vrf)
                    && Objects.equals(peer, k.peer);
        }

        @Override
        public int hashCode() {
            return Objects.hash(router, vrf, peer);
        }
    }
}
