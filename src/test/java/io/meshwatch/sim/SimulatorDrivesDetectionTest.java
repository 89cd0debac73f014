package io.meshwatch.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.detect.DetectionEngine;
import io.meshwatch.detect.DetectionListener;
import io.meshwatch.detect.DetectionSettings;
import io.meshwatch.detect.Incident;
import io.meshwatch.detect.Signal;
import io.meshwatch.detect.SignalStatus;
import io.meshwatch.detect.SignalType;
import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.event.EventType;
import io.meshwatch.network.NetworkState;
import io.meshwatch.rib.RibService;
import io.meshwatch.shard.ShardStage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The scenarios mean to the detectors what they say: the plain detection engine, with the demo
 * inventory and its default settings, fed the simulator's decoded events and the route tables'
 * best-path changes on the same test clock (demo timers: hold 6 s, dead-peer detection 3 s).
 */
class SimulatorDrivesDetectionTest {

    /**
     * Churn off, so the measured times are exact: with churn, a prefix re-announced while a cut's hold
     * timer runs reaches the router only over the backup, and the failover detector takes that one
     * prefix's best path as the failover's completion (see docs/simulator.md).
     */
    private final SimHarness h = new SimHarness(SimHarness.demo());
    private final List<Signal> signals = new ArrayList<>();
    private final DetectionEngine engine = new DetectionEngine(h.clock, DetectionSettings.defaults(),
            new DetectionListener() {
                @Override
                public void signal(Signal s) {
                    if (!s.update()) {
                        signals.add(s);
                    }
                }

                @Override
                public void incident(Incident incident) {
                }
            });
    private int fed;

    /** The service's own path: session state, then the route table and its best-path changes. */
    private final NetworkState sessions = new NetworkState(h.clock);
    private final RibService rib = new RibService(h.clock, new SimpleMeterRegistry());
    private final ShardStage stage = EngineFeed.stage(sessions, rib);

    SimulatorDrivesDetectionTest() {
        engine.inventory(SimHarness.demoInventory());
        h.started();
        feed();
    }

    /**
     * Feeds the events produced so far as the service would: a BGP event's session change first, then
     * the route changes it causes; telemetry straight to the engine.
     */
    private void feed() {
        for (; fed < h.events.size(); fed++) {
            CanonicalEvent e = h.events.get(fed);
            boolean bgp = e.type().family() == EventType.Family.BGP;
            EngineFeed.publish(bgp ? stage.apply(List.of(e), List.of()) : stage.apply(List.of(), List.of(e)), engine);
        }
        engine.nextDeadline().filter(d -> !d.isAfter(h.clock.instant())).ifPresent(d -> engine.tick());
    }

    /** Runs the network to {@code seconds} after T0 in half-second steps, feeding the detectors. */
    private void until(double seconds) {
        double now = Duration.between(SimHarness.T0, h.clock.instant()).toMillis() / 1000.0;
        for (double t = now + 0.5; t <= seconds; t += 0.5) {
            h.atSeconds(t);
            feed();
        }
    }

    private void run(Scenario s, String target) {
        until(60);
        h.run(s, ScenarioRequest.target(target));
        feed();
    }

    private List<Signal> of(SignalType type, SignalStatus status) {
        return signals.stream().filter(s -> s.type() == type && s.status() == status).toList();
    }

    private static double seconds(Signal s, String annotation) {
        return Double.parseDouble(s.annotations().get(annotation));
    }

    @Test
    void aCircuitCutIsACircuitOutageWithAFailoverWithinTheObjective() {
        run(Scenario.CIRCUIT_CUT, "dx-ash-use1");
        assertEquals(1, of(SignalType.CIRCUIT_DOWN, SignalStatus.FIRING).size(), "at once, on the A-end interface");
        until(70);
        Signal failover = of(SignalType.IPSEC_FAILOVER, SignalStatus.FIRING).get(0);
        assertEquals("vpn-ash-use1", failover.labels().get("tunnel_group"));
        assertEquals(6.0, seconds(failover, "failover_seconds"), "the hold time");
        assertEquals(30.0, seconds(failover, "objective_seconds"));
        assertTrue(of(SignalType.IPSEC_FAILOVER_SLOW, SignalStatus.FIRING).isEmpty());
        assertFalse(of(SignalType.BEST_PATH_ON_BACKUP, SignalStatus.FIRING).isEmpty());
        until(140);
        assertTrue(engine.firing().isEmpty(), "everything resolves with the repair: " + engine.firing());
    }

