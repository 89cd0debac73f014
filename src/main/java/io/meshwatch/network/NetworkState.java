package io.meshwatch.network;

import io.meshwatch.event.BgpState;
import io.meshwatch.event.DownCause;
import io.meshwatch.event.FeedStateEvent;
import io.meshwatch.event.PeerStateEvent;
import io.meshwatch.routing.IpAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live state of the network's BGP sessions, built from peer-state events.
 *
 * <p>Rules: the first event for a session creates it; an event with the session's current state
 * changes nothing (duplicates and restatements are idempotent) but moves the newest event time on;
 * an event older than the newest one seen for that session is stale (a replay after a restart) and
 * is ignored; leaving {@code established} counts a flap (also when the session is reported coming
 * up again after its router rejoined: it did leave established; whether that is an outage is
 * detection's judgement, not a count).
 *
 * <p>This is the one owner of BGP session state: detection takes the sessions it reports as they
 * are ({@link io.meshwatch.shard.ShardStage}, {@code detect.SessionDetector}).
 *
 * <p>Threading: one writer (the ingest consumer) calls {@link #apply} and {@link #restore}; any
 * number of readers call the query methods concurrently. Sessions are immutable records in
 * concurrent maps, so a reader sees each session either before or after a change, never half.
 */
public final class NetworkState {

    /** VRF name, then peer address in numeric order (IPv4 before IPv6), as a router lists them. */
    private static final Comparator<BgpSession> ORDER =
            Comparator.comparing(BgpSession::vrf).thenComparing(BgpSession::peer, NetworkState::compareAddresses);

    private final Clock clock;
    private final Map<String, Map<SessionKey, BgpSession>> byRouter = new ConcurrentHashMap<>();
    private final Map<String, RouterFeed> feeds = new ConcurrentHashMap<>();

    public NetworkState(Clock clock) {
        this.clock = clock;
    }

    /** Applies one event; returns the change, or empty when the event changed nothing. */
    public Optional<SessionChange> apply(PeerStateEvent e) {
        SessionKey key = new SessionKey(e.router(), e.vrf(), e.peer());
        Map<SessionKey, BgpSession> sessions = byRouter.computeIfAbsent(e.router(), r -> new ConcurrentHashMap<>());
        BgpSession old = sessions.get(key);
        if (old != null && e.time().isBefore(old.lastEvent())) {
            return Optional.empty();
        }
        BgpSession next;
        if (old == null) {
            next = new BgpSession(e.router(), e.vrf(), e.peer(), e.peerAs(), e.localAs(), e.state(), e.time(),
                    e.time(), 0, e.reason(), clock.instant(), e.holdTime(), e.keepalive(), downCause(e));
        } else if (old.state() == e.state()) {
            boolean timers = e.holdTime() != null && !e.holdTime().equals(old.holdTime())
                    || e.keepalive() != null && !e.keepalive().equals(old.keepalive());
            if (old.peerAs() == e.peerAs() && !timers) {
                if (e.time().isAfter(old.lastEvent())) {
                    // a restatement: no change, but an event older than it is stale from now on
                    sessions.put(key, new BgpSession(old.router(), old.vrf(), old.peer(), old.peerAs(), old.localAs(),
                            old.state(), old.since(), e.time(), old.flaps(), old.lastReason(), old.observedAt(),
                            old.holdTime(), old.keepalive(), old.cause()));
                }
                return Optional.empty();
            }
            next = new BgpSession(old.router(), old.vrf(), old.peer(), e.peerAs(), e.localAs(), old.state(),
                    old.since(), e.time(), old.flaps(), old.lastReason(), clock.instant(),
                    e.holdTime() != null ? e.holdTime() : old.holdTime(),
                    e.keepalive() != null ? e.keepalive() : old.keepalive(), old.cause());
        } else {
            long flaps = old.flaps() + (old.state() == BgpState.ESTABLISHED ? 1 : 0);
            next = new BgpSession(old.router(), old.vrf(), old.peer(), e.peerAs(),
                    e.localAs() != null ? e.localAs() : old.localAs(), e.state(), e.time(), e.time(), flaps,
                    e.reason(), clock.instant(), e.holdTime() != null ? e.holdTime() : old.holdTime(),
                    e.keepalive() != null ? e.keepalive() : old.keepalive(), downCause(e));
        }
        sessions.put(key, next);
        return Optional.of(new SessionChange(old, next));
    }

    /**
     * Applies a router's feed state: {@code lost} marks everything held of the router stale from the
     * event's time until its feed is {@code up} again (or {@code ended} cleanly). An event older than
     * the router's current feed state is stale and ignored. Returns whether anything changed.
     */
    public boolean apply(FeedStateEvent e) {
        RouterFeed old = feeds.get(e.router());
        if (old != null && (e.time().isBefore(old.since()) || old.state().equals(e.state()))) {
            return false;
        }
        feeds.put(e.router(), new RouterFeed(e.router(), e.feed(), e.state(), e.time(), e.reason()));
        return true;
    }

    /** The router's feed as last reported, or empty when no collector reported it. */
    public Optional<RouterFeed> feed(String router) {
        return Optional.ofNullable(feeds.get(router));
    }

    /** Since when what is held of the router is stale (its feed lost), or null when it is not. */
    public java.time.Instant staleSince(String router) {
        RouterFeed f = feeds.get(router);
        return f != null && f.lost() ? f.since() : null;
    }

    /** Every router whose feed state was reported, in no order. */
    public Collection<RouterFeed> feeds() {
        return List.copyOf(feeds.values());
    }

    private static DownCause downCause(PeerStateEvent e) {
        return e.state() == BgpState.ESTABLISHED ? null : e.cause();
    }

    /** Loads sessions saved earlier (at start-up, before any event is applied). */
    public void restore(Collection<BgpSession> saved) {
        for (BgpSession s : saved) {
            byRouter.computeIfAbsent(s.router(), r -> new ConcurrentHashMap<>()).put(s.key(), s);
        }
    }

    /** Routers with at least one session, sorted by id. */
    public List<RouterSummary> routers() {
        List<RouterSummary> out = new ArrayList<>();
        byRouter.forEach((router, sessions) -> {
            int up = 0;
            for (BgpSession s : sessions.values()) {
                up += s.established() ? 1 : 0;
            }
            out.add(new RouterSummary(router, sessions.size(), up));
        });
        out.sort(Comparator.comparing(RouterSummary::router));
        return out;
    }

    /** The router's sessions sorted by VRF and peer, or empty when the router is unknown. */
    public Optional<List<BgpSession>> sessions(String router) {
        Map<SessionKey, BgpSession> sessions = byRouter.get(router);
        if (sessions == null) {
            return Optional.empty();
        }
        List<BgpSession> out = new ArrayList<>(sessions.values());
        out.sort(ORDER);
        return Optional.of(out);
    }

    /** IPv4 before IPv6, then numeric; {@link IpAddress}'s own order. */
    static int compareAddresses(String a, String b) {
        return IpAddress.parse(a).compareTo(IpAddress.parse(b));
    }

    public boolean knowsRouter(String router) {
        return byRouter.containsKey(router);
    }
}
