package io.meshwatch.sim;

import io.meshwatch.testing.ManualClock;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.event.BgpUpdateEvent;
import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.event.EventCodec;
import io.meshwatch.event.PeerStateEvent;
import io.meshwatch.event.ProbeResultEvent;
import io.meshwatch.event.RejectedRecordException;
import io.meshwatch.event.TunnelStateEvent;
import io.meshwatch.inventory.Inventory;
import io.meshwatch.network.BgpSession;
import io.meshwatch.network.NetworkState;
import io.meshwatch.rib.RibService;
import io.meshwatch.routing.Afi;
import io.meshwatch.routing.BestRoute;
import io.meshwatch.routing.IpAddress;
import io.meshwatch.routing.Path;
import io.meshwatch.routing.RouteTable;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A simulator on a clock the test moves, whose every event is encoded to canonical JSON, decoded
 * and validated again by the real {@link EventCodec}, and applied to the real route tables
 * ({@link RibService}) and session state ({@link NetworkState}): what the service would hold.
 */
final class SimHarness {

    static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");

    /** Demo-mode timers (the dev profile's): 6 s hold time, 3 s dead-peer detection, few extra prefixes. */
    static SimSettings demo() {
        return SimSettings.defaults().withTimers(Duration.ofSeconds(6), Duration.ofSeconds(3)).withExtraPrefixes(20)
                .withChurn(0);
    }

    static Inventory demoInventory() {
        return SimInventory.load(SimInventory.DEMO);
    }

    final ManualClock clock = new ManualClock(T0);
    final SimNetwork net;
    final SimSettings settings;
    final ScenarioRuns runs = new ScenarioRuns();
    final ScenarioPlanner planner;
    final Simulator sim;
    final RibService rib = new RibService(clock, new SimpleMeterRegistry());
    final NetworkState sessions = new NetworkState(clock);
    final List<CanonicalEvent> events = new ArrayList<>();
    private final EventCodec codec = new EventCodec(new ObjectMapper());
    private int runIds;

    SimHarness(SimSettings settings) {
        this(demoInventory(), settings);
    }

    SimHarness(Inventory inventory, SimSettings settings) {
        this.settings = settings;
        this.net = NetworkBuilder.build(inventory, settings);
        this.planner = new ScenarioPlanner(net, settings);
        this.sim = new Simulator(net, settings, this::accept, clock, runs);
    }

    /** Starts the network and lets it send everything due at T0. */
    SimHarness started() {
        sim.start();
        sim.runDue();
        return this;
    }

    private void accept(CanonicalEvent e) {
        CanonicalEvent decoded;
        try {
            decoded = codec.decode(codec.encode(e, "sim"), e.type().family());
        } catch (RejectedRecordException bad) {
            throw new AssertionError("the simulator wrote an event Meshwatch refuses (" + bad.reason() + "): "
                    + bad.getMessage() + "\n" + e, bad);
        }
        events.add(decoded);
        rib.apply(List.of(decoded));
        if (decoded instanceof PeerStateEvent p) {
            sessions.apply(p);
        }
    }

    /** Moves the clock to {@code T0 + offset} and does everything due. */
    SimHarness at(Duration offset) {
        Instant t = T0.plus(offset);
        if (t.isBefore(clock.instant())) {
            throw new IllegalArgumentException("time does not go back: " + t + " < " + clock.instant());
        }
        // step through every due moment so that each step's events carry its own time
        while (true) {
            Instant next = sim.nextDue();
            if (next == null || next.isAfter(t)) {
                break;
            }
            clock.set(next);
            sim.runDue();
        }
        clock.set(t);
        sim.runDue();
        return this;
    }

    SimHarness atSeconds(double s) {
        return at(Duration.ofMillis(Math.round(s * 1000)));
    }

    ScenarioPlan run(Scenario s, ScenarioRequest r) {
        ScenarioPlan plan = planner.plan(s, r, clock.instant(), s.wire() + "-" + (++runIds));
        runs.register(plan);
        sim.schedule(plan);
        sim.runDue();
        return plan;
    }

    BestRoute lookup(String router, String ip) {
        RouteTable t = rib.table(router).orElseThrow(() -> new AssertionError("no table at " + router));
        return t.longestMatch("", IpAddress.parse(ip));
    }

    List<Path> paths(String router, BestRoute best) {
        return rib.table(router).orElseThrow().paths("", best.prefix());
    }

    String bestPeer(String router, String ip) {
        BestRoute b = lookup(router, ip);
        return b == null ? null : b.path().peer().address().toString();
    }

    int prefixes(String router, Afi afi) {
        return rib.table(router).map(t -> t.prefixCount("", afi)).orElse(0);
    }

    BgpSession session(String router, String peer) {
        return sessions.sessions(router).orElseThrow().stream().filter(s -> s.peer().equals(peer)).findFirst()
                .orElseThrow(() -> new AssertionError("no session " + router + "/" + peer));
    }

    int mark() {
        return events.size();
    }

    <T extends CanonicalEvent> List<T> since(int mark, Class<T> type, Predicate<T> filter) {
        List<T> out = new ArrayList<>();
        for (CanonicalEvent e : events.subList(mark, events.size())) {
            if (type.isInstance(e) && filter.test(type.cast(e))) {
                out.add(type.cast(e));
            }
        }
        return out;
    }

    List<ProbeResultEvent> probes(int mark, String circuit, String tunnel) {
        return since(mark, ProbeResultEvent.class, p -> (circuit == null || circuit.equals(p.circuit()))
                && (tunnel == null || tunnel.equals(p.tunnel())));
    }

    List<TunnelStateEvent> tunnelStates(int mark, String tunnel) {
        return since(mark, TunnelStateEvent.class, t -> t.tunnel().equals(tunnel));
    }

    List<BgpUpdateEvent> updates(int mark, String router) {
        return since(mark, BgpUpdateEvent.class, u -> u.router().equals(router));
    }
}
