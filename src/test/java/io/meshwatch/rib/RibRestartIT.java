package io.meshwatch.rib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.dev.EmbeddedKafka;
import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.event.EventCodec;
import io.meshwatch.event.EventType;
import io.meshwatch.routing.RibSnapshot;
import io.meshwatch.testing.KafkaBroker;
import io.meshwatch.testing.LocalPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged service, stopped and started again, comes back with every route table exactly as a
 * reference built in-process from the same events without a stop, including routers that sent
 * nothing while it was down; and detection, seeded with the BGP sessions restored from the database,
 * takes a peer that went down meanwhile as a session going down. Real broker, real PostgreSQL, the real jar run twice (Failsafe, after
 * {@code package}).
 */
class RibRestartIT {

    static final Path APP = Path.of("target", "quarkus-app");
    static final Instant T = Instant.parse("2026-11-26T09:00:00Z");

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String topic = "meshwatch.bgp.restart-it-" + run;
    final Map<Integer, Long> endOffsets = new HashMap<>();
    final RibService reference = new RibService(Clock.systemUTC(), new SimpleMeterRegistry());
    final EventCodec codec = new EventCodec(new ObjectMapper());
    final HttpClient http = HttpClient.newHttpClient();
    Process service;
    int httpPort;

    @AfterEach
    void stopService() throws InterruptedException {
        stop();
    }

