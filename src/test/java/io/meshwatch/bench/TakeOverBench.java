package io.meshwatch.bench;

import io.meshwatch.sim.StandaloneSimulator;
import io.meshwatch.testing.PackagedService;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Take-over time of the detection owner (issue 14): two packaged instances in facts mode (the owner
 * and a standby) on a fresh in-process broker, the standalone simulator playing the demo network
 * into it; {@code RUNS} times: kill -9 the owner, time until the standby says it owns detection
 * ({@code meshwatch_detect_owner} 1) and until it has applied a fact ({@code meshwatch_detect_facts_applied_total}
 * grows), then start a new standby. The owner's group session timeout is the default, 6 s: what
 * the take-over waits for before anything else.
 *
 * <p>Run: {@code bin/bench takeover} (args: runs, default 5).
 */
public final class TakeOverBench {

    private static final Path LOGS = Path.of("target", "bench");

    private TakeOverBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        ServiceProcess.requireJar();
        Files.createDirectories(LOGS);
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<PackagedService> all = new ArrayList<>();
        try (ScratchKafka kafka = ScratchKafka.start();
             PrintStream simLog = new PrintStream(Files.newOutputStream(LOGS.resolve("takeover-sim.log")), true);
             StandaloneSimulator sim = StandaloneSimulator.start(new String[] {"--bootstrap", kafka.bootstrapServers(),
                     "--port", "0", "--probe-interval", "1s", "--telemetry-interval", "2s"}, Map.of(), simLog, simLog)) {
            Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                    "KAFKA_GROUP_ID", "takeover-" + run,
                    "MESHWATCH_DB_NAME", System.getenv().getOrDefault("E2E_DB_NAME", "meshwatch_bench"),
                    "MESHWATCH_INVENTORY_FILE", "classpath:inventory/demo.yaml",
                    "MESHWATCH_DETECT_MODE", "facts",
                    "MESHWATCH_DETECT_OWNER_GROUP_ID", "takeover-detect-" + run);
            int n = 0;
            List<PackagedService> live = new ArrayList<>();
            live.add(start("takeover-" + (++n), env, all));
            live.add(start("takeover-" + (++n), env, all));
            Thread.sleep(10_000); // both in the owner's group; facts flow
            List<Double> elected = new ArrayList<>();
            List<Double> applying = new ArrayList<>();
            for (int i = 1; i <= runs; i++) {
                PackagedService owner = owner(live, Duration.ofSeconds(60));
                live.remove(owner);
                PackagedService standby = live.get(0);
                double before = standby.metric("meshwatch_detect_facts_applied_total");
                long killed = System.nanoTime();
                owner.kill();
                awaitOwner(standby, Duration.ofSeconds(60));
                double e = (System.nanoTime() - killed) / 1e9;
                while (!(standby.metric("meshwatch_detect_facts_applied_total") > before)) {
                    if (System.nanoTime() - killed > 60_000_000_000L) {
                        throw new IllegalStateException("the new owner applied no fact within 60 s; see " + standby.log());
                    }
                    Thread.sleep(20);
                }
                double a = (System.nanoTime() - killed) / 1e9;
                elected.add(e);
                applying.add(a);
                System.out.printf(Locale.ROOT, "run %d: kill -9 %s (the owner); %s owns detection after %.2f s, applies "
                        + "facts after %.2f s%n", i, owner.name(), standby.name(), e, a);
                live.add(start("takeover-" + (++n), env, all));
                Thread.sleep(10_000); // the new standby settles into the groups
            }
            report("takeover_elected", elected);
            report("takeover_applying", applying);
        } finally {
            for (PackagedService s : all) {
                s.close();
            }
        }
    }

    private static PackagedService start(String name, Map<String, String> env, List<PackagedService> all)
            throws Exception {
        Map<String, String> named = new java.util.HashMap<>(env);
        named.put("HOSTNAME", name);
        PackagedService s = PackagedService.launch(name, LOGS.resolve(name + ".log"), List.of("-Xmx1g"), named);
        all.add(s);
        return s.awaitReady(Duration.ofSeconds(120));
    }

    /** The instance that owns detection, as it says itself. */
    private static PackagedService owner(List<PackagedService> live, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            for (PackagedService s : live) {
                if (owns(s)) {
                    return s;
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no instance owns detection within " + wait);
    }

    private static boolean owns(PackagedService s) throws Exception {
        return s.metric("meshwatch_detect_owner") == 1.0;
    }

    private static void awaitOwner(PackagedService s, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            if (owns(s)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException(s.name() + " did not become the detection owner within " + wait);
    }

    private static void report(String name, List<Double> seconds) {
        double[] v = seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        System.out.printf(Locale.ROOT, "RESULT %s_median_s %.2f%n", name, median);
        System.out.printf(Locale.ROOT, "RESULT %s_max_s %.2f%n", name, v[v.length - 1]);
        System.out.printf(Locale.ROOT, "RESULT %s_all_s %s%n", name, seconds);
    }
}
