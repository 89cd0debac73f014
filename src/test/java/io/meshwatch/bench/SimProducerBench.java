package io.meshwatch.bench;

import io.meshwatch.testing.ManualClock;
import io.meshwatch.dev.EmbeddedKafka;
import io.meshwatch.sim.KafkaSimSink;
import io.meshwatch.sim.NetworkBuilder;
import io.meshwatch.sim.Scenario;
import io.meshwatch.sim.ScenarioPlan;
import io.meshwatch.sim.ScenarioPlanner;
import io.meshwatch.sim.ScenarioRequest;
import io.meshwatch.sim.ScenarioRuns;
import io.meshwatch.sim.SimInventory;
import io.meshwatch.sim.SimNetwork;
import io.meshwatch.sim.SimSettings;
import io.meshwatch.sim.Simulator;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How fast the simulator's producer pushes canonical events into a real broker (the in-process
 * KRaft broker, 4 partitions, in this JVM), through the same path as the service: the
 * {@link Simulator} on a clock this bench moves, {@link KafkaSimSink} (JSON encoding, lz4,
 * idempotent producer), until every event is acknowledged.
 *
 * <ul>
 * <li>{@code bgp}: the full-table scenario at cx-ash of the demo network, unpaced (burst 0):
 *     1.0M IPv4 + 0.25M IPv6 prefixes in about 278k {@code bgp.update}s of 1..8 prefixes, timed from
 *     the first update to the last acknowledgement; prefixes per second.</li>
 * <li>{@code telemetry}: probe rounds (12 probes), counters, tunnel states and TCP retransmits of
 *     the demo network with 1 ms intervals on a clock moved 1 ms per tick, until {@code N} events;
 *     events per second.</li>
 * <li>{@code churn}: the steady state at the highest churn rate (1,000,000 flaps/s asked for, 2,000
 *     extra prefixes per router), so flaps start as fast as the producer takes their updates (the
 *     simulator holds new flaps while 20,000 items wait); on a clock moved 1 ms per tick, until
 *     {@code N} {@code bgp.update}s; updates per second. The steady state's ceiling.</li>
 * </ul>
 *
 * <p>Usage: {@code SimProducerBench [runs=3] [ipv4=1000000] [ipv6=250000] [telemetry=500000]
 * [compression=lz4] [churn=300000]}. One smaller untimed pass warms the JIT first. Prints {@code run ...} lines and
 * {@code RESULT} lines with the medians.
 */
public final class SimProducerBench {

