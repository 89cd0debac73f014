package io.meshwatch.history;

import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.rib.PartitionSnapshot;
import io.meshwatch.rib.RibService;
import io.meshwatch.rib.RibService.RouterImage;
import io.meshwatch.rib.RouteChange;
import io.meshwatch.routing.RouteDelta;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import io.meshwatch.routing.RouteTable;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;

/**
 * One router's table rebuilt from a snapshot image and the router's later events, with the live
 * rules ({@link RibService}), in a private table. Events of other routers are ignored. Bounded: more
 * than {@code maxPaths} received paths stops the rebuild with {@link TooLarge}.
 *
 * <p>Plain Java; one thread.
 */
public final class Rebuild {

    private static final int CHECK_EVERY = 1024;

    private final String router;
    private final RibService rib;
    private final long maxPaths;
    private long applied;
    /** Who listens to the best-path changes, and which each wants. */
    private record Watcher(BiPredicate<String, RouteDelta> wanted, Consumer<RouteChange> changes) {
    }

    private final List<Watcher> watchers = new java.util.ArrayList<>();

    /**
     * @param image the router's image in the snapshot, or null when the snapshot has none (an empty start)
     * @param clock the clock of the rebuilt table (times recorded for peers and End-of-RIB)
     */
    public Rebuild(String router, RouterImage image, Clock clock, long maxPaths) {
        this.router = router;
        this.maxPaths = maxPaths;
        this.rib = new RibService(clock, new SimpleMeterRegistry());
        if (image != null) {
            rib.replace(List.of(), List.of(image));
        }
        check();
    }

    /**
     * Hands the best-path changes the following events cause, those {@code wanted} accepts, to
     * {@code changes} (before the first event). Several may watch one rebuild: each gets the changes
     * it wants.
     */
    public void watch(BiPredicate<String, RouteDelta> wanted, Consumer<RouteChange> changes) {
        watchers.add(new Watcher(wanted, changes));
    }

    /** Applies the event if it is this router's. */
    public void accept(CanonicalEvent e) {
        if (!router.equals(e.router())) {
            return;
        }
        if (watchers.isEmpty()) {
            rib.apply(List.of(e));
        } else if (watchers.size() == 1) {
            rib.apply(List.of(e), watchers.get(0).wanted()).forEach(watchers.get(0).changes());
        } else {
            for (RouteChange c : rib.apply(List.of(e), (r, d) -> watchers.stream().anyMatch(w -> w.wanted().test(r, d)))) {
                for (Watcher w : watchers) {
                    List<RouteDelta> mine = c.deltas().stream().filter(d -> w.wanted().test(c.router(), d)).toList();
                    if (!mine.isEmpty()) {
                        w.changes().accept(new RouteChange(c.router(), c.eventTime(), mine));
                    }
                }
            }
        }
        if (++applied % CHECK_EVERY == 0) {
            check();
        }
    }

    /** Number of this router's events applied. */
    public long applied() {
        return applied;
    }

    /** The table as rebuilt so far, without the bound check; null when the router has none yet. */
    public RouteTable current() {
        return rib.table(router).orElse(null);
    }

    /** The rebuilt table (checked against the bound once more); null when the router had none. */
    public RouteTable table() {
        check();
        return rib.table(router).orElse(null);
    }

    private void check() {
        RouteTable t = rib.table(router).orElse(null);
        if (t != null) {
            long paths = PartitionSnapshot.paths(t);
            if (paths > maxPaths) {
                throw new TooLarge("the rebuilt table of router '" + router + "' holds more than " + maxPaths
                        + " received paths (meshwatch.rib.history.max-paths); ask about a router with fewer paths "
                        + "or raise the bound");
            }
        }
    }
}
