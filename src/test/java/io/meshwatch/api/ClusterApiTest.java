package io.meshwatch.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.testing.LocalPostgres;
import io.meshwatch.testing.OwnApiKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/cluster} (viewer role) shows this instance with its advertised URL and the
 * input partitions it owns (alone in its consumer group: all 4 of each input topic, the same numbers
 * of both), its row in PostgreSQL carries the heartbeat, and the cluster metrics say the same.
 */
@QuarkusTest
@OwnApiKeys
class ClusterApiTest {

    static final String BGP = "meshwatch.bgp.v1";
    static final String TELEMETRY = "meshwatch.telemetry.v1";

    @Test
    void theClusterShowsThisInstanceWithItsPartitions() throws Exception {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonPath json = given().header("Authorization", "Bearer dev-viewer").get("/api/v1/cluster")
                    .then().statusCode(200).extract().jsonPath();
            String self = json.getString("self");
            assertNotNull(self);
            List<Map<String, Object>> members = json.getList("members");
            Map<String, Object> me = members.stream().filter(m -> self.equals(m.get("id"))).findFirst()
                    .orElseThrow(() -> new AssertionError("self " + self + " among the members: " + members));
            assertEquals(Map.of(BGP, List.of(0, 1, 2, 3), TELEMETRY, List.of(0, 1, 2, 3)), me.get("partitions"));
            assertEquals(Boolean.FALSE, me.get("detectionOwner"), "no detection owner before the election lands");
            assertTrue(String.valueOf(me.get("url")).matches("http://[^/:]+:" + RestAssured.port),
                    "advertised at this instance's HTTP port: " + me.get("url"));
            Instant started = Instant.parse((String) me.get("startedAt"));
            Instant beat = Instant.parse((String) me.get("heartbeatAt"));
            assertFalse(beat.isBefore(started.minusSeconds(5)), "heartbeat after start: " + me);
        });
        // the heartbeat keeps the row fresh (every 5 s by default)
        String self = given().header("Authorization", "Bearer dev-viewer").get("/api/v1/cluster").jsonPath()
                .getString("self");
        Instant first = heartbeat(self);
        await().atMost(Duration.ofSeconds(20)).until(() -> heartbeat(self).isAfter(first));

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String topic : List.of(BGP, TELEMETRY)) {
            assertTrue(metrics.contains("meshwatch_cluster_partitions_owned{topic=\"" + topic + "\"} 4.0"), metrics);
            for (int p = 0; p < 4; p++) {
                assertTrue(metrics.contains("meshwatch_cluster_partition_owned{partition=\"" + p + "\",topic=\""
                        + topic + "\"} 1.0"), "partition " + topic + "-" + p + " owned");
            }
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/q/metrics").then()
                .body(containsString("meshwatch_cluster_members 1.0")));
    }

    @Test
    void theClusterNeedsAKeyAndIsDescribed() {
        given().get("/api/v1/cluster").then().statusCode(401);
        given().header("Authorization", "Bearer dev-viewer").get("/q/openapi?format=json").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/api/v1/cluster"));
    }

    private static Instant heartbeat(String id) throws Exception {
        try (Connection c = DriverManager.getConnection(LocalPostgres.jdbcUrl(), "meshwatch", "meshwatch");
             PreparedStatement ps = c.prepareStatement("select heartbeat_at from cluster_member where instance_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "the row of " + id);
                return rs.getTimestamp(1).toInstant();
            }
        }
    }
}
