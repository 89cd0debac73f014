package io.meshwatch.shard;

import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.event.FeedStateEvent;
import io.meshwatch.event.PeerStateEvent;
import io.meshwatch.network.NetworkState;
import io.meshwatch.network.SessionChange;
import io.meshwatch.rib.RibService;
import io.meshwatch.rib.RouteChange;
import io.meshwatch.routing.RouteDelta;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiPredicate;

/**
 * The shard stage as one plain step: a batch of one shard's events in, what it changed out. It owns
 * the state that stays with the instance owning a router: the BGP sessions ({@link NetworkState},
 * the one place where a peer-state event is judged stale, a restatement or a change) and the route
 * tables ({@link RibService}).
 *
 * <p>A step applies the batch's peer-state events to the sessions first, then every BGP event to
 * the route tables, so the session changes of a batch come before the route changes they cause.
 * Telemetry passes through untouched: this stage keeps no telemetry state (detection judges it). A
 * router's feed state ({@code bgp.feed_state}: its collector connection up, ended or lost) is kept by
 * {@link NetworkState} (what is held of a router whose feed is lost is stale) and the changes are
 * passed on to detection in {@link Step#feeds()}.
 *
 * <p>The caller (the Kafka adapter) publishes the {@link Step} (to detection in process or as facts)
 * and acknowledges the batch; this class knows nothing of Kafka, PostgreSQL or detection beyond the
 * interest predicate it is given.
 *
 * <p>Threading: single writer. Every call comes from the one thread (or Vert.x context) that owns
 * the shard's partitions; the state it writes is read concurrently by the API through the
 * owners' own concurrent structures.
 */
public final class ShardStage {

    /**
     * What one step changed.
     *
     * @param sessions  sessions created or changed (state, peer AS or timers), in event order
     * @param routes    best-path changes the interest predicate accepted, per event, in event order
     * @param telemetry the batch's telemetry events, in partition order
     * @param feeds     the feed-state events that changed a router's feed ({@code bgp.feed_state}), in
     *                  partition order
     */
    public record Step(List<SessionChange> sessions, List<RouteChange> routes, List<CanonicalEvent> telemetry,
                       List<FeedStateEvent> feeds) {

        public static final Step EMPTY = new Step(List.of(), List.of(), List.of(), List.of());

        public Step {
            sessions = List.copyOf(sessions);
            routes = List.copyOf(routes);
            telemetry = List.copyOf(telemetry);
            feeds = List.copyOf(feeds);
        }

        public Step(List<SessionChange> sessions, List<RouteChange> routes, List<CanonicalEvent> telemetry) {
            this(sessions, routes, telemetry, List.of());
        }

        public boolean isEmpty() {
            return sessions.isEmpty() && routes.isEmpty() && telemetry.isEmpty() && feeds.isEmpty();
        }
    }

    private final NetworkState sessions;
    private final RibService tables;
    private final BiPredicate<String, RouteDelta> interest;

    /**
     * @param interest which best-path changes matter downstream (detection's interest); asked once
     *                 per change, so it must be a cheap look-up
     */
    public ShardStage(NetworkState sessions, RibService tables, BiPredicate<String, RouteDelta> interest) {
        this.sessions = Objects.requireNonNull(sessions);
        this.tables = Objects.requireNonNull(tables);
        this.interest = Objects.requireNonNull(interest);
    }

    /** Applies a batch: its BGP events (in partition order) and its telemetry events. */
    public Step apply(List<CanonicalEvent> bgp, List<CanonicalEvent> telemetry) {
        if (bgp.isEmpty()) {
            return telemetry.isEmpty() ? Step.EMPTY : new Step(List.of(), List.of(), telemetry);
        }
        List<SessionChange> changed = sessions(bgp);
        List<FeedStateEvent> feeds = feeds(bgp);
        return new Step(changed, tables.apply(bgp, interest), telemetry, feeds);
    }

    /**
     * Applies BGP events to the state without collecting route changes: records a previous owner
     * of the partition already applied and reported (a replay after a restore), whose route changes
     * are no news to anyone. The session changes are still returned (they are few).
     */
    public Step rebuild(List<CanonicalEvent> bgp) {
        if (bgp.isEmpty()) {
            return Step.EMPTY;
        }
        List<SessionChange> changed = sessions(bgp);
        List<FeedStateEvent> feeds = feeds(bgp);
        tables.apply(bgp);
        return new Step(changed, List.of(), List.of(), feeds);
    }

    private List<FeedStateEvent> feeds(List<CanonicalEvent> bgp) {
        List<FeedStateEvent> changed = null;
        for (CanonicalEvent e : bgp) {
            if (e instanceof FeedStateEvent f && sessions.apply(f)) {
                if (changed == null) {
                    changed = new ArrayList<>();
                }
                changed.add(f);
            }
        }
        return changed == null ? List.of() : changed;
    }

    private List<SessionChange> sessions(List<CanonicalEvent> bgp) {
        List<SessionChange> changed = new ArrayList<>();
        for (CanonicalEvent e : bgp) {
            if (e instanceof PeerStateEvent p) {
                sessions.apply(p).ifPresent(changed::add);
            }
        }
        return changed;
    }
}
