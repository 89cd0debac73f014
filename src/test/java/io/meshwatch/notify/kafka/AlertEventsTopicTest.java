package io.meshwatch.notify.kafka;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.meshwatch.alerting.Signals;
import io.meshwatch.detect.Signal;
import io.meshwatch.detect.SignalType;
import io.meshwatch.detect.runtime.DetectionOutput;
import io.meshwatch.inventory.Severity;
import io.meshwatch.testing.Events;
import io.meshwatch.testing.KafkaBroker;
import io.meshwatch.testing.OwnApiKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Every lifecycle event of an alert lands on {@code meshwatch.alerts.v1} of the real broker, keyed
 * by the fingerprint, in order: raised, repeated, acknowledged (by the API key's name), resolved;
 * each once, with its id in the {@code Idempotency-Key} header.
 */
@QuarkusTest
@OwnApiKeys
class AlertEventsTopicTest {

    @Inject
    DetectionOutput output;

    static List<ConsumerRecord<String, String>> recordsOf(String fingerprint, int atLeast) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrap());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor("meshwatch.alerts.v1").stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long until = System.currentTimeMillis() + 20_000;
            while (out.size() < atLeast && System.currentTimeMillis() < until) {
                c.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (fingerprint.equals(r.key())) {
                        out.add(r);
                    }
                });
            }
            c.poll(Duration.ofMillis(500)).forEach(r -> { // anything more (a duplicate) would show here
                if (fingerprint.equals(r.key())) {
                    out.add(r);
                }
            });
        }
        return out;
    }

    @Test
    void everyTransitionIsPublishedOnceInOrderKeyedByFingerprint() {
        String router = Events.uniqueRouter("cx-topic");
        Signal s = Signals.firing(SignalType.BGP_SESSION_DOWN, Severity.MAJOR, Map.of("router", router,
                "peer", "169.254.7.1"), "BGP session " + router + " -> 169.254.7.1 down", Instant.now(), null, false);
        output.signal(s);
        output.signal(s);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().header("Authorization", "Bearer dev-viewer")
                .get("/api/v1/alerts/{fp}", s.fingerprint()).then().statusCode(200).body("count",
                        org.hamcrest.Matchers.equalTo(2)));
        given().header("Authorization", "Bearer dev-responder").contentType("application/json")
                .body("{\"comment\":\"cable\"}").post("/api/v1/alerts/{fp}/acknowledge", s.fingerprint())
                .then().statusCode(200);
        output.signal(Signals.resolved(s, Instant.now()));

        List<ConsumerRecord<String, String>> got = recordsOf(s.fingerprint(), 4);
        List<JsonObject> events = got.stream().map(r -> new JsonObject(r.value())).toList();
        assertEquals(List.of("raised", "repeated", "acknowledged", "resolved"),
                events.stream().map(e -> e.getString("event")).toList(), events.toString());
        assertEquals(List.of("firing", "firing", "acknowledged", "resolved"),
                events.stream().map(e -> e.getString("state")).toList());
        JsonObject raised = events.get(0);
        assertEquals(1, raised.getInteger("version"));
        assertEquals("BgpSessionDown", raised.getString("alertname"));
        assertEquals("major", raised.getString("severity"));
        assertEquals(router, raised.getJsonObject("labels").getString("router"));
        assertEquals("meshwatch", raised.getString("actor"));
        assertNull(raised.getString("from"));
        assertEquals(2, events.get(1).getInteger("count"));
        JsonObject ack = events.get(2);
        assertEquals("dev-responder", ack.getString("actor"));
        assertEquals("firing", ack.getString("from"));
        assertEquals("acknowledged: cable", ack.getString("reason"));
        assertEquals("meshwatch", events.get(3).getString("actor"));
        for (ConsumerRecord<String, String> r : got) {
            assertEquals("kafka-" + new JsonObject(r.value()).getString("id"),
                    new String(r.headers().lastHeader("Idempotency-Key").value(), StandardCharsets.UTF_8));
        }
    }
}
