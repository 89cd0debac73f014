package io.meshwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.sim.StandaloneSimulator;
import io.meshwatch.testing.PackagedService;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Two figures of issue 14 with packaged instances in facts mode, a fresh in-process broker (4
 * partitions) and the standalone simulator playing the demo network:
 *
 * <ul>
 *   <li>{@code forward}: the same call ({@code GET /api/v1/routers/{r}/peers}) answered locally by
 *       the router's owner and forwarded by the other instance, alternating, client-side latency
 *       p50/p99 over {@code CALLS} calls each after a warm-up;</li>
 *   <li>{@code rebalance}: cx-ash gets a full table (the simulator's full-table scenario, 1M IPv4 +
 *       250k IPv6 prefixes), its owner writes a route-table snapshot, a second instance joins, and the
 *       owner is killed (-9): the time until the other instance answers cx-ash's digest equal to the one
 *       before the kill (group session timeout, snapshot load, restore and replay), and the restore
 *       time the new owner logs. Repeated {@code RUNS} times, a new instance joining each time.</li>
 * </ul>
 *
 * <p>Run: {@code bin/bench cluster} (args: calls, runs; default 2000, 3).
 */
public final class ClusterBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path LOGS = Path.of("target", "bench");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String ROUTER = "cx-ash";

    private ClusterBench() {
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        ServiceProcess.requireJar();
        Files.createDirectories(LOGS);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String db = System.getenv().getOrDefault("E2E_DB_NAME", "meshwatch_bench");
        List<PackagedService> all = new ArrayList<>();
        forgetEarlierRuns(db);
        try (ScratchKafka kafka = ScratchKafka.start();
             PrintStream simLog = new PrintStream(Files.newOutputStream(LOGS.resolve("cluster-sim.log")), true);
             StandaloneSimulator sim = StandaloneSimulator.start(new String[] {"--bootstrap", kafka.bootstrapServers(),
                     "--port", "0", "--rate", "0"}, Map.of(), simLog, simLog)) { // no churn: digests hold still
            Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                    "KAFKA_GROUP_ID", "cluster-" + run,
                    "MESHWATCH_DB_NAME", db,
                    "MESHWATCH_INVENTORY_FILE", "classpath:inventory/demo.yaml",
                    "MESHWATCH_DETECT_MODE", "facts",
                    "MESHWATCH_DETECT_OWNER_GROUP_ID", "cluster-detect-" + run,
                    "MESHWATCH_RIB_SNAPSHOT_INTERVAL", "15s");
            int n = 0;
            PackagedService a = start("cluster-" + (++n), env, all);
            PackagedService b = start("cluster-" + (++n), env, all);
            Thread.sleep(15_000); // both members, partitions shared, tables in

            // ---- forwarded against local
            PackagedService owner = ownerOf(List.of(a, b), ROUTER);
            PackagedService other = owner == a ? b : a;
            String path = "/api/v1/routers/" + ROUTER + "/peers";
            List<Long> local = new ArrayList<>();
            List<Long> forwarded = new ArrayList<>();
            for (int i = 0; i < 300; i++) { // warm-up
                call(owner, path);
                call(other, path);
            }
            for (int i = 0; i < calls; i++) {
                local.add(call(owner, path));
                forwarded.add(call(other, path));
            }
            report("forward_local_call", local);
            report("forward_forwarded_call", forwarded);

            // ---- rebalance of a shard owner holding a full table
            HttpResponse<String> started = HTTP.send(HttpRequest.newBuilder(URI.create(sim.url()
                            + "/api/v1/sim/scenarios/full-table")).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(
                            "{\"target\":\"" + ROUTER + "\",\"duration\":\"1h\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (started.statusCode() != 202) {
                throw new IllegalStateException("full-table scenario: " + started.statusCode() + " " + started.body());
            }
            List<PackagedService> live = new ArrayList<>(List.of(a, b));
            List<Double> total = new ArrayList<>();
            for (int i = 1; i <= runs; i++) {
                PackagedService holder = ownerOf(live, ROUTER);
                long paths = awaitPaths(holder, 1_250_000, Duration.ofMinutes(5));
                long snapshotPaths = awaitSnapshot(db, holder, paths, Duration.ofMinutes(2));
                String digest = holder.body("/api/v1/routers/" + ROUTER + "/digest");
                String before = JSON.readTree(digest).path("digest").asText();
                long killed = System.nanoTime();
                holder.kill();
                live.remove(holder);
                PackagedService next = live.get(0);
                while (true) {
                    HttpResponse<String> r = next.get("/api/v1/routers/" + ROUTER + "/digest");
                    if (r.statusCode() == 200 && JSON.readTree(r.body()).path("digest").asText().equals(before)) {
                        break;
                    }
                    if (System.nanoTime() - killed > 300_000_000_000L) {
                        throw new IllegalStateException("no equal table on " + next.name() + " within 300 s");
                    }
                    Thread.sleep(50);
                }
                double s = (System.nanoTime() - killed) / 1e9;
                total.add(s);
                String restored = Files.readAllLines(next.log()).stream()
                        .filter(l -> l.contains("Restored") && l.contains("from the snapshot")).reduce((x, y) -> y)
                        .orElse("(no restore logged)");
                System.out.printf(Locale.ROOT, "run %d: %s held %,d paths (snapshot of %,d); kill -9; %s answers the same "
                        + "digest after %.2f s; its log: %s%n", i, holder.name(), paths, snapshotPaths, next.name(), s,
                        restored.substring(Math.max(0, restored.indexOf("Restored"))));
                live.add(start("cluster-" + (++n), env, all));
                Thread.sleep(15_000);
            }
            report("rebalance_full_table_s", total.stream().map(x -> Math.round(x * 1e6)).toList());
        } finally {
            for (PackagedService s : all) {
                s.close();
            }
        }
    }

    /** Snapshots and checkpoints of an earlier run belong to another broker: gone before this one starts. */
    private static void forgetEarlierRuns(String db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:5432/" + db, "meshwatch",
                "meshwatch")) {
            // a fresh database has no tables yet (the first instance migrates it): nothing to forget
            for (String table : List.of("rib_snapshot", "rib_snapshot_history", "detection_checkpoint")) {
                try (var rs = c.createStatement().executeQuery("SELECT to_regclass('" + table + "') IS NOT NULL")) {
                    if (rs.next() && rs.getBoolean(1)) {
                        c.createStatement().execute("DELETE FROM " + table);
                    }
                }
            }
        }
    }

    private static PackagedService start(String name, Map<String, String> env, List<PackagedService> all)
            throws Exception {
        PackagedService s = PackagedService.launch(name, LOGS.resolve(name + ".log"), List.of("-Xmx3g"), env);
        all.add(s);
        return s.awaitReady(Duration.ofSeconds(120));
    }

    /** The instance that answers for the router itself (the answer names it). */
    private static PackagedService ownerOf(List<PackagedService> instances, String router) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (PackagedService s : instances) {
                HttpResponse<String> r = s.get("/api/v1/routers/" + router + "/digest");
                if (r.statusCode() == 200 && r.headers().firstValue("X-Meshwatch-Forwarded-By").isEmpty()) {
                    return s;
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("no instance answers for " + router + " itself");
    }

    /** One call's client-side latency in microseconds; fails on any answer but 200. */
    private static long call(PackagedService s, String path) throws Exception {
        long t = System.nanoTime();
        HttpResponse<String> r = s.get(path);
        long us = (System.nanoTime() - t) / 1000;
        if (r.statusCode() != 200) {
            throw new IllegalStateException(s.name() + " " + path + ": " + r.statusCode() + " " + r.body());
        }
        return us;
    }

    private static long awaitPaths(PackagedService s, long atLeast, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        long last = -1;
        int still = 0;
        while (System.nanoTime() < deadline) {
            long paths = 0;
            for (JsonNode r : JSON.readTree(s.body("/api/v1/routers"))) {
                if (r.path("id").asText().equals(ROUTER)) {
                    for (JsonNode c : r.path("routes")) {
                        paths += c.path("paths").asLong();
                    }
                }
            }
            still = paths >= atLeast && paths == last ? still + 1 : 0;
            if (still >= 3) {
                return paths;
            }
            last = paths;
            Thread.sleep(1000);
        }
        throw new IllegalStateException(s.name() + " did not hold " + atLeast + " paths of " + ROUTER + " in " + wait);
    }

    /**
     * Waits for a route-table snapshot (of any partition, of this invocation) holding at least
     * {@code paths} (so it has the whole table); returns its paths.
     */
    private static long awaitSnapshot(String db, PackagedService s, long paths, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:5432/" + db, "meshwatch",
                "meshwatch");
             // any snapshot of this invocation (earlier ones were deleted at its start): after a move the
             // restored one already holds the table, and with no new records nothing newer is written
             PreparedStatement st = c.prepareStatement("SELECT max(paths) FROM rib_snapshot")) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = st.executeQuery()) {
                    if (rs.next() && rs.getLong(1) >= paths) {
                        return rs.getLong(1);
                    }
                }
                Thread.sleep(500);
            }
        }
        throw new IllegalStateException("no snapshot of " + paths + " paths within " + wait + "; see " + s.log());
    }

    private static void report(String name, List<Long> micros) {
        long[] v = micros.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "RESULT %s_p50_ms %.2f%n", name, DetectLatencyBench.pct(v, 0.50) / 1000.0);
        System.out.printf(Locale.ROOT, "RESULT %s_p99_ms %.2f%n", name, DetectLatencyBench.pct(v, 0.99) / 1000.0);
        System.out.printf(Locale.ROOT, "RESULT %s_max_ms %.2f%n", name, v[v.length - 1] / 1000.0);
        System.out.printf(Locale.ROOT, "RESULT %s_samples %d%n", name, v.length);
    }
}
