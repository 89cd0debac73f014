package io.meshwatch.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.dev.EmbeddedKafka;
import io.meshwatch.event.BgpState;
import io.meshwatch.event.BgpUpdateEvent;
import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.event.EndOfRibEvent;
import io.meshwatch.event.EventCodec;
import io.meshwatch.event.EventType;
import io.meshwatch.event.InterfaceCountersEvent;
import io.meshwatch.event.InterfaceStateEvent;
import io.meshwatch.event.PeerStateEvent;
import io.meshwatch.event.ProbeResultEvent;
import io.meshwatch.event.RejectedRecordException;
import io.meshwatch.event.TcpRetransmitsEvent;
import io.meshwatch.event.TunnelStateEvent;
import io.meshwatch.testing.KafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/sim run}'s main class in this JVM against the real in-process broker: it plays the demo
 * network into topics of its own (read back with a plain consumer, decoded by the real codec), serves
 * the scenario API on its own port, and refuses bad arguments, a bad inventory and an unreachable
 * Kafka with the documented exit codes. The packaged command itself, with SIGTERM and
 * {@code bin/sim SCENARIO --url} against it, is {@code StandaloneSimulatorIT}.
 */
class StandaloneSimulatorTest {

    private static final List<String> ROUTERS = List.of("cx-ash", "cx-fra", "tr-apse1", "tr-euw1", "tr-use1");
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void playsTheDemoNetworkIntoKafkaAndACircuitCutPostedToItsPortArrives() throws Exception {
        String bgp = "standalone-bgp-" + UUID.randomUUID();
        String telemetry = "standalone-telemetry-" + UUID.randomUUID();
        KafkaBroker.get().createTopics(List.of(bgp, telemetry), 4);
        Output out = new Output();
        Output err = new Output();
        try (Topic bgpTopic = new Topic(bgp, EventType.Family.BGP);
             Topic telemetryTopic = new Topic(telemetry, EventType.Family.TELEMETRY);
             StandaloneSimulator sim = StandaloneSimulator.start(new String[] {"--bootstrap", KafkaBroker.bootstrap(),
                 "--bgp-topic", bgp, "--telemetry-topic", telemetry, "--port", "0", "--extra-prefixes", "20",
                 "--rate", "0", "--hold-time", "2s", "--dpd-timeout", "1s", "--ike-setup", "500ms", "--bgp-setup",
                 "500ms", "--probe-interval", "1s", "--telemetry-interval", "1s"}, Map.of(), out.stream, err.stream)) {
            String started = out.text();
            assertEquals(1, started.lines().count(), "one line at start: " + started);
            assertTrue(started.contains("5 routers, 18 sessions, 4 circuits, 8 tunnels") && started.contains("classpath:inventory/demo.yaml")
                    && started.contains(KafkaBroker.bootstrap()) && started.contains(bgp) && started.contains(telemetry)
                    && started.contains(sim.url() + "/api/v1/sim/scenarios") && sim.url().startsWith("http://127.0.0.1:"),
                    started);

            // every router's sessions come up with their tables and End-of-RIB, keyed by the router
            List<Keyed> steady = bgpTopic.await("the 18 session ends established, each with a table and End-of-RIB",
                    all -> peers(all, e -> true, BgpState.ESTABLISHED).size() == 18
                            && ROUTERS.stream().allMatch(r -> has(all, r, BgpUpdateEvent.class)
                            && has(all, r, EndOfRibEvent.class)));
            assertTrue(steady.stream().allMatch(k -> k.key().equals(k.event().router())), "keys are router ids");
            assertEquals(Set.copyOf(ROUTERS), steady.stream().map(Keyed::key).collect(Collectors.toSet()));
            assertTrue(peers(steady, e -> true, BgpState.ESTABLISHED).containsAll(
                    Set.of("cx-ash 169.254.10.2", "tr-use1 169.254.10.1", "cx-ash 169.254.110.2", "tr-use1 169.254.250.2")));
            List<Keyed> tele = telemetryTopic.await("interfaces, tunnels, probes, counters and TCP of every router",
                    all -> ROUTERS.stream().allMatch(r -> has(all, r, InterfaceStateEvent.class)
                            && has(all, r, InterfaceCountersEvent.class) && has(all, r, TcpRetransmitsEvent.class))
                            && has(all, "cx-ash", TunnelStateEvent.class) && has(all, "cx-ash", ProbeResultEvent.class));
            assertTrue(tele.stream().allMatch(k -> k.key().equals(k.event().router())), "keys are router ids");

            // the service's scenario API, on its own port, no key on loopback
            JsonNode catalogue = json(get(sim, "/api/v1/sim/scenarios"), 200);
            assertTrue(catalogue.get("enabled").asBoolean());
            assertEquals("classpath:inventory/demo.yaml", catalogue.get("inventory").asText());
            assertEquals(7, catalogue.get("scenarios").size());
            assertEquals("dx-ash-use1", catalogue.get("scenarios").get(0).get("defaultTarget").asText());

            HttpResponse<String> posted = post(sim, "/api/v1/sim/scenarios/circuit-cut",
                    "{\"circuit\": \"dx-ash-use1\", \"duration\": \"3s\"}");
            JsonNode run = json(posted, 202);
            String id = run.get("id").asText();
            assertEquals("/api/v1/sim/scenarios/runs/" + id, run.get("status").asText());
            assertEquals(sim.url() + run.get("status").asText(), posted.headers().firstValue("Location").orElseThrow());
            assertEquals("3s", run.get("duration").asText());
            Instant cut = Instant.parse(run.get("start").asText());

            Predicate<CanonicalEvent> afterCut = e -> !e.time().isBefore(cut);
            telemetryTopic.await("the circuit's interfaces down, then up, and its tunnel down, then up",
                    all -> ifaces(all, afterCut, "down").containsAll(Set.of("cx-ash eth1", "tr-use1 eth1"))
                            && ifaces(all, afterCut, "up").containsAll(Set.of("cx-ash eth1", "tr-use1 eth1"))
                            && tunnels(all, afterCut, "down").contains("vpn-ash-use1-dx")
                            && tunnels(all, afterCut, "up").contains("vpn-ash-use1-dx"));
            bgpTopic.await("the circuit's session idle at both ends after the hold time, then established again",
                    all -> peers(all, afterCut, BgpState.IDLE).containsAll(Set.of("cx-ash 169.254.10.2",
                            "tr-use1 169.254.10.1"))
                            && peers(all, afterCut, BgpState.ESTABLISHED).containsAll(Set.of("cx-ash 169.254.10.2",
                            "tr-use1 169.254.10.1")));
            assertFalse(peers(bgpTopic.events(), afterCut, BgpState.IDLE).contains("cx-fra 169.254.11.2"),
                    "only the cut circuit's sessions drop");

            long deadline = System.nanoTime() + WAIT.toNanos();
            JsonNode status;
            do {
                Thread.sleep(200);
                status = json(get(sim, "/api/v1/sim/scenarios/runs/" + id), 200);
            } while (!status.get("state").asText().equals("RESOLVED") && System.nanoTime() < deadline);
            assertEquals("RESOLVED", status.get("state").asText(), status.toString());
            assertEquals(id, json(get(sim, "/api/v1/sim/scenarios"), 200).get("runs").get(0).get("id").asText());

            // the service's refusals, same bodies
            JsonNode unknown = json(post(sim, "/api/v1/sim/scenarios/meteor-strike", ""), 404);
            assertEquals("not_found", unknown.get("error").asText());
            assertTrue(unknown.get("message").asText().contains("scenarios: circuit-cut, ipsec-failover"), unknown.toString());
            assertTrue(json(post(sim, "/api/v1/sim/scenarios/circuit-cut?circuit=dx-nowhere", ""), 400).get("message")
                    .asText().contains("'dx-nowhere' is not one; valid: dx-ash-use1, dx-fra-euw1"));
            assertTrue(json(post(sim, "/api/v1/sim/scenarios/circuit-cut", "{\"durration\": \"5s\"}"), 400)
                    .get("message").asText().contains("unknown field 'durration'"));
            assertTrue(json(get(sim, "/api/v1/sim/scenarios/runs/circuit-cut-00000000"), 404).get("message").asText()
                    .contains("no scenario run"));
            assertEquals(405, get(sim, "/api/v1/sim/scenarios/circuit-cut").statusCode());
            assertEquals(404, get(sim, "/api/v1/routers").statusCode());
        }
        String stopped = out.text();
        assertTrue(stopped.contains("Scenario circuit-cut-"), stopped);
        Matcher m = Pattern.compile("stopped after \\d+ s: (\\d+) events sent .*, (\\d+) acknowledged, 0 failed")
                .matcher(stopped);
        assertTrue(m.find(), stopped);
        assertEquals(m.group(1), m.group(2), "everything sent was flushed and acknowledged: " + stopped);
        assertEquals("", err.text());
    }

