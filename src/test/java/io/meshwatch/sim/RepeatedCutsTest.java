package io.meshwatch.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.meshwatch.detect.DetectionEngine;
import io.meshwatch.detect.DetectionListener;
import io.meshwatch.detect.DetectionSettings;
import io.meshwatch.detect.Incident;
import io.meshwatch.detect.Signal;
import io.meshwatch.detect.SignalStatus;
import io.meshwatch.detect.SignalType;
import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.network.NetworkState;
import io.meshwatch.rib.RibService;
import io.meshwatch.shard.ShardStage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Circuit cuts at random moments, through the service's own path and its two Kafka channels: the
 * simulator's events are split into the BGP and the telemetry stream, each delivered in order but
 * with its own lag that changes at random (as two consumers fall behind differently), the BGP
 * stream through {@link NetworkState} and {@link RibService} as the BGP consumer does (a batch's
 * session changes before its route changes), the telemetry stream straight to the engine.
 *
 * <p>Every outage must be one occurrence of each of its signals (one raise, one resolution), and
 * on a converged network every cut must measure exactly one failover with its time and one failback.
 */
class RepeatedCutsTest {

    private static final List<String[]> CIRCUITS = List.of(
            new String[] {"dx-ash-use1", "vpn-ash-use1"}, new String[] {"dx-fra-euw1", "vpn-fra-euw1"},
            new String[] {"er-ash-azure", "vpn-ash-azure"}, new String[] {"ic-fra-gcp", "vpn-fra-gcp"});
    private static final Duration CUT = Duration.ofSeconds(20);
    /**
     * The simulator as dev mode runs it: 300 extra prefixes with churn (2 flaps started per second),
     * 6 s hold time, 3 s dead-peer detection. Churn matters: a prefix that flaps during a cut can make
     * the primary's stale path best again while its hold timer runs.
     */
    static final SimSettings DEV = SimSettings.defaults().withTimers(Duration.ofSeconds(6), Duration.ofSeconds(3));
    /**
     * The defaults, but flapping counted over one minute instead of five, so that fifty cuts fit in
     * an hour of simulated time without two cuts of one circuit making its sessions flap (the same
     * circuit is never cut twice in a row, so its cuts are more than a minute apart).
     */
    static final DetectionSettings SETTINGS = DetectionSettings.defaults()
            .withFlapping(4, Duration.ofMinutes(1), Duration.ofMinutes(1));

    /** The service's BGP and telemetry consumers, each with its own, changing lag. */
    private static final class Service {
        final SimHarness h = new SimHarness(DEV);
        final List<Signal> transitions = new ArrayList<>();
        final DetectionEngine engine = new DetectionEngine(h.clock, SETTINGS,
                new DetectionListener() {
                    @Override
                    public void signal(Signal s) {
                        if (!s.update()) {
                            transitions.add(s);
                            return;
                        }
                        // a refinement replaces the transition it refines: the test reads the latest word
                        for (int i = transitions.size() - 1; i >= 0; i--) {
                            Signal t = transitions.get(i);
                            if (t.fingerprint().equals(s.fingerprint()) && t.status() == s.status()
                                    && t.raisedAt().equals(s.raisedAt())) {
                                transitions.set(i, s);
                                return;
                            }
                        }
                    }

                    @Override
                    public void incident(Incident incident) {
                    }
                });
        final NetworkState sessions = new NetworkState(h.clock);
        final RibService rib = new RibService(h.clock, new SimpleMeterRegistry());
        final ShardStage stage = EngineFeed.stage(sessions, rib);
        final SplittableRandom random;
        private final LaggingPartitions partitions;

        Service(long seed, double maxLag) {
            random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L);
            partitions = new LaggingPartitions(h, random, maxLag);
            engine.inventory(SimHarness.demoInventory());
            h.started();
        }

        double now() {
            return partitions.now();
        }

        /** Runs to T0 + {@code seconds}, every partition delivering at its own lag (see {@link LaggingPartitions}). */
        void until(double seconds) {
            partitions.until(seconds, this::deliver,
                    () -> engine.nextDeadline().filter(d -> !d.isAfter(h.clock.instant())).ifPresent(d -> engine.tick()));
        }

        private void deliver(List<CanonicalEvent> batch, boolean bgp) {
            // as the input consumer: session changes first, then the route changes they cause
            EngineFeed.publish(bgp ? stage.apply(batch, List.of()) : stage.apply(List.of(), batch), engine);
        }

        void cut(String circuit) {
            h.run(Scenario.CIRCUIT_CUT, ScenarioRequest.target(circuit).withDuration(CUT));
        }

        List<Signal> of(SignalType type, SignalStatus status, String label, String value, int from) {
            return transitions.subList(from, transitions.size()).stream()
                    .filter(s -> s.type() == type && s.status() == status && value.equals(s.label(label))).toList();
        }