    private SimProducerBench() {
    }


    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int ipv4 = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int ipv6 = args.length > 2 ? Integer.parseInt(args[2]) : 250_000;
        int telemetry = args.length > 3 ? Integer.parseInt(args[3]) : 500_000;
        String compression = args.length > 4 ? args[4] : "lz4";
        int churn = args.length > 5 ? Integer.parseInt(args[5]) : 300_000;
        EmbeddedKafka broker = EmbeddedKafka.start(0, Files.createTempDirectory("sim-bench-kafka"), 4);
        try {
            broker.createTopics(List.of("meshwatch.bgp.v1", "meshwatch.telemetry.v1"), 4);
            // warm-up, untimed: JIT of the codec, the producer and the broker in this JVM
            bgp(broker, Math.min(ipv4, 200_000), Math.min(ipv6, 50_000), compression);
            telemetry(broker, Math.min(telemetry, 100_000), compression);
            churn(broker, Math.min(churn, 50_000), compression);
            List<Double> churnRates = new ArrayList<>();
            List<Double> prefixRates = new ArrayList<>();
            List<Double> updateRates = new ArrayList<>();
            List<Double> telemetryRates = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                double[] bgp = bgp(broker, ipv4, ipv6, compression);
                prefixRates.add(bgp[0]);
                updateRates.add(bgp[1]);
                double t = telemetry(broker, telemetry, compression);
                telemetryRates.add(t);
                double c = churn(broker, churn, compression);
                churnRates.add(c);
                System.out.printf("run %d: %.0f prefixes/s (%.0f bgp.update/s), %.0f telemetry events/s, "
                        + "%.0f churn bgp.update/s%n", run, bgp[0], bgp[1], t, c);
            }
            System.out.printf("RESULT sim_producer_prefixes_per_s %.0f %s%n", median(prefixRates), prefixRates);
            System.out.printf("RESULT sim_producer_updates_per_s %.0f %s%n", median(updateRates), updateRates);
            System.out.printf("RESULT sim_producer_telemetry_events_per_s %.0f %s%n", median(telemetryRates),
                    telemetryRates);
            System.out.printf("RESULT sim_producer_churn_updates_per_s %.0f %s%n", median(churnRates), churnRates);
        } finally {
            broker.close();
        }
    }

    private static double[] bgp(EmbeddedKafka broker, int ipv4, int ipv6, String compression) {
        SimSettings settings = SimSettings.defaults().withChurn(0).withExtraPrefixes(20).withFullTable(ipv4, ipv6);
        SimNetwork net = NetworkBuilder.build(SimInventory.load(SimInventory.DEMO), settings);
        ManualClock clock = new ManualClock(Instant.parse("2026-11-26T08:00:00Z"));
        try (KafkaSimSink sink = sink(broker, compression)) {
            Simulator sim = new Simulator(net, settings, sink, clock, new ScenarioRuns());
            sim.start();
            while (sim.tick(100_000)) {
                // the start-up tables
            }
            sink.flush();
            ScenarioPlan plan = new ScenarioPlanner(net, settings).plan(Scenario.FULL_TABLE,
                    ScenarioRequest.target("cx-ash").withDuration(Duration.ofHours(1)), clock.instant(), "bench");
            sim.schedule(plan);
            sim.tick(1); // applies the step: builds the synthetic table (untimed) and sends the first update
            long prefixes0 = sim.prefixes();
            long updates0 = sim.bgpEvents();
            long t0 = System.nanoTime();
            while (sim.tick(10_000)) {
                // drain as fast as the producer takes it
            }
            sink.flush();
            double s = (System.nanoTime() - t0) / 1e9;
            if (sink.failed() > 0) {
                throw new IllegalStateException(sink.failed() + " events failed: " + sink.lastError());
            }
            return new double[] {(sim.prefixes() - prefixes0) / s, (sim.bgpEvents() - updates0) / s};
        }
    }

    private static double telemetry(EmbeddedKafka broker, int events, String compression) {
        SimSettings base = SimSettings.defaults();
        SimSettings settings = new SimSettings(20, 0, 0, base.updateSize(), base.holdTime(), base.dpdTimeout(),
                base.ikeSetup(), base.bgpSetup(), base.scenarioDuration(), Duration.ofMillis(1), Duration.ofMillis(1),
                base.fullTableIpv4(), base.fullTableIpv6(), base.seed());
        SimNetwork net = NetworkBuilder.build(SimInventory.load(SimInventory.DEMO), settings);
        ManualClock clock = new ManualClock(Instant.parse("2026-11-26T08:00:00Z"));
        try (KafkaSimSink sink = sink(broker, compression)) {
            Simulator sim = new Simulator(net, settings, sink, clock, new ScenarioRuns());
            sim.start();
            while (sim.tick(100_000)) {
                // the start-up tables
            }
            sink.flush();
            long e0 = sim.telemetryEvents();
            long t0 = System.nanoTime();
            while (sim.telemetryEvents() - e0 < events) {
                clock.set(clock.instant().plusMillis(1));
                sim.tick(100_000);
            }
            sink.flush();
            double s = (System.nanoTime() - t0) / 1e9;
            return (sim.telemetryEvents() - e0) / s;
        }
    }

    private static double churn(EmbeddedKafka broker, int updates, String compression) {
        SimSettings settings = SimSettings.defaults().withExtraPrefixes(2_000).withChurn(1_000_000);
        SimNetwork net = NetworkBuilder.build(SimInventory.load(SimInventory.DEMO), settings);
        ManualClock clock = new ManualClock(Instant.parse("2026-11-26T08:00:00Z"));
        try (KafkaSimSink sink = sink(broker, compression)) {
            Simulator sim = new Simulator(net, settings, sink, clock, new ScenarioRuns());
            sim.start();
            while (sim.tick(100_000)) {
                // the start-up tables; no flap starts while the clock stands still
            }
            sink.flush();
            long u0 = sim.bgpEvents();
            long t0 = System.nanoTime();
            while (sim.bgpEvents() - u0 < updates) {
                clock.set(clock.instant().plusMillis(1));
                sim.tick(10_000);
            }
            sink.flush();
            double s = (System.nanoTime() - t0) / 1e9;
            if (sink.failed() > 0) {
                throw new IllegalStateException(sink.failed() + " events failed: " + sink.lastError());
            }
            return (sim.bgpEvents() - u0) / s;
        }
    }

    private static KafkaSimSink sink(EmbeddedKafka broker, String compression) {
        return new KafkaSimSink(broker.bootstrapServers(), "meshwatch.bgp.v1", "meshwatch.telemetry.v1",
                Map.of("compression.type", compression));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