    @Test
    void offLoopbackTheApiAsksForTheKey() throws Exception {
        String bgp = "standalone-key-bgp-" + UUID.randomUUID();
        String telemetry = "standalone-key-telemetry-" + UUID.randomUUID();
        KafkaBroker.get().createTopics(List.of(bgp, telemetry), 1);
        Output out = new Output();
        Output err = new Output();
        try (StandaloneSimulator sim = StandaloneSimulator.start(new String[] {"--bootstrap", KafkaBroker.bootstrap(),
                 "--bgp-topic", bgp, "--telemetry-topic", telemetry, "--port", "0",
                 "--bind", "0.0.0.0", "--extra-prefixes", "0", "--rate", "0"},
                Map.of("MESHWATCH_SIM_API_KEY", "s3cret"), out.stream, err.stream)) {
            URI uri = URI.create("http://127.0.0.1:" + sim.port() + "/api/v1/sim/scenarios");
            HttpResponse<String> none = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("unauthorized", json(none, 401).get("error").asText());
            HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer dev-admin")
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, wrong.statusCode());
            HttpResponse<String> right = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer s3cret")
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(json(right, 200).get("enabled").asBoolean());
            assertTrue(out.text().contains("Authorization: Bearer"), out.text());
        }
    }

    @Test
    void badArgumentsPrintTheUsageAndExitTwo() {
        for (String[] args : List.of(new String[] {"--nope", "1"}, new String[] {"--port"},
                new String[] {"--port", "70000"}, new String[] {"--hold-time", "soon"}, new String[] {"stray"},
                new String[] {"--bootstrap", "no-port"}, new String[] {"--rate", "-1"},
                new String[] {"--bind", "0.0.0.0"})) {
            Output err = new Output();
            assertEquals(2, StandaloneSimulator.run(args, Map.of(), new Output().stream, err.stream), List.of(args)
                    .toString());
            assertTrue(err.text().startsWith("sim run: "), err.text());
            assertTrue(err.text().contains(StandaloneOptions.USAGE), err.text());
        }
        Output err = new Output();
        assertEquals(2, StandaloneSimulator.run(new String[] {"--bind", "0.0.0.0"}, Map.of(), new Output().stream,
                err.stream));
        assertTrue(err.text().contains("--api-key or MESHWATCH_SIM_API_KEY"), err.text());
        Output help = new Output();
        assertEquals(0, StandaloneSimulator.run(new String[] {"--help"}, Map.of(), help.stream, new Output().stream));
        assertTrue(help.text().contains("--inventory FILE"), help.text());
    }

    @Test
    void aBadInventoryStopsWithOneLineAndExitTwo(@TempDir Path dir) throws IOException {
        Path bad = Files.writeString(dir.resolve("net.yaml"), """
                version: 1
                routers:
                  - id: cx-x
                    asn: 65010
                circuits:
                  - id: dx-1
                    kind: direct-connect
                    a: { router: cx-nowhere, interface: eth1 }
                    z: { interface: far }
                """);
        for (String file : List.of(bad.toString(), dir.resolve("missing.yaml").toString())) {
            Output out = new Output();
            Output err = new Output();
            assertEquals(2, StandaloneSimulator.run(new String[] {"--inventory", file, "--bootstrap", "127.0.0.1:9"},
                    Map.of(), out.stream, err.stream));
            List<String> lines = err.text().lines().toList();
            assertEquals(1, lines.size(), err.text());
            assertTrue(lines.get(0).startsWith("sim run: ") && lines.get(0).contains(file), lines.get(0));
            assertEquals("", out.text());
        }
    }

    @Test
    void unreachableKafkaIsOneLineAndExitOneWithinTheTimeout() throws IOException {
        Output out = new Output();
        Output err = new Output();
        int closed = EmbeddedKafka.freePort();
        long t0 = System.nanoTime();
        assertEquals(1, StandaloneSimulator.run(new String[] {"--bootstrap", "127.0.0.1:" + closed, "--port", "0",
            "--kafka-timeout", "2s"}, Map.of(), out.stream, err.stream));
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(15).toNanos(), "bounded by --kafka-timeout");
        List<String> lines = err.text().lines().toList();
        assertEquals(1, lines.size(), err.text());
        assertTrue(lines.get(0).contains("Kafka at 127.0.0.1:" + closed + " did not answer")
                && lines.get(0).contains("nothing accepts connections there"), lines.get(0));
        assertEquals("", out.text());
    }

    @Test
    void kafkaSecurityComesFromTheServicesEnvironmentVariables() throws IOException {
        // the same variables application.properties maps to kafka.security.protocol, kafka.sasl.*, kafka.ssl.*
        Map<String, String> fromProperties = new HashMap<>();
        Pattern line = Pattern.compile("kafka\\.((?:security|sasl|ssl)\\.[a-z.]+)=\\$\\{([A-Z_]+):.*}");
        for (String l : Files.readAllLines(Path.of("src/main/resources/application.properties"))) {
            Matcher m = line.matcher(l.trim());
            if (m.matches()) {
                fromProperties.put(m.group(2), m.group(1));
            }
        }
        assertEquals(10, fromProperties.size(), fromProperties.toString());
        assertEquals(fromProperties, StandaloneSimulator.KAFKA_SECURITY_ENV);
        StandaloneOptions options;
        try {
            options = StandaloneOptions.parse(new String[0], Map.of());
        } catch (StandaloneOptions.UsageException e) {
            throw new AssertionError(e);
        }
        Map<String, Object> overrides = StandaloneSimulator.kafkaOverrides(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512", "KAFKA_SSL_TRUSTSTORE_TYPE", "", "PATH", "/bin"), options);
        assertEquals(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512", "max.block.ms", 15000),
                overrides);
    }

    @Test
    void defaultsComeFromTheServicesEnvironmentThenTheDevBroker() throws Exception {
        StandaloneOptions plain = StandaloneOptions.parse(new String[0], Map.of());
        assertEquals("localhost:9092", plain.bootstrap());
        assertEquals("meshwatch.bgp.v1", plain.bgpTopic());
        assertEquals("meshwatch.telemetry.v1", plain.telemetryTopic());
        assertEquals(8090, plain.port());
        assertTrue(plain.loopback());
        assertEquals(SimSettings.defaults(), plain.settings());
        StandaloneOptions env = StandaloneOptions.parse(new String[] {"--hold-time", "6s", "--dpd-timeout", "3s"},
                Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka-0:9093,kafka-1:9093", "MESHWATCH_TOPICS_BGP", "bgp"));
        assertEquals("kafka-0:9093,kafka-1:9093", env.bootstrap());
        assertEquals("bgp", env.bgpTopic());
        assertEquals(SimSettings.defaults().withTimers(Duration.ofSeconds(6), Duration.ofSeconds(3)), env.settings());
        assertThrows(StandaloneOptions.UsageException.class, () -> StandaloneOptions.parse(new String[] {"--bootstrap",
            "a:1,b"}, Map.of()));
    }

    // --- helpers ---

    private record Keyed(String key, CanonicalEvent event) {
    }

    /** "router peer" of the peer-state events in {@code state}, of the events {@code when} accepts. */
    private static Set<String> peers(List<Keyed> all, Predicate<CanonicalEvent> when, BgpState state) {
        return all.stream().map(Keyed::event).filter(when).filter(e -> e instanceof PeerStateEvent p
                && p.state() == state).map(e -> e.router() + " " + ((PeerStateEvent) e).peer())
                .collect(Collectors.toSet());
    }

    private static Set<String> ifaces(List<Keyed> all, Predicate<CanonicalEvent> when, String oper) {
        return all.stream().map(Keyed::event).filter(when).filter(e -> e instanceof InterfaceStateEvent i
                && i.operStatus().equals(oper)).map(e -> e.router() + " " + ((InterfaceStateEvent) e).iface())
                .collect(Collectors.toSet());
    }

    private static Set<String> tunnels(List<Keyed> all, Predicate<CanonicalEvent> when, String state) {
        return all.stream().map(Keyed::event).filter(when).filter(e -> e instanceof TunnelStateEvent t
                && t.state().equals(state)).map(e -> ((TunnelStateEvent) e).tunnel()).collect(Collectors.toSet());
    }

    private static boolean has(List<Keyed> all, String router, Class<? extends CanonicalEvent> type) {
        return all.stream().anyMatch(k -> k.key().equals(router) && type.isInstance(k.event()));
    }

    private HttpResponse<String> get(StandaloneSimulator sim, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(sim.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(StandaloneSimulator sim, String path, String body)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(sim.url() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r, int status) throws IOException {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(null));
        JsonNode node = JSON.readTree(r.body());
        assertNotNull(node);
        return node;
    }

    /** A topic read from the beginning with a plain consumer, every record decoded by the real codec. */
    private static final class Topic implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        private final EventType.Family family;
        private final EventCodec codec = new EventCodec(new ObjectMapper());
        private final List<Keyed> events = new ArrayList<>();

        Topic(String topic, EventType.Family family) {
            this.family = family;
            Properties p = new Properties();
            p.put("bootstrap.servers", KafkaBroker.bootstrap());
            p.put("group.id", "standalone-test-" + UUID.randomUUID());
            p.put("enable.auto.commit", "false");
            consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
            // the topic may not exist yet when the simulator has not written to it: wait for its partitions
            // (assigning none would make every poll fail)
            long deadline = System.nanoTime() + WAIT.toNanos();
            List<TopicPartition> parts = List.of();
            while (parts.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("topic " + topic + " has no partitions after " + WAIT);
                }
                parts = consumer.partitionsFor(topic).stream()
                        .map(i -> new TopicPartition(topic, i.partition())).toList();
                if (parts.isEmpty()) {
                    sleep(100);
                }
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
        }

        List<Keyed> events() {
            return events;
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }

        /** Polls until {@code done} holds for everything read so far; returns it. */
        List<Keyed> await(String what, Predicate<List<Keyed>> done) throws RejectedRecordException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!done.test(events)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("not seen within " + WAIT + ": " + what + "; " + events.size()
                            + " events read");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    events.add(new Keyed(r.key(), codec.decode(r.value(), family)));
                }
            }
            return events;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    /** A print stream whose text can be read. */
    private static final class Output {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
