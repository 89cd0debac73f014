package io.meshwatch.sim;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.testing.KafkaBroker;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;

/** What a user of the running service sees, through its HTTP API and its Kafka topics. */
final class SimApi {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final List<String> ROUTERS = List.of("cx-ash", "cx-fra", "tr-apse1", "tr-euw1", "tr-use1");
    private static final ObjectMapper JSON = new ObjectMapper();

    private SimApi() {
    }

    /** Waits until every simulated router is known with no session down and routes in its table. */
    static void awaitSteadyState() {
        await().atMost(WAIT).untilAsserted(() -> {
            List<Map<String, Object>> routers = given().get("/api/v1/routers").then().statusCode(200).extract()
                    .jsonPath().getList("findAll { it.id in ['cx-ash','cx-fra','tr-apse1','tr-euw1','tr-use1'] }");
            if (routers.size() != ROUTERS.size()) {
                throw new AssertionError("routers so far: " + routers);
            }
            for (Map<String, Object> r : routers) {
                if (!Integer.valueOf(0).equals(r.get("down")) || ((List<?>) r.get("routes")).isEmpty()) {
                    throw new AssertionError("not steady yet: " + r);
                }
            }
        });
    }

    /** Starts a scenario; returns the 202 answer. */
    static Response start(String scenario, String body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/v1/sim/scenarios/{name}", scenario);
    }

    /** Starts a scenario that must be accepted; returns its run id. */
    static String started(String scenario, String body) {
        return start(scenario, body).then().statusCode(202).extract().path("id");
    }

    static void awaitResolved(String run) {
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/sim/scenarios/runs/{id}", run).then()
                .statusCode(200).body("state", equalTo("RESOLVED")));
    }

    /** The peer of the best path covering {@code ip} at {@code router}, or null when no route covers it. */
    static String bestPeer(String router, String ip) {
        Response r = given().queryParam("ip", ip).get("/api/v1/routers/{r}/lookup", router);
        if (r.statusCode() == 404) {
            return null;
        }
        return r.then().statusCode(200).extract().path("best.peer");
    }

    /** One session of a router as {@code /peers} shows it. */
    static Map<String, Object> peer(String router, String peer) {
        List<Map<String, Object>> peers = given().get("/api/v1/routers/{r}/peers", router).then().statusCode(200)
                .extract().jsonPath().getList("findAll { it.peer == '" + peer + "' }");
        if (peers.size() != 1) {
            throw new AssertionError(router + " has no session with " + peer);
        }
        return peers.get(0);
    }

    /** Prefixes with a best path in one family of a router's default VRF. */
    static int prefixes(String router, String afi) {
        List<Integer> n = given().get("/api/v1/routers").then().statusCode(200).extract().jsonPath()
                .getList("find { it.id == '" + router + "' }.routes.findAll { it.vrf == 'default' && it.afi == '"
                        + afi + "' }.prefixes", Integer.class);
        return n.isEmpty() ? 0 : n.get(0);
    }

    /** Telemetry events (as JSON) of {@code type} observed at or after {@code since}, read from the topic's start to its end. */
    static List<JsonNode> telemetry(String type, Instant since, Predicate<JsonNode> filter) {
        Properties props = new Properties();
        props.put("bootstrap.servers", KafkaBroker.bootstrap());
        props.put("enable.auto.commit", "false");
        List<JsonNode> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor("meshwatch.telemetry.v1").stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(p -> c.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    JsonNode j = parse(r.value());
                    if (j.path("type").asText().equals(type) && !Instant.parse(j.path("time").asText()).isBefore(since)
                            && filter.test(j)) {
                        out.add(j);
                    }
                }
            }
        }
        return out;
    }

    private static JsonNode parse(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
