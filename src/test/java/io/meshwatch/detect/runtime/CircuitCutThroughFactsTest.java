package io.meshwatch.detect.runtime;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.testing.KafkaBroker;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The same circuit cut as {@link CircuitCutTest}, with detection in facts mode: the shard stage
 * publishes what it derives to the facts topic and this instance, the one member of the owner's
 * group, judges it from there. Every assertion of the in-process test holds through the extra hop.
 */
@QuarkusTest
@TestProfile(FactsModeProfile.class)
class CircuitCutThroughFactsTest extends CircuitCutTest {

    @Test
    void thisInstanceOwnsDetectionAndTheFactsAreOnTheTopic() {
        await().atMost(WAIT).untilAsserted(() -> {
            var cluster = given().get("/api/v1/cluster").then().statusCode(200).extract().jsonPath();
            String self = cluster.getString("self");
            assertTrue(cluster.getBoolean("members.find { it.id == '" + self + "' }.detectionOwner"),
                    "this instance owns detection: " + cluster.prettify());
        });
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrap());
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition("meshwatch.facts.v1", 0);
            await().atMost(WAIT).until(() -> c.endOffsets(List.of(tp), Duration.ofSeconds(5)).get(tp) > 0);
            assertTrue(c.partitionsFor("meshwatch.facts.v1").size() == 1, "one partition: one owner");
        }
    }
}
