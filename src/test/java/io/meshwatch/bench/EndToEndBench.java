package io.meshwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.dev.EmbeddedKafka;
import io.meshwatch.event.BgpState;
import io.meshwatch.event.BgpUpdateEvent;
import io.meshwatch.event.EventCodec;
import io.meshwatch.event.PeerStateEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * End-to-end route-table ingest: records already in Kafka to the packaged service's table holding
 * them. Printed as {@code RESULT name value} lines for {@code bin/bench}.
 *
 * <p>For each scenario a fresh {@link EmbeddedKafka} (temp dir, topic {@code meshwatch.bgp.v1}
 * with 4 partitions) gets, untimed, one router's peer-state {@code established} events and then
 * the synthetic full table ({@link SyntheticTable#fullTable()}) of one or both peers, keyed by
 * router id. Then, RUNS times, the packaged service ({@code target/quarkus-app/quarkus-run.jar}) is
 * started as its own JVM with a new consumer group, so it reads the topic from the beginning.
 * The harness polls {@code /q/metrics} every 50 ms; the clock runs from the last poll that saw
 * {@code meshwatch_rib_prefixes_applied_total{op="announce"}} at 0 (after readiness) to the first
 * poll that saw it equal the prefixes produced, so each end is rounded outward by up to one poll.
 * {@code GET /api/v1/routers} must then report the expected path count, or the run fails.
 *
 * <ul>
 * <li>{@code rib_updates_per_s}: both peers (2.5M paths), prefixes / seconds, median of RUNS.</li>
 * <li>{@code full_table_load_s}: one peer (1.25M paths), seconds, median of RUNS.</li>
 * </ul>
 *
 * <p>Arguments: RUNS (default 3), scenarios ({@code both}, {@code table}, {@code rate}). The service
 * inherits this process's environment (so {@code MP_MESSAGING_INCOMING_BGP_IN_*} variables reach
 * it); {@code E2E_SERVICE_JVM_ARGS} adds JVM options to it (e.g. a JFR recording); its output goes
 * to {@code target/bench/e2e-service-*.log}. Broker and service share the machine's cores.
 */
public final class EndToEndBench {

    private static final String TOPIC = "meshwatch.bgp.v1";
    private static final String ANNOUNCED = "meshwatch_rib_prefixes_applied_total";
    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    private static final Path LOGS = Path.of("target/bench");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EndToEndBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        String which = args.length > 1 ? args[1] : "both";
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR + " is missing: ./mvnw -o -q package -DskipTests");
        }
        Files.createDirectories(LOGS);
        SyntheticTable t = SyntheticTable.fullTable();
        if (which.equals("both") || which.equals("table")) {
            double[] secs = scenario(t, 1, runs, "table");
            System.out.printf(Locale.ROOT, "RESULT full_table_load_s %.3f%n", TableBench.median(secs));
            System.out.println("RESULT full_table_load_s_runs " + fmt(secs));
        }
        if (which.equals("both") || which.equals("rate")) {
            double[] secs = scenario(t, 2, runs, "rate");
            double[] rates = new double[runs];
            for (int r = 0; r < runs; r++) {
                rates[r] = t.pathCount() / secs[r];
            }
            System.out.printf(Locale.ROOT, "RESULT rib_updates_per_s %.0f%n", TableBench.median(rates));
            System.out.println("RESULT rib_updates_per_s_runs " + fmt(rates));
        }
    }

    /** Produces the table of {@code peers} peers into a fresh broker, then times RUNS service launches. */
    private static double[] scenario(SyntheticTable t, int peers, int runs, String name) throws Exception {
        Path dir = Files.createTempDirectory("meshwatch-e2e-kafka");
        try (EmbeddedKafka broker = EmbeddedKafka.start(0, dir, 4)) {
            broker.createTopics(List.of(TOPIC), 4);
            long prefixes = produce(broker, t, peers);
            long paths = prefixes; // every prefix once per peer: one path each
            double[] secs = new double[runs];
            for (int r = 0; r < runs; r++) {
                secs[r] = runService(broker, prefixes, paths, name + "-" + r);
            }
            return secs;
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static long produce(EmbeddedKafka broker, SyntheticTable t, int peers) throws Exception {
        EventCodec codec = new EventCodec(MAPPER);
        long prefixes = 0;
        long records = 0;
        long t0 = System.nanoTime();
        Instant time = Instant.parse("2026-11-26T07:59:00Z");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", broker.bootstrapServers(), "linger.ms", 20, "batch.size", 1 << 20,
                "compression.type", "none", "acks", "1"), new StringSerializer(), new ByteArraySerializer())) {
            for (int p = 0; p < peers; p++) {
                var peer = SyntheticTable.peer(p);
                PeerStateEvent up = new PeerStateEvent(SyntheticTable.ROUTER, time, SyntheticTable.VRF,
                        peer.address().toString(), Integer.toUnsignedLong(peer.peerAs()),
                        (long) SyntheticTable.LOCAL_AS, BgpState.ESTABLISHED, null);
                producer.send(new ProducerRecord<>(TOPIC, SyntheticTable.ROUTER, codec.encode(up, "bmp")));
                records++;
            }
            for (int u = 0; u < t.updateCount(); u++) {
                if (u % t.peerCount() >= peers) {
                    continue;
                }
                BgpUpdateEvent e = t.event(u);
                prefixes += e.announce().size();
                // keyed by router id, as the service requires: one router = one partition
                producer.send(new ProducerRecord<>(TOPIC, e.router(), codec.encode(e, "bmp")));
                records++;
            }
            producer.flush();
        }
        System.out.printf(Locale.ROOT, "produced %d records (%d peers), %d prefixes in %.1f s (untimed)%n", records,
                peers, prefixes, (System.nanoTime() - t0) / 1e9);
        return prefixes;
    }

    /** One service launch; returns the seconds from the first applied prefix to the last. */
    private static double runService(EmbeddedKafka broker, long prefixes, long paths, String name) throws Exception {
        int port = EmbeddedKafka.freePort();
        List<String> cmd = new ArrayList<>(List.of("java", "-Xmx6g"));
        String extra = System.getenv("E2E_SERVICE_JVM_ARGS");
        if (extra != null && !extra.isBlank()) {
            for (String a : extra.trim().split("\\s+")) {
                cmd.add(a.replace("{run}", name));
            }
        }
        cmd.addAll(List.of("-jar", JAR.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("MESHWATCH_BMP_PORT", "0");
        env.put("KAFKA_GROUP_ID", "meshwatch-e2e-" + UUID.randomUUID());
        env.put("MESHWATCH_DB_NAME", System.getenv().getOrDefault("E2E_DB_NAME", "meshwatch_bench"));
        Path log = LOGS.resolve("e2e-service-" + name + ".log");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        String base = "http://127.0.0.1:" + port;
        long launched = System.nanoTime();
        Process proc = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!ready(base)) {
                if (!proc.isAlive()) {
                    throw new IllegalStateException("service exited with " + proc.exitValue() + " before ready; see "
                            + log);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("service not ready within 120 s; see " + log);
                }
                Thread.sleep(50);
            }
            long readyAt = System.nanoTime();
            long lastZero = readyAt;
            long firstSeen = -1;
            long done;
            double seen;
            long stuckDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
            while (true) {
                long now = System.nanoTime();
                seen = announced(base);
                if (seen == 0) {
                    lastZero = now;
                } else if (firstSeen < 0) {
                    firstSeen = now;
                }
                if (seen >= prefixes) {
                    done = now;
                    break;
                }
                if (!proc.isAlive()) {
                    throw new IllegalStateException("service exited at " + seen + " of " + prefixes + "; see " + log);
                }
                if (now > stuckDeadline) {
                    throw new IllegalStateException("only " + seen + " of " + prefixes + " prefixes after 300 s");
                }
                long next = now + TimeUnit.MILLISECONDS.toNanos(50);
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
            }
            if (seen != prefixes) {
                throw new IllegalStateException("announce counter is " + seen + ", expected " + prefixes);
            }
            long held = pathsHeld(base);
            if (held != paths) {
                throw new IllegalStateException("router " + SyntheticTable.ROUTER + " holds " + held
                        + " paths, expected " + paths);
            }
            double secs = (done - lastZero) / 1e9;
            System.out.printf(Locale.ROOT,
                    "run %s: start->ready %.1f s, ready->first applied %.2f s, load %.2f s = %.0f prefixes/s "
                            + "(ready->all %.2f s); %d paths held%n",
                    name, (readyAt - launched) / 1e9, (firstSeen - readyAt) / 1e9, secs, prefixes / secs,
                    (done - readyAt) / 1e9, held);
            return secs;
        } finally {
            proc.destroy();
            if (!proc.waitFor(30, TimeUnit.SECONDS)) {
                proc.destroyForcibly();
                proc.waitFor();
            }
        }
    }

    private static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(url + " answered " + r.statusCode());
        }
        return r.body();
    }

    private static boolean ready(String base) throws InterruptedException {
        try {
            return MAPPER.readTree(get(base + "/q/health/ready")).path("status").asText().equals("UP");
        } catch (IOException notYet) {
            return false;
        }
    }

    /** The announce counter, 0 while the series does not exist yet. */
    private static double announced(String base) throws IOException, InterruptedException {
        for (String line : get(base + "/q/metrics").split("\n")) {
            if (line.startsWith(ANNOUNCED + "{") && line.contains("op=\"announce\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    private static long pathsHeld(String base) throws IOException, InterruptedException {
        JsonNode routers = MAPPER.readTree(get(base + "/api/v1/routers"));
        for (JsonNode r : routers) {
            if (r.path("id").asText().equals(SyntheticTable.ROUTER)) {
                long paths = 0;
                for (JsonNode c : r.path("routes")) {
                    paths += c.path("paths").asLong();
                }
                return paths;
            }
        }
        throw new IllegalStateException("GET /api/v1/routers does not list " + SyntheticTable.ROUTER);
    }

    private static String fmt(double[] v) {
        StringBuilder b = new StringBuilder();
        for (double x : v) {
            b.append(b.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, x >= 1000 ? "%.0f" : "%.3f", x));
        }
        return b.toString();
    }
}
