package io.meshwatch.bench;

import java.util.Locale;
import java.util.Map;

/**
 * Facts per second (issue 14): the packaged service in facts mode with its simulator playing the
 * demo network at the demo rate (the same network and rate as {@code ./mvnw quarkus:dev}), against
 * a fresh in-process broker. Measures the facts the detection owner applied per second and the input
 * events per second, first in the steady state, then while the simulator's {@code full-table}
 * scenario sends cx-ash a full internet table over its transit session (1M IPv4 + 250k IPv6 prefixes),
 * sampled every second until the table is in.
 *
 * <p>Run: {@code bin/bench facts} (args: steady-state seconds, default 60).
 */
public final class FactsRateBench {

    private static final String FACTS = "meshwatch_detect_facts_applied_total";
    private static final String CONSUMED = "meshwatch_ingest_records_consumed_total";
    private static final String PATHS = "meshwatch_rib_prefixes_applied_total";

    private FactsRateBench() {
    }

    public static void main(String[] args) throws Exception {
        int steady = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        ServiceProcess.requireJar();
        try (ScratchKafka kafka = ScratchKafka.start();
             ServiceProcess service = ServiceProcess.start(kafka.bootstrapServers(), "facts", "rate",
                     Map.of("MESHWATCH_INVENTORY_FILE", "classpath:inventory/demo.yaml",
                             "MESHWATCH_DB_NAME", System.getenv().getOrDefault("E2E_DB_NAME", "meshwatch_bench"),
                             "MESHWATCH_DETECT_MODE", "facts",
                             "MESHWATCH_SIM_ENABLED", "true"))) {
            System.out.println("warming up 30 s (the simulator brings the demo network up)");
            Thread.sleep(30_000);
            double f0 = service.metric(FACTS);
            double c0 = service.metric(CONSUMED);
            long t0 = System.nanoTime();
            Thread.sleep(steady * 1000L);
            double secs = (System.nanoTime() - t0) / 1e9;
            double facts = (service.metric(FACTS) - f0) / secs;
            double events = (service.metric(CONSUMED) - c0) / secs;
            System.out.printf(Locale.ROOT, "RESULT facts_per_s_demo %.1f%n", facts);
            System.out.printf(Locale.ROOT, "RESULT input_events_per_s_demo %.1f%n", events);

            var answer = service.post("/api/v1/sim/scenarios/full-table", "{\"target\":\"cx-ash\"}");
            if (answer.statusCode() != 202) {
                throw new IllegalStateException("full-table scenario answered " + answer.statusCode() + ": "
                        + answer.body());
            }
            double fStart = service.metric(FACTS);
            double cStart = service.metric(CONSUMED);
            double pStart = service.metric(PATHS);
            long start = System.nanoTime();
            double peakFacts = 0;
            double peakEvents = 0;
            double lastPaths = pStart;
            int still = 0;
            double prevF = fStart;
            double prevC = cStart;
            long prevT = start;
            while (still < 3 && System.nanoTime() - start < 180_000_000_000L) {
                Thread.sleep(1000);
                long now = System.nanoTime();
                double f = service.metric(FACTS);
                double c = service.metric(CONSUMED);
                double p = service.metric(PATHS);
                double dt = (now - prevT) / 1e9;
                peakFacts = Math.max(peakFacts, (f - prevF) / dt);
                peakEvents = Math.max(peakEvents, (c - prevC) / dt);
                System.out.printf(Locale.ROOT, "+%3.0f s: paths applied %,.0f, facts %.0f/s, input %.0f/s%n",
                        (now - start) / 1e9, p - pStart, (f - prevF) / dt, (c - prevC) / dt);
                // in: the table's paths applied, then 3 s of no more than the demo's churn
                still = p - pStart >= 1_250_000 && p - lastPaths < 1_000 ? still + 1 : 0;
                lastPaths = p;
                prevF = f;
                prevC = c;
                prevT = now;
            }
            double loadSecs = (prevT - start) / 1e9;
            System.out.printf(Locale.ROOT, "RESULT full_table_paths_applied %.0f%n", lastPaths - pStart);
            System.out.printf(Locale.ROOT, "RESULT full_table_seconds %.1f%n", loadSecs);
            System.out.printf(Locale.ROOT, "RESULT facts_during_full_table %.0f%n", prevF - fStart);
            System.out.printf(Locale.ROOT, "RESULT facts_per_s_full_table_mean %.1f%n", (prevF - fStart) / loadSecs);
            System.out.printf(Locale.ROOT, "RESULT facts_per_s_full_table_peak %.1f%n", peakFacts);
            System.out.printf(Locale.ROOT, "RESULT input_events_per_s_full_table_peak %.1f%n", peakEvents);
        }
    }
}