    @Test
    void restartComesBackWithEveryPath() throws Exception {
        LocalPostgres.ensure();
        KafkaBroker.get().createTopics(List.of(topic), 4);
        List<String> routers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            routers.add("rr-" + run + "-" + i);
        }
        // phase 1: every router learns its tables
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (String r : routers) {
                for (String e : phase1(r)) {
                    send(producer, r, e);
                }
            }
        }
        start("first");
        awaitDigests(routers, Duration.ofSeconds(90));
        awaitSnapshotsCoverEnd(Duration.ofSeconds(60));
        stop();

        // phase 2, while the service is down: withdrawals, a peer going down, changed attributes;
        // half the routers send nothing at all
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (String r : routers.subList(0, 4)) {
                for (String e : phase2(r)) {
                    send(producer, r, e);
                }
            }
        }
        start("second");
        awaitDigests(routers, Duration.ofSeconds(90));
        String log = Files.readString(Path.of("target", "rib-restart-it-second.log"));
        assertTrue(log.contains("from the snapshot taken at"), "the second start restored from snapshots:\n" + log);
        // detection was seeded with the sessions restored from the database: the blue peer that went
        // down while the service was stopped is a change from established, so BgpSessionDown fires
        // on exactly the routers that sent it (unseeded, detection would take it as a first report)
        awaitSessionDowns(routers, Set.copyOf(routers.subList(0, 4)), Duration.ofSeconds(30));
    }

    // ------------------------------------------------------------------ events

    private List<String> phase1(String r) {
        List<String> out = new ArrayList<>();
        out.add(peerState(r, "default", "10.0.0.1", 65001, "established"));
        out.add(peerState(r, "default", "10.0.0.2", 64500, "established"));
        out.add(peerState(r, "blue", "172.16.0.1", 65003, "established"));
        for (int block = 0; block < 10; block++) {
            StringBuilder add = new StringBuilder();
            StringBuilder addPath = new StringBuilder();
            for (int k = 0; k < 50; k++) {
                String p = "\"10." + block + "." + k + ".0/24\"";
                add.append(add.length() > 0 ? "," : "").append(p);
                addPath.append(addPath.length() > 0 ? "," : "").append("{\"prefix\":").append(p)
                        .append(",\"path_id\":1},{\"prefix\":").append(p).append(",\"path_id\":2}");
            }
            out.add(update(r, "default", "10.0.0.1", 65001, "adj-in-post",
                    attrs("[65001, 65100, [65200, 65201]]", "10.0.0.1", 200, "\"65001:" + block + "\""), add, ""));
            out.add(update(r, "default", "10.0.0.2", 64500, "adj-in-post",
                    attrs("[65300]", "10.0.0.2", 100, "\"64500:1\", \"64500:2\""), addPath, ""));
        }
        out.add(update(r, "default", "10.0.0.1", 65001, "adj-in-post",
                attrs("[65001]", "2001:db8::1", 100, ""), "\"2001:db8:100::/40\", \"2001:db8:200::/48\"", ""));
        out.add(update(r, "blue", "172.16.0.1", 65003, "adj-in-post",
                attrs("[65003]", "172.16.0.1", 100, "\"65003:7\""), "\"10.0.0.0/8\", \"2001:db8:300::/48\"", ""));
        out.add(update(r, "default", "10.0.0.9", 64500, "loc-rib",
                attrs("[65001, 65100]", "10.0.0.1", 200, ""), "\"10.0.1.0/24\", \"10.99.0.0/16\"", ""));
        out.add(endOfRib(r, "10.0.0.1", 65001, "ipv4"));
        return out;
    }

    private List<String> phase2(String r) {
        List<String> out = new ArrayList<>();
        StringBuilder gone = new StringBuilder();
        for (int k = 0; k < 20; k++) {
            gone.append(gone.length() > 0 ? "," : "").append("\"10.1.").append(k).append(".0/24\"");
        }
        out.add(update(r, "default", "10.0.0.1", 65001, "adj-in-post", null, "", gone.toString()));
        out.add(update(r, "default", "10.0.0.2", 64500, "adj-in-post", null, "",
                "{\"prefix\":\"10.2.3.0/24\",\"path_id\":2}"));
        out.add(update(r, "default", "10.0.0.1", 65001, "adj-in-post",
                attrs("[65001, 65111]", "10.0.0.1", 300, "\"65001:99\""), "\"10.3.0.0/24\", \"10.200.0.0/16\"", ""));
        out.add(peerState(r, "blue", "172.16.0.1", 65003, "idle"));
        out.add(update(r, "default", "10.0.0.9", 64500, "loc-rib", null, "", "\"10.99.0.0/16\""));
        return out;
    }

    private static String attrs(String asPath, String nextHop, int localPref, String communities) {
        return "{\"origin\":\"igp\",\"as_path\":" + asPath + ",\"next_hop\":\"" + nextHop + "\",\"local_pref\":"
                + localPref + ",\"communities\":[" + communities + "]}";
    }

    private static String update(String r, String vrf, String peer, long peerAs, String rib, String attrs,
            CharSequence announce, String withdraw) {
        return "{\"version\":1,\"type\":\"bgp.update\",\"router\":\"" + r + "\",\"time\":\"" + T
                + "\",\"payload\":{\"vrf\":\"" + vrf + "\",\"peer\":\"" + peer + "\",\"peer_as\":" + peerAs
                + ",\"rib\":\"" + rib + "\"" + (attrs == null ? "" : ",\"attributes\":" + attrs)
                + ",\"announce\":[" + announce + "],\"withdraw\":[" + withdraw + "]}}";
    }

    private static String peerState(String r, String vrf, String peer, long peerAs, String state) {
        return "{\"version\":1,\"type\":\"bgp.peer_state\",\"router\":\"" + r + "\",\"time\":\"" + T
                + "\",\"payload\":{\"vrf\":\"" + vrf + "\",\"peer\":\"" + peer + "\",\"peer_as\":" + peerAs
                + ",\"local_as\":64500,\"state\":\"" + state + "\"}}";
    }

    private static String endOfRib(String r, String peer, long peerAs, String afi) {
        return "{\"version\":1,\"type\":\"bgp.end_of_rib\",\"router\":\"" + r + "\",\"time\":\"" + T
                + "\",\"payload\":{\"vrf\":\"default\",\"peer\":\"" + peer + "\",\"peer_as\":" + peerAs
                + ",\"afi\":\"" + afi + "\"}}";
    }

    /** Produces the event and applies it to the reference, as the service would. */
    private void send(KafkaProducer<String, byte[]> producer, String router, String json) throws Exception {
        byte[] value = json.getBytes(StandardCharsets.UTF_8);
        CanonicalEvent e = codec.decode(value, EventType.Family.BGP);
        reference.apply(List.of(e));
        RecordMetadata m = producer.send(new ProducerRecord<>(topic, router, value)).get();
        endOffsets.merge(m.partition(), m.offset() + 1, Math::max);
    }

    private static KafkaProducer<String, byte[]> producer() {
        Properties props = new Properties();
        props.put("bootstrap.servers", KafkaBroker.bootstrap());
        props.put("acks", "all");
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    // ------------------------------------------------------------------ the service

    static final String API_KEY = "restart-it-" + java.util.UUID.randomUUID();

    private void start(String name) throws IOException {
        httpPort = EmbeddedKafka.freePort();
        // the production profile has no API keys: give this run a viewer key for the digest endpoint
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dmeshwatch.auth.keys.restart-it.key=" + API_KEY, "-Dmeshwatch.auth.keys.restart-it.role=viewer",
                "-jar", APP.resolve("quarkus-run.jar").toString()).redirectErrorStream(true)
                .redirectOutput(Path.of("target", "rib-restart-it-" + name + ".log").toFile());
        Map<String, String> env = pb.environment();
        env.put("KAFKA_BOOTSTRAP_SERVERS", KafkaBroker.bootstrap());
        env.put("KAFKA_GROUP_ID", "restart-it-" + run);
        env.put("MESHWATCH_TOPICS_BGP", topic);
        env.put("MESHWATCH_DB_NAME", LocalPostgres.DATABASE);
        env.put("MESHWATCH_RIB_SNAPSHOT_INTERVAL", "1s");
        env.put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
        env.put("MESHWATCH_BMP_PORT", "0");
        service = pb.start();
    }

    private void stop() throws InterruptedException {
        if (service != null) {
            service.destroy(); // SIGTERM: a normal shutdown
            if (!service.waitFor(60, TimeUnit.SECONDS)) {
                service.destroyForcibly().waitFor();
            }
            service = null;
        }
    }

    private void awaitDigests(List<String> routers, Duration wait) throws Exception {
        Map<String, String> expected = new LinkedHashMap<>();
        for (String r : routers) {
            expected.put(r, RibSnapshot.digest(reference.table(r).orElseThrow()));
        }
        long deadline = System.nanoTime() + wait.toNanos();
        Map<String, String> actual = new LinkedHashMap<>();
        while (System.nanoTime() < deadline) {
            assertTrue(service.isAlive(), "the service is running");
            for (String r : routers) {
                actual.put(r, digest(r));
            }
            if (actual.equals(expected)) {
                return;
            }
            Thread.sleep(250);
        }
        assertEquals(expected, actual, "digest of every router's table");
    }

    private String digest(String router) {
        try {
            HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                    + "/api/v1/routers/" + router + "/digest")).header("Authorization", "Bearer " + API_KEY)
                    .timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher m = Pattern.compile("\"digest\"\\s*:\\s*\"([0-9a-f]+)\"").matcher(res.body());
            return res.statusCode() == 200 && m.find() ? m.group(1) : "HTTP " + res.statusCode();
        } catch (IOException e) {
            return "unreachable";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until BgpSessionDown of the blue peer fires on {@code expected} and on no other of {@code routers}. */
    private void awaitSessionDowns(List<String> routers, Set<String> expected, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        Set<String> actual = new TreeSet<>();
        while (System.nanoTime() < deadline) {
            actual.clear();
            HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                    + "/api/v1/signals?status=firing&limit=1000")).header("Authorization", "Bearer " + API_KEY)
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, res.statusCode(), res.body());
            for (JsonNode signal : new ObjectMapper().readTree(res.body())) {
                JsonNode labels = signal.path("labels");
                if ("BgpSessionDown".equals(signal.path("name").asText()) && "blue".equals(labels.path("vrf").asText())
                        && "172.16.0.1".equals(labels.path("peer").asText())
                        && routers.contains(labels.path("router").asText())) {
                    actual.add(labels.path("router").asText());
                }
            }
            if (actual.equals(expected)) {
                return;
            }
            Thread.sleep(250);
        }
        assertEquals(new TreeSet<>(expected), actual, "routers with BgpSessionDown of their blue peer");
    }

    /** Waits until the stored snapshot of every partition with records covers all of them. */
    private void awaitSnapshotsCoverEnd(Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        Map<Integer, Long> stored = new HashMap<>();
        while (System.nanoTime() < deadline) {
            stored.clear();
            try (Connection c = DriverManager.getConnection(LocalPostgres.jdbcUrl(), "meshwatch", "meshwatch");
                 Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT kafka_partition, next_offset FROM rib_snapshot WHERE topic = '"
                         + topic + "'")) {
                while (rs.next()) {
                    stored.put(rs.getInt(1), rs.getLong(2));
                }
            }
            if (stored.equals(endOffsets)) {
                return;
            }
            Thread.sleep(250);
        }
        assertEquals(endOffsets, stored, "snapshot offsets per partition");
    }
}