        String since(int from) {
            StringBuilder sb = new StringBuilder();
            for (Signal s : transitions.subList(from, transitions.size())) {
                sb.append("\n  ").append(s.status()).append(' ').append(s.type().alertName()).append(s.labels())
                        .append(" started ").append(s.startedAt()).append(" raised ").append(s.raisedAt());
            }
            return sb.toString();
        }
    }

    @Test
    void fiftyCutsAtRandomMomentsAfterStartUpEachMeasureOneFailoverAndOneFailback() {
        Service s = new Service(20261207L, 2.0);
        s.until(20 + s.random.nextDouble() * 40);
        assertTrue(s.transitions.isEmpty(), "no signal while the network comes up: " + s.since(0));
        String[] previous = null;
        for (int n = 1; n <= 50; n++) {
            String[] target;
            do {
                target = CIRCUITS.get(s.random.nextInt(CIRCUITS.size()));
            } while (target == previous);
            previous = target;
            int mark = s.transitions.size();
            double start = s.now();
            s.cut(target[0]);
            s.until(start + CUT.toSeconds() + 25);
            String where = "cut " + n + " of " + target[0] + " at T0+" + start + ":" + s.since(mark);
            assertEquals(1, s.of(SignalType.CIRCUIT_DOWN, SignalStatus.FIRING, "circuit", target[0], mark).size(), where);
            assertEquals(1, s.of(SignalType.CIRCUIT_DOWN, SignalStatus.RESOLVED, "circuit", target[0], mark).size(), where);
            List<Signal> failovers = s.of(SignalType.IPSEC_FAILOVER, SignalStatus.FIRING, "tunnel_group", target[1], mark);
            assertEquals(1, failovers.size(), where);
            Map<String, String> a = failovers.get(0).annotations();
            double measured = Double.parseDouble(a.get("failover_seconds"));
            assertEquals(6.0, measured, 0.3, "the hold time after the interface went down: " + where + "\n"
                    + s.engine.tunnelGroup(target[1]).orElseThrow().lastFailover());
            assertEquals("interface", a.get("failover_clock"), where);
            List<Signal> back = s.of(SignalType.IPSEC_FAILOVER, SignalStatus.RESOLVED, "tunnel_group", target[1], mark);
            assertEquals(1, back.size(), where);
            assertTrue(back.get(0).annotations().containsKey("failback_seconds"), where);
            assertEquals(0, s.of(SignalType.IPSEC_TUNNEL_GROUP_DOWN, SignalStatus.FIRING, "tunnel_group", target[1],
                    mark).size(), where);
            assertTrue(s.engine.firing().isEmpty(), "all resolved after the repair: " + s.engine.firing() + where);
            s.until(s.now() + s.random.nextDouble() * 10);
        }
    }

    @Test
    void cutsDuringConvergenceAreOneOccurrencePerOutage() {
        for (long seed = 1; seed <= 100; seed++) {
            Service s = new Service(seed, 2 + seed % 14);
            String[] target = CIRCUITS.get(s.random.nextInt(CIRCUITS.size()));
            double at = 0.25 + s.random.nextDouble() * 3;
            s.until(at);
            int mark = s.transitions.size();
            if (mark > 0) {
                fail("seed " + seed + ": signals before the cut:" + s.since(0));
            }
            s.cut(target[0]);
            s.until(at + CUT.toSeconds() + 40);
            String where = "seed " + seed + ", cut of " + target[0] + " at T0+" + at + ":" + s.since(0);
            for (SignalType type : SignalType.values()) {
                Map<String, Long> raises = countBy(s.transitions, type, SignalStatus.FIRING);
                Map<String, Long> resolutions = countBy(s.transitions, type, SignalStatus.RESOLVED);
                raises.forEach((fp, count) -> assertEquals(1L, count, type + " raised more than once: " + where));
                resolutions.forEach((fp, count) -> assertEquals(1L, count, type + " resolved more than once: " + where));
                assertEquals(raises.keySet(), resolutions.keySet(), "every raise resolved once: " + where);
            }
            assertEquals(1, s.of(SignalType.CIRCUIT_DOWN, SignalStatus.FIRING, "circuit", target[0], 0).size(), where);
            assertTrue(s.engine.firing().isEmpty(), where);
        }
    }

    private static Map<String, Long> countBy(List<Signal> list, SignalType type, SignalStatus status) {
        Map<String, Long> out = new java.util.TreeMap<>();
        for (Signal s : list) {
            if (s.type() == type && s.status() == status) {
                out.merge(s.fingerprint(), 1L, Long::sum);
            }
        }
        return out;
    }
}
