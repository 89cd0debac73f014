package io.meshwatch.detect.runtime;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.testing.Events;
import io.meshwatch.testing.KafkaBroker;
import io.meshwatch.testing.LocalPostgres;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The same circuit cut as {@link CircuitCutTest}, with detection in facts mode: the shard stage
 * publishes what it derives to the facts topic and this instance, the one member of the owner's
 * group, judges it from there. Every assertion of the in-process test holds through the extra hop.
 *
 * <p>And a take-over in the middle of a cut: another member of the owner's group (a plain consumer
 * whose member id sorts first, so the range assignor gives it the facts partition) takes detection
 * away while the circuit is down; this instance checkpoints and stands down; the session goes down
 * while nobody judges; when the partition comes back, the instance restores the checkpoint and
 * replays the facts after it: the incident goes on, the failover is measured from the cut, the alert
 * is raised once.
 */
@QuarkusTest
@TestProfile(FactsModeProfile.class)
class CircuitCutThroughFactsTest extends CircuitCutTest {

    @Test
    void aCutGoesOnAcrossATakeOver() throws Exception {
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(120);
        String primary = group + "-dx";
        String backup = group + "-inet";
        steadyState(t0);

        Instant cut = t0.plusSeconds(30);
        telemetry(iface(cut, "down"));
        telemetry(tunnel(cut.plusSeconds(2), primary, "down", 1_000_500));
        String fingerprint = await().atMost(WAIT).until(() -> circuitDownAlert("firing"), f -> f != null);
        String incident = given().get("/api/v1/alerts/{f}", fingerprint).then().extract().path("incidentId");
        double restoresBefore = metric("meshwatch_detect_checkpoint_restores_total");

        String self = given().get("/api/v1/cluster").then().extract().path("self");
        try (KafkaConsumer<String, byte[]> thief = thief()) {
            // the partition moves: this instance checkpoints, stands down and is no longer the owner
            await().atMost(WAIT).until(() -> {
                thief.poll(Duration.ofMillis(100));
                return !thief.assignment().isEmpty();
            });
            await().atMost(WAIT).untilAsserted(() -> assertFalse(given().get("/api/v1/cluster").then().extract()
                    .jsonPath().getBoolean("members.find { it.id == '" + self + "' }.detectionOwner")));
            assertTrue(checkpointOffset() > 0, "a checkpoint with its facts offset is stored");
            // the session goes down while no one judges: the fact waits on the topic
            bgp(Events.peerState(cx, "169.254.10.2", 65001, "idle", cut.plusSeconds(9)));
            Instant until = Instant.now().plusSeconds(2);
            while (Instant.now().isBefore(until)) {
                thief.poll(Duration.ofMillis(100)); // stays a live member; applies nothing
            }
            // standing down resolved nothing
            given().get("/api/v1/alerts/{f}", fingerprint).then().body("state", equalTo("firing"));
        }
        // the partition comes back: restore, replay the facts after the checkpoint
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/tunnels/{g}", group).then()
                .body("carrying", equalTo(backup))
                .body("lastFailover.durationSeconds", equalTo(9.0f))
                .body("lastFailover.completedBy", equalTo("route")));
        assertTrue(metric("meshwatch_detect_checkpoint_restores_total") > restoresBefore, "the checkpoint was restored");
        JsonPath open = await().atMost(WAIT).until(() -> openIncidentOf(circuit), i -> i != null
                && i.getList("children.name").contains("IpsecFailover"));
        assertEquals(incident, open.getString("id"), "the incident goes on across the take-over");
        given().get("/api/v1/alerts/{f}", fingerprint).then().body("state", equalTo("firing"))
                .body("count", equalTo(1)).body("transitions", hasSize(1));

        // the repair resolves the alert once
        Instant fix = cut.plusSeconds(60);
        telemetry(iface(fix, "up"));
        telemetry(tunnel(fix.plusSeconds(1), primary, "up", 1_000_600));
        bgp(Events.peerState(cx, "169.254.10.2", 65001, "established", fix.plusSeconds(3)));
        bgp(update(fix.plusSeconds(4), "169.254.10.2", "[65001]"));
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/alerts/{f}", fingerprint).then()
                .body("state", equalTo("resolved")).body("count", equalTo(1)).body("transitions", hasSize(2)));
        given().get("/api/v1/incidents/{id}", incident).then().body("status", equalTo("resolved"));
    }

    /** A member of the owner's group whose member id sorts before this instance's. */
    private static KafkaConsumer<String, byte[]> thief() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG,
                ConfigProvider.getConfig().getValue("meshwatch.detect.owner.group-id", String.class));
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "a-thief");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        c.subscribe(List.of("meshwatch.facts.v1"));
        return c;
    }

    private String circuitDownAlert(String state) {
        JsonPath page = given().get("/api/v1/alerts?circuit={c}&type=CircuitDown", circuit).then().statusCode(200)
                .extract().jsonPath();
        return page.getInt("total") == 1 && state.equals(page.getString("items[0].state"))
                ? page.getString("items[0].fingerprint") : null;
    }

    private static long checkpointOffset() throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(LocalPostgres.jdbcUrl(), "meshwatch",
                "meshwatch");
             java.sql.PreparedStatement st = c.prepareStatement(
                     "SELECT facts_offset FROM detection_checkpoint WHERE group_id = ?")) {
            st.setString(1, ConfigProvider.getConfig().getValue("meshwatch.detect.owner.group-id", String.class));
            try (java.sql.ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    private static double metric(String name) {
        String all = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return all.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

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
