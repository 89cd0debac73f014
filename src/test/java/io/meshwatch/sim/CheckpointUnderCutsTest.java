package io.meshwatch.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.meshwatch.detect.DetectionEngine;
import io.meshwatch.detect.DetectionSettings;
import io.meshwatch.detect.EngineState;
import io.meshwatch.detect.EngineStateCodec;
import io.meshwatch.detect.Signal;
import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.inventory.Inventory;
import io.meshwatch.network.NetworkState;
import io.meshwatch.rib.RibService;
import io.meshwatch.shard.ShardStage;
import io.meshwatch.testing.EngineStates;
import io.meshwatch.testing.RecordingListener;
import io.meshwatch.testing.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Checkpoint and restore under the simulator: the demo network fed through the service's own path
 * (the BGP stream through {@link NetworkState} and {@link RibService}, telemetry straight to the
 * engine), every partition with its own changing lag, while circuits are cut, tunnels fail over,
 * sessions flap, circuits degrade and prefixes are withdrawn, at random moments, from start-up on.
 * At random moments the engine is checkpointed, the state encoded and decoded and restored into a
 * fresh engine on a clock of its own (alternately from the original and from the previous restored
 * engine), and both are fed the same inputs and ticks from then on: the restored engine must emit
 * exactly what the original emits, show the same read models and hold the same state.
 *
 * <p>Each run has a fixed seed, named in every failure; {@code -Dmeshwatch.checkpoint.seed=N} runs
 * that one seed alone, {@code -Dmeshwatch.checkpoint.seeds=N} the first N (20 by default). A seed
 * also picks the simulator (dev mode's churn or none) and the detection settings (every prefix's
 * loss watched or only the inventory's).
 */
class CheckpointUnderCutsTest {

    private static final EngineStateCodec CODEC = new EngineStateCodec();
    private static final List<String> CIRCUITS = List.of("dx-ash-use1", "dx-fra-euw1", "er-ash-azure", "ic-fra-gcp");
    private static final List<String> GROUPS = List.of("vpn-ash-use1", "vpn-fra-euw1", "vpn-ash-azure", "vpn-fra-gcp");
    private static final List<String> SESSIONS = List.of("cx-ash/169.254.20.2", "cx-fra/169.254.30.2",
            "tr-use1/169.254.250.2", "cx-ash/169.254.110.2");
    private static final List<String> ROUTERS = List.of("tr-use1", "tr-euw1", "tr-apse1");
    /** Flapping counted over one minute, so that a run of a few minutes sees flapping start and end. */
    static final DetectionSettings SETTINGS = DetectionSettings.defaults()
            .withFlapping(4, Duration.ofMinutes(1), Duration.ofMinutes(1));
    /** The same, with every prefix's loss watched (at most 50 tracked), for the withdrawal storms. */
    static final DetectionSettings ANY_PREFIX = SETTINGS.withAnyPrefix(true, io.meshwatch.inventory.Severity.MINOR, 50);
    /** The simulator as dev mode runs it: 300 extra prefixes with churn, 6 s hold time, 3 s dead-peer detection. */
    static final SimSettings CHURN = SimSettings.defaults().withTimers(Duration.ofSeconds(6), Duration.ofSeconds(3));

    /** An engine on a clock of its own and everything it emitted. */
    static final class Twin extends RecordingListener {

        final ManualClock clock;
        DetectionEngine engine;
        /** How much the original had emitted when this one was restored. */
        int from;
        String born;

        Twin(Instant now) {
            clock = new ManualClock(now);
        }
    }

    /** The simulator and the service's path, feeding the original engine and the current restored one. */
    private static final class Run {
        final long seed;
        final SimHarness h;
        final DetectionSettings settings;
        final Inventory inventory = SimHarness.demoInventory();
        final NetworkState sessions;
        final RibService rib;
        final ShardStage stage;
        final SplittableRandom random;
        final double maxLag;
        final Twin original;
        Twin twin;
        int checkpoints;
        long maxBytes;
        private final LaggingPartitions partitions;

        /** A run whose simulator (churn or not) and detection settings (any prefix or not) the seed picks. */
        Run(long seed) {
            this(seed, null, null);
        }

        Run(long seed, SimSettings sim, DetectionSettings detection) {
            this.seed = seed;
            random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 0x2545F4914F6CDD1DL);
            maxLag = 0.5 + random.nextDouble() * 8;
            h = new SimHarness(sim != null ? sim : random.nextBoolean() ? CHURN : SimHarness.demo());
            partitions = new LaggingPartitions(h, random, maxLag);
            settings = detection != null ? detection : random.nextInt(3) == 0 ? ANY_PREFIX : SETTINGS;
            sessions = new NetworkState(h.clock);
            rib = new RibService(h.clock, new SimpleMeterRegistry());
            original = new Twin(h.clock.instant());
            original.engine = new DetectionEngine(original.clock, settings, original);
            original.engine.inventory(inventory);
            stage = EngineFeed.stage(sessions, rib);
            h.started();
        }

        /** One call into every engine, each on its own clock set to now. */
        void toAll(Consumer<DetectionEngine> call) {
            original.clock.set(h.clock.instant());
            call.accept(original.engine);
            if (twin != null) {
                twin.clock.set(h.clock.instant());
                call.accept(twin.engine);
            }
        }

        double now() {
            return partitions.now();
        }

        String where() {
            return String.format(Locale.ROOT, "seed %d (max lag %.1f s, %s, %s) at T0+%.2f s, restored engine born %s",
                    seed, maxLag, h.settings == CHURN ? "churn" : "no churn", settings == ANY_PREFIX ? "any prefix"
                            : "watched prefixes", now(), twin == null ? "-" : twin.born);
        }

        /**
         * Runs to T0 + {@code seconds}, every partition delivering at its own lag (see
         * {@link LaggingPartitions}), checkpointing now and then.
         */
        void until(double seconds) {
            partitions.until(seconds, this::deliver, () -> {
                if (twin != null) {
                    assertEquals(original.engine.nextDeadline(), twin.engine.nextDeadline(), where() + ": nextDeadline()");
                }
                if (original.engine.nextDeadline().filter(d -> !d.isAfter(h.clock.instant())).isPresent()) {
                    toAll(DetectionEngine::tick);
                }
                if (twin != null) {
                    assertSameOutput(where());
                }
                if (random.nextInt(60) == 0) {
                    checkpoint();
                }
            });
        }

        private void deliver(List<CanonicalEvent> batch, boolean bgp) {
            EngineFeed.publish(bgp ? stage.apply(batch, List.of()) : stage.apply(List.of(), batch), this::toAll);
        }

        /**
         * Checks the restored engine so far, then replaces it by one restored from a checkpoint of the
         * original or (every other time) of the restored engine itself.
         */
        void checkpoint() {
            String where = where();
            if (twin != null) {
                assertSame(where);
            }
            Twin source = twin != null && checkpoints % 2 == 1 ? twin : original;
            EngineState state = source.engine.checkpoint();
            byte[] bytes = CODEC.encode(state);
            maxBytes = Math.max(maxBytes, bytes.length);
            EngineState decoded = CODEC.decode(bytes);
            EngineStates.assertSameState(state, decoded, where + ": the codec gives back the state");
            Twin next = new Twin(h.clock.instant());
            next.engine = DetectionEngine.restore(next.clock, settings, next, inventory, decoded);
            next.from = original.out.size();
            next.born = String.format(Locale.ROOT, "T0+%.2f s from the %s", now(), source == original ? "original"
                    : "restored engine");
            assertEquals(List.of(), next.out, where + ": restoring emits nothing");
            twin = next;
            checkpoints++;
            assertSame(where + ", right after the restore");
        }

        void assertSameOutput(String where) {
            List<Object> expected = original.out.subList(twin.from, original.out.size());
            List<Object> actual = twin.out;
            int n = Math.min(expected.size(), actual.size());
            for (int i = 0; i < n; i++) {
                if (!expected.get(i).equals(actual.get(i))) {
                    fail(where + ": emission " + i + " since the restore differs\n  original: " + expected.get(i)
                            + "\n  restored: " + actual.get(i));
                }
            }
            if (expected.size() != actual.size()) {
                fail(where + ": since the restore the original emitted " + expected.size() + ", the restored engine "
                        + actual.size() + "; first extra: " + (expected.size() > n ? expected.get(n) : actual.get(n)));
            }
        }

        void assertSame(String where) {
            assertSameOutput(where);
            DetectionEngine a = original.engine;
            DetectionEngine b = twin.engine;
            assertEquals(a.tunnelGroups(), b.tunnelGroups(), where + ": tunnelGroups()");
            assertEquals(a.circuits(), b.circuits(), where + ": circuits()");
            assertEquals(a.sessions(), b.sessions(), where + ": sessions()");
            assertEquals(a.firing(), b.firing(), where + ": firing()");
            assertEquals(a.incidents(), b.incidents(), where + ": incidents()");
            assertEquals(a.unmatchedEvents(), b.unmatchedEvents(), where + ": unmatchedEvents()");
            assertEquals(a.droppedPrefixLosses(), b.droppedPrefixLosses(), where + ": droppedPrefixLosses()");
            // the same instant on both clocks: a checkpoint says when it was taken
            original.clock.set(h.clock.instant());
            twin.clock.set(h.clock.instant());
            EngineStates.assertSameState(a.checkpoint(), b.checkpoint(), where + ": the engines' states");
        }

        /** Starts a random scenario on a random target; false when it conflicts with one running. */
        boolean randomScenario() {
            int pick = random.nextInt(10);
            try {
                if (pick < 4) {
                    h.run(Scenario.CIRCUIT_CUT, ScenarioRequest.target(CIRCUITS.get(random.nextInt(CIRCUITS.size())))
                            .withDuration(Duration.ofSeconds(10 + random.nextInt(30))));
                } else if (pick < 6) {
                    h.run(random.nextInt(3) == 0 ? Scenario.IPSEC_FAILOVER_SLOW : Scenario.IPSEC_FAILOVER,
                            ScenarioRequest.target(GROUPS.get(random.nextInt(GROUPS.size()))));
                } else if (pick < 8) {
                    h.run(Scenario.SESSION_FLAP, new ScenarioRequest(SESSIONS.get(random.nextInt(SESSIONS.size())),
                            Duration.ofSeconds(10 + random.nextInt(20)), 2 + random.nextInt(4), null, null, null));
                } else if (pick < 9) {
                    h.run(Scenario.CIRCUIT_DEGRADED, ScenarioRequest.target(CIRCUITS.get(random.nextInt(CIRCUITS.size()))));
                } else {
                    h.run(Scenario.WITHDRAWAL_STORM, new ScenarioRequest(ROUTERS.get(random.nextInt(ROUTERS.size())),
                            Duration.ofSeconds(5 + random.nextInt(20)), null, 5 + random.nextInt(15), null, null));
                }
                return true;
            } catch (ScenarioRuns.ConflictException busy) {
                return false;
            }
        }
    }

    @Test
    void aRestoredEngineGoesOnExactlyAsTheOriginalUnderRandomScenarios() {
        String only = System.getProperty("meshwatch.checkpoint.seed");
        List<Long> seeds = new ArrayList<>();
        if (only != null) {
            seeds.add(Long.parseLong(only));
        } else {
            int runs = Integer.getInteger("meshwatch.checkpoint.seeds", 20);
            for (long s = 1; s <= runs; s++) {
                seeds.add(20261208L + s);
            }
        }
        int checkpoints = 0;
        int scenarios = 0;
        long maxBytes = 0;
        for (long seed : seeds) {
            Run r = new Run(seed);
            // the first scenario while the network still converges, or after it has
            r.until(r.random.nextInt(4) == 0 ? 0.25 + r.random.nextDouble() * 3 : 5 + r.random.nextDouble() * 40);
            int n = 3 + r.random.nextInt(4);
            for (int i = 0; i < n; i++) {
                scenarios += r.randomScenario() ? 1 : 0;
                r.until(r.now() + r.random.nextDouble() * 25);
            }
            r.until(r.now() + 120);
            if (r.twin == null) {
                r.checkpoint();
            }
            r.checkpoint();
            r.until(r.now() + 10);
            r.assertSame(r.where() + ", at the end");
            assertTrue(r.original.out.stream().anyMatch(o -> o instanceof Signal s && !s.isFiring()),
                    "seed " + seed + ": the run raised and resolved signals");
            checkpoints += r.checkpoints;
            maxBytes = Math.max(maxBytes, r.maxBytes);
        }
        System.out.printf(Locale.ROOT, "checkpoint under the simulator: %d seeds, %d scenarios, %d checkpoints and "
                + "restores, largest state %d bytes gzipped%n", seeds.size(), scenarios, checkpoints, maxBytes);
        assertTrue(checkpoints >= seeds.size() * 2, "checkpoints taken: " + checkpoints);
    }

    @Test
    void theEncodedSizeOfTheDemoNetworksState() {
        Run r = new Run(7, SimHarness.demo(), SETTINGS);
        r.until(60);
        size("steady state", r);
        r.h.run(Scenario.CIRCUIT_CUT, ScenarioRequest.target("dx-ash-use1").withDuration(Duration.ofSeconds(60)));
        r.until(r.now() + 3);
        size("a cut, failover in progress", r);
        r.until(r.now() + 15);
        size("a cut, on the backup", r);
        r.until(r.now() + 120);
        size("after the repair (one incident in the history)", r);
        for (int i = 0; i < 40; i++) {
            r.h.run(Scenario.CIRCUIT_CUT, ScenarioRequest.target(CIRCUITS.get(i % CIRCUITS.size()))
                    .withDuration(Duration.ofSeconds(20)));
            r.until(r.now() + 45);
        }
        size("after 41 cuts (41 incidents in the history)", r);
        assertTrue(r.original.engine.incidents().size() >= 41, "incidents kept: " + r.original.engine.incidents().size());
    }

    private static void size(String what, Run r) {
        EngineState state = r.original.engine.checkpoint();
        long t0 = System.nanoTime();
        byte[] gz = CODEC.encode(state);
        long t1 = System.nanoTime();
        EngineState back = CODEC.decode(gz);
        long t2 = System.nanoTime();
        assertEquals(state, back, what);
        System.out.printf(Locale.ROOT, "demo network state, %s: %d bytes JSON, %d bytes gzipped "
                        + "(%d sessions, %d firing, %d incidents; encode %.1f ms, decode %.1f ms)%n", what,
                CODEC.json(state).length, gz.length, state.sessions().sessions().size(),
                state.signals().firing().size(), state.incidents().live().size() + state.incidents().history().size(),
                (t1 - t0) / 1e6, (t2 - t1) / 1e6);
    }
}
