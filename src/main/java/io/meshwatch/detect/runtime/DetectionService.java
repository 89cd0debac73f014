package io.meshwatch.detect.runtime;

import io.meshwatch.detect.DetectionEngine;
import io.meshwatch.detect.DetectionSettings;
import io.meshwatch.detect.EngineState;
import io.meshwatch.detect.PolicyRanges;
import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.event.FeedStateEvent;
import io.meshwatch.event.InterfaceCountersEvent;
import io.meshwatch.event.InterfaceStateEvent;
import io.meshwatch.inventory.Circuit;
import io.meshwatch.inventory.CircuitThresholds;
import io.meshwatch.inventory.Inventory;
import io.meshwatch.inventory.InventoryChanged;
import io.meshwatch.inventory.InventoryService;
import io.meshwatch.inventory.Tunnel;
import io.meshwatch.inventory.TunnelGroup;
import io.meshwatch.inventory.WatchedPrefix;
import io.meshwatch.network.BgpSession;
import io.meshwatch.network.NetworkState;
import io.meshwatch.network.SessionChange;
import io.meshwatch.network.SessionKey;
import io.meshwatch.network.SessionTracker;
import io.micrometer.core.instrument.MeterRegistry;
import io.meshwatch.platform.StartupOrder;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import io.meshwatch.routing.IpAddress;
import io.meshwatch.routing.Path;
import io.meshwatch.routing.Prefix;
import io.meshwatch.routing.RouteDelta;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Adapter around the plain {@link DetectionEngine}: feeds it telemetry, session changes and the
 * route table's best-path changes, wakes it exactly when its next timer is due, and hands what it
 * finds to {@link DetectionOutput}.
 *
 * <p>Threading: the engine is single-threaded by contract; the BGP consumer, the telemetry
 * consumer, the timer and API readers each enter it under one lock, held only for the call (the
 * engine does no I/O). {@link #interested} runs on the BGP writer for every delta without the
 * lock: it reads an immutable {@link Interest} swapped whole when the inventory changes.
 */
@ApplicationScoped
public class DetectionService {

    private static final Logger LOG = Logger.getLogger(DetectionService.class);

    private final ReentrantLock lock = new ReentrantLock();
    private final Event<SessionChange> sessionEvents;
    private final DetectionSettings settings;
    private final DetectionOutput output;
    private final Clock clock;
    private DetectionEngine engine; // replaced whole by restore and standDown, under the lock
    private final Vertx vertx;
    private volatile Interest interest = Interest.of(Inventory.empty(), false);
    private long timerId = -1;
    private Instant timerAt;

    private final InventoryService inventories;

    private final StateGauges gauges;
    private final NetworkState network;

    public DetectionService(Clock clock, DetectConfig config, Vertx vertx, DetectionOutput output,
                            InventoryService inventories, MeterRegistry registry, SessionTracker sessions,
                            Event<SessionChange> sessionEvents) {
        this.sessionEvents = sessionEvents;
        this.gauges = new StateGauges(registry, this);
        this.network = sessions.state();
        this.clock = clock;
        this.vertx = vertx;
        this.inventories = inventories;
        this.settings = settings(config);
        this.output = output;
        this.engine = new DetectionEngine(clock, settings, output);
        this.interest = Interest.of(Inventory.empty(), config.anyPrefix().enabled());
    }

    /**
     * Takes the inventory in force, seeds the engine with the BGP sessions {@link NetworkState}
     * restored from the database (after {@code StartupOrder.RESTORE}; taken as already so, see
     * {@link DetectionEngine#restore}), and subscribes to best-path changes, all before the consumers
     * start.
     */
    void start(@Observes @Priority(StartupOrder.RESTORE + 5) StartupEvent ev) {
        inventory(inventories.current());
        List<BgpSession> restored = restored(network);
        int taken = call(e -> e.restore(restored)); // under the lock, like every call into the engine
        LOG.infof("Detection seeded with %d restored BGP sessions (%d established)", taken,
                restored.stream().filter(BgpSession::established).count());
        restored.forEach(this::sessionGauge);
    }

    /** Every session the network state knows, by router. */
    static List<BgpSession> restored(NetworkState network) {
        List<BgpSession> out = new ArrayList<>();
        for (var router : network.routers()) {
            out.addAll(network.sessions(router.router()).orElse(List.of()));
        }
        return out;
    }

    void inventoryChanged(@Observes InventoryChanged changed) {
        inventory(changed.inventory());
    }

    static DetectionSettings settings(DetectConfig c) {
        try {
            return fromConfig(c);
        } catch (IllegalArgumentException e) {
            // "feedSilence must not be negative, was PT-1S" names the property meshwatch.detect.feed-silence
            String m = String.valueOf(e.getMessage());
            int space = m.indexOf(' ');
            String name = space > 0 ? m.substring(0, space).replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase() : "";
            throw new io.meshwatch.platform.StartupFailure("meshwatch.detect." + name + ": " + m.substring(space + 1));
        }
    }

    private static DetectionSettings fromConfig(DetectConfig c) {
        return new DetectionSettings(c.sessionDownDwell(), c.flapTransitions(), c.flapWindow(), c.flapQuiet(),
                c.prefixDebounce(), c.anyPrefix().enabled(), c.anyPrefix().severity(), c.anyPrefix().maxTracked(),
                c.backupTrafficBytes(), c.defaultFailoverObjective(), CircuitThresholds.defaults(),
                c.correlationWindow(), c.incidentHistory(), c.resolveHoldDown(), c.convergence(),
                c.pathSelectionAllowance(), c.feedSilence(), c.neverUpAfter());
    }

    /** Replaces the inventory the detectors work with. */
    public void inventory(Inventory inventory) {
        interest = Interest.of(inventory, settings.anyPrefixUnreachable());
        call(e -> {
            e.inventory(inventory);
            return null;
        });
        gauges.inventory(inventory);
    }

    /** Telemetry events of one batch, in partition order. */
    public void telemetry(List<CanonicalEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        call(e -> {
            for (CanonicalEvent ev : events) {
                e.event(ev);
            }
            return null;
        });
    }

    /** The part of a batch's feed changes that stays with the instance owning the router: its gauges. */
    public void observedFeeds(List<FeedStateEvent> events) {
        for (FeedStateEvent e : events) {
            String router = e.router();
            gauges.feed(router, () -> network.staleSince(router));
        }
    }

    /** Feed-state changes of a batch's routers ({@code bgp.feed_state}), in order. */
    public void feeds(List<FeedStateEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        call(e -> {
            for (FeedStateEvent ev : events) {
                e.feed(ev);
            }
            return null;
        });
    }

    /** Session changes of one BGP batch, in order, before the batch's route changes. */
    public void sessions(List<SessionChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        call(e -> {
            for (SessionChange c : changes) {
                if (c.stateChanged()) {
                    e.session(c);
                }
            }
            return null;
        });
        observed(changes);
    }

    /**
     * The part of a batch's session changes that stays with the instance that owns the router: its
     * session gauges and the live stream's session changes (in facts mode the judging is the owner's).
     */
    public void observed(List<SessionChange> changes) {
        for (SessionChange c : changes) {
            if (c.before() == null) {
                sessionGauge(c.after());
            }
        }
        for (SessionChange c : changes) {
            if (c.stateChanged()) {
                sessionEvents.fire(c); // observed by the live stream and the session history
            }
        }
    }

    /** Sessions whose state changed, as the facts topic carries them (the detection owner). */
    public void judgeSessions(List<BgpSession> after) {
        if (after.isEmpty()) {
            return;
        }
        call(e -> {
            for (BgpSession s : after) {
                e.session(s);
            }
            return null;
        });
    }

    private void sessionGauge(BgpSession s) {
        SessionKey key = s.key();
        gauges.session(s, () -> network.sessions(key.router()).orElse(List.of()).stream()
                .anyMatch(o -> o.key().equals(key) && o.established()),
                () -> network.sessions(key.router()).orElse(List.of()).stream().filter(o -> o.key().equals(key))
                        .mapToLong(BgpSession::flaps).findFirst().orElse(0));
    }

    /** Whether a best-path change can matter to detection (see {@link Interest}). */
    public boolean interested(String router, RouteDelta d) {
        return interest.wants(router, d);
    }

    /**
     * Whether a telemetry event can matter to detection: interface state and counters only on a
     * circuit's A-end (the engine reads no other interface); everything else is judged by the engine.
     */
    public boolean interested(CanonicalEvent e) {
        return interest.wants(e);
    }

    /** Best-path changes one event caused on a router's table. */
    public void deltas(String router, Instant eventTime, List<RouteDelta> deltas) {
        call(e -> {
            e.routeDeltas(router, deltas, eventTime);
            return null;
        });
    }

    /** The engine's whole state now (the detection owner's checkpoint). */
    public EngineState checkpoint() {
        return call(DetectionEngine::checkpoint);
    }

    /**
     * Goes on from a checkpoint: the engine is replaced by one restored from {@code state} under the
     * inventory in force (what is gone since is retired, as a live engine would on that change). Emits
     * nothing for the restore itself; deadlines already due fire at the next timer.
     *
     * @throws IllegalArgumentException when the state cannot be restored (the engine is left as it was)
     */
    public void restore(EngineState state) {
        Inventory current = inventories.current();
        DetectionEngine restored = DetectionEngine.restore(clock, settings, output, current, state);
        lock.lock();
        try {
            engine = restored;
            engine.inventory(current);
            reschedule();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Leaves detection to another instance: the engine is replaced by an empty one under the
     * inventory in force, so that nothing left here (a timer, a signal) speaks for the deployment.
     */
    public void standDown() {
        lock.lock();
        try {
            engine = new DetectionEngine(clock, settings, output);
            engine.inventory(inventories.current());
            reschedule();
        } finally {
            lock.unlock();
        }
    }

    /** Runs a read against the engine (its read models return immutable snapshots). */
    public <T> T read(Function<DetectionEngine, T> query) {
        return call(query);
    }

    private <T> T call(Function<DetectionEngine, T> f) {
        lock.lock();
        try {
            T out = f.apply(engine);
            reschedule();
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Keeps exactly one timer, at the engine's next deadline (lock held). */
    private void reschedule() {
        Instant next = engine.nextDeadline().orElse(null);
        if (next == null || next.equals(timerAt)) {
            return;
        }
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
        long delay = Math.max(1, Duration.between(clock.instant(), next).toMillis() + 1);
        timerAt = next;
        timerId = vertx.setTimer(delay, id -> {
            lock.lock();
            try {
                if (id == timerId) {
                    timerId = -1;
                    timerAt = null;
                }
            } finally {
                lock.unlock();
            }
            try {
                call(e -> {
                    e.tick();
                    return null;
                });
            } catch (RuntimeException ex) {
                LOG.errorf(ex, "Detection timer failed");
            }
        });
    }

    /**
     * Which best-path changes the engine needs: those of watched prefixes, those whose old or new
     * best path came over a tunnel's BGP session, and with any-prefix watching every loss or
     * first path. Immutable.
     */
    record Interest(Set<Prefix> watched, Map<String, Set<IpAddress>> tunnelPeers, boolean anyPrefix,
                    Set<String> aEnds, PolicyRanges policies) {

        static Interest of(Inventory inv, boolean anyPrefix) {
            Set<Prefix> watched = new HashSet<>();
            for (WatchedPrefix w : inv.prefixes()) {
                watched.add(Prefix.parse(w.prefix()));
            }
            Map<String, Set<IpAddress>> peers = new HashMap<>();
            for (TunnelGroup g : inv.tunnelGroups()) {
                for (Tunnel t : g.tunnels()) {
                    if (t.session() != null) {
                        peers.computeIfAbsent(t.session().router(), r -> new HashSet<>())
                                .add(IpAddress.parse(t.session().peer()));
                    }
                }
            }
            Set<String> aEnds = new HashSet<>();
            for (Circuit c : inv.circuits()) {
                if (c.a() != null && c.a().router() != null) {
                    aEnds.add(c.a().router() + '\0' + c.a().iface());
                }
            }
            return new Interest(Set.copyOf(watched), Map.copyOf(peers), anyPrefix, Set.copyOf(aEnds),
                    PolicyRanges.of(inv));
        }

        boolean wants(CanonicalEvent e) {
            if (e instanceof InterfaceStateEvent i) {
                return aEnds.contains(i.router() + '\0' + i.iface());
            }
            if (e instanceof InterfaceCountersEvent c) {
                return aEnds.contains(c.router() + '\0' + c.iface());
            }
            return true;
        }

        boolean wants(String router, RouteDelta d) {
            if (anyPrefix && (d.oldBest() == null || d.newBest() == null)) {
                return true;
            }
            if (!watched.isEmpty() && watched.contains(d.prefix())) {
                return true;
            }
            if (policies.judges(d.vrf(), d.prefix())) {
                return true; // a route policy's range: its more-specifics too
            }
            Set<IpAddress> peers = tunnelPeers.get(router);
            return peers != null && (via(d.oldBest(), peers) || via(d.newBest(), peers));
        }

        private static boolean via(Path p, Set<IpAddress> peers) {
            return p != null && p.peer() != null && peers.contains(p.peer().address());
        }
    }
}