    @Test
    void aFastFailoverTakesAboutASecond() {
        run(Scenario.IPSEC_FAILOVER, "vpn-fra-euw1");
        until(70);
        Signal failover = of(SignalType.IPSEC_FAILOVER, SignalStatus.FIRING).get(0);
        assertEquals("vpn-fra-euw1", failover.labels().get("tunnel_group"));
        assertEquals(1.0, seconds(failover, "failover_seconds"));
        assertTrue(of(SignalType.CIRCUIT_DOWN, SignalStatus.FIRING).isEmpty(),
                "both ends of the tunnel's session are down, but the circuit's own probes are answered: " + signals);
        until(140);
        assertTrue(engine.firing().isEmpty(), engine.firing().toString());
    }

    @Test
    void aSlowFailoverIsSlowAndLeavesTheGroupDownMeanwhile() {
        run(Scenario.IPSEC_FAILOVER_SLOW, "vpn-ash-use1");
        until(70);
        assertEquals(1, of(SignalType.IPSEC_TUNNEL_GROUP_DOWN, SignalStatus.FIRING).size());
        assertFalse(of(SignalType.PREFIX_UNREACHABLE, SignalStatus.FIRING).isEmpty());
        until(110);
        assertEquals(1, of(SignalType.IPSEC_FAILOVER_SLOW, SignalStatus.FIRING).size());
        Signal measured = of(SignalType.IPSEC_FAILOVER, SignalStatus.FIRING).get(0);
        assertEquals(40.5, seconds(measured, "failover_seconds"), "objective 30 s + 7.5 s + BGP set-up 3 s");
        until(140);
        assertTrue(engine.firing().isEmpty(), engine.firing().toString());
    }

    @Test
    void aSessionFlapIsFlapping() {
        run(Scenario.SESSION_FLAP, "cx-ash/169.254.20.2");
        until(125);
        assertTrue(of(SignalType.BGP_SESSION_FLAPPING, SignalStatus.FIRING).stream()
                .anyMatch(s -> "169.254.20.2".equals(s.labels().get("peer"))), signals.toString());
    }

    /**
     * The demo inventory's route policies (origins and maximum lengths of the cloud ranges) hold in
     * the simulated network: nothing fires in the steady state, through a circuit cut, a failover, a
     * withdrawal storm and an internet full table. Their rules are tested on both sides in
     * RoutePolicyDetectionTest and on real data in RoutePolicyRipeTest.
     */
    @Test
    void theDemosRoutePoliciesHoldThroughTheScenarios() {
        run(Scenario.CIRCUIT_CUT, "dx-ash-use1");
        until(120);
        h.run(Scenario.IPSEC_FAILOVER, ScenarioRequest.target("vpn-fra-euw1"));
        until(180);
        h.run(Scenario.WITHDRAWAL_STORM, ScenarioRequest.target("tr-euw1"));
        until(240);
        List<Signal> policy = signals.stream().filter(s -> s.type().alertName().startsWith("Route")).toList();
        assertEquals(List.of(), policy, "route policy signals in the demo network");
        assertTrue(signals.stream().anyMatch(s -> s.type() == SignalType.CIRCUIT_DOWN), "the scenarios ran");
    }

    @Test
    void aDegradationFiresAfterTheDwellAndClearsWithTheRecovery() {
        run(Scenario.CIRCUIT_DEGRADED, "er-ash-azure");
        until(89);
        assertTrue(of(SignalType.CIRCUIT_DEGRADED, SignalStatus.FIRING).isEmpty(), "not before the 30 s dwell");
        until(100);
        Signal degraded = of(SignalType.CIRCUIT_DEGRADED, SignalStatus.FIRING).get(0);
        assertEquals("er-ash-azure", degraded.labels().get("circuit"));
        until(125);
        assertEquals(1, of(SignalType.CIRCUIT_DEGRADED, SignalStatus.RESOLVED).size());
        assertTrue(of(SignalType.CIRCUIT_DOWN, SignalStatus.FIRING).isEmpty(), "degraded, never down");
    }
}
