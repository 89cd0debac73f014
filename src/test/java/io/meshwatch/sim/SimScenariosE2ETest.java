package io.meshwatch.sim;

import static io.meshwatch.sim.SimApi.WAIT;
import static io.meshwatch.sim.SimApi.awaitResolved;
import static io.meshwatch.sim.SimApi.awaitSteadyState;
import static io.meshwatch.sim.SimApi.bestPeer;
import static io.meshwatch.sim.SimApi.peer;
import static io.meshwatch.sim.SimApi.prefixes;
import static io.meshwatch.sim.SimApi.start;
import static io.meshwatch.sim.SimApi.started;
import static io.meshwatch.sim.SimApi.telemetry;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every scenario end to end: the simulator in the service produces to the real in-process broker,
 * the service consumes it into its route tables and session state (and PostgreSQL), and the test
 * sees the outcome as a user does, through {@code /api/v1/routers} and the telemetry topic. Each
 * test starts from, and leaves, a steady network.
 */
@QuarkusTest
@TestProfile(SimTestProfile.class)
class SimScenariosE2ETest {

    private static final String CUSTOMER_A = "10.1.200.7";

    @BeforeEach
    void steady() {
        awaitSteadyState();
    }

    private static long flaps(String router, String peer) {
        return ((Number) peer(router, peer).get("flaps")).longValue();
    }

    @Test
    void circuitCutMovesTheCustomerPrefixToTheBackupTunnelAndBack() {
        await().atMost(WAIT).until(() -> "169.254.10.2".equals(bestPeer("cx-ash", CUSTOMER_A)));
        long flapsBefore = flaps("cx-ash", "169.254.10.2");
        Instant t0 = Instant.now().minusSeconds(1);
        Response accepted = start("circuit-cut", "{\"circuit\": \"dx-ash-use1\"}");
        accepted.then().statusCode(202).header("Location", containsString("/api/v1/sim/scenarios/runs/"))
                .body("target", equalTo("dx-ash-use1")).body("timeline", hasSize(6))
                .body("timeline[2].what", containsString("hold timer expired"));
        String run = accepted.path("id");

        await().atMost(WAIT).untilAsserted(() -> {
            assertEquals("idle", peer("cx-ash", "169.254.10.2").get("state"));
            assertEquals("idle", peer("tr-use1", "169.254.10.1").get("state"));
            given().queryParam("ip", CUSTOMER_A).get("/api/v1/routers/cx-ash/lookup").then().statusCode(200)
                    .body("prefix", equalTo("10.1.200.0/24")).body("best.peer", equalTo("169.254.110.2"))
                    .body("best.asPath", equalTo("65001 65001 65001")).body("others", empty());
        });
        assertTrue(((String) peer("cx-ash", "169.254.10.2").get("lastReason")).contains("hold timer expired"));
        List<JsonNode> down = telemetry("interface.state", t0, j -> j.at("/payload/oper_status").asText()
                .equals("down"));
        assertEquals(List.of("cx-ash eth1", "tr-use1 eth1"), down.stream().map(j -> j.path("router").asText() + " "
                + j.at("/payload/interface").asText()).sorted().toList());

        awaitResolved(run);
        await().atMost(WAIT).untilAsserted(() -> {
            assertEquals("established", peer("cx-ash", "169.254.10.2").get("state"));
            assertEquals("169.254.10.2", bestPeer("cx-ash", CUSTOMER_A));
        });
        assertEquals(flapsBefore + 1, flaps("cx-ash", "169.254.10.2"));
    }

    @Test
    void ipsecFailoverUsesTheBackupPathsAlreadyReceived() {
        String run = started("ipsec-failover", "{\"group\": \"vpn-fra-euw1\"}");
        await().atMost(WAIT).untilAsserted(() -> {
            assertEquals("idle", peer("cx-fra", "169.254.11.2").get("state"));
            assertEquals("169.254.111.2", bestPeer("cx-fra", "10.2.0.1"));
        });
        assertEquals(ScenarioPlanner.TUNNEL_RESET, peer("cx-fra", "169.254.11.2").get("lastReason"));
        assertEquals("established", peer("cx-fra", "169.254.111.2").get("state"));
        awaitResolved(run);
        await().atMost(WAIT).until(() -> "169.254.11.2".equals(bestPeer("cx-fra", "10.2.0.1")));
    }

    @Test
    void slowIpsecFailoverLeavesNoPathUntilTheBackupsRoutesArrive() {
        Response accepted = start("ipsec-failover-slow", "{\"target\": \"vpn-ash-use1\"}");
        accepted.then().statusCode(202).body("notes[0]", containsString("duration raised"));
        String run = accepted.path("id");
        await().atMost(WAIT).untilAsserted(() -> {
            assertEquals("idle", peer("cx-ash", "169.254.10.2").get("state"));
            assertNull(bestPeer("cx-ash", CUSTOMER_A), "nothing carries 10.1.200.0/24 during the gap");
        });
        given().queryParam("ip", CUSTOMER_A).get("/api/v1/routers/cx-ash/lookup").then().statusCode(404)
                .body("message", containsString("covers"));
        await().atMost(WAIT).until(() -> "169.254.110.2".equals(bestPeer("cx-ash", CUSTOMER_A)));
        awaitResolved(run);
        await().atMost(WAIT).until(() -> "169.254.10.2".equals(bestPeer("cx-ash", CUSTOMER_A)));
    }

    @Test
    void sessionFlapIsCountedAndEndsEstablished() {
        long before = flaps("cx-fra", "169.254.30.2");
        String run = started("session-flap", "{\"session\": \"cx-fra/169.254.30.2\", \"flaps\": 3, \"duration\": \"3s\"}");
        awaitResolved(run);
        await().atMost(WAIT).untilAsserted(() -> {
            Map<String, Object> p = peer("cx-fra", "169.254.30.2");
            assertEquals("established", p.get("state"));
            assertEquals(before + 3, ((Number) p.get("flaps")).longValue());
            assertEquals("169.254.30.2", bestPeer("cx-fra", "10.20.60.1"));
        });
    }

    @Test
    void circuitDegradationShowsInTheProbesForLongerThanTheDwellThenClears() {
        Response accepted = start("circuit-degraded", "{\"circuit\": \"ic-fra-gcp\"}");
        accepted.then().statusCode(202);
        String run = accepted.path("id");
        Instant begin = Instant.parse(accepted.path("start"));
        Instant end = Instant.parse(accepted.path("end"));
        awaitResolved(run);
        // wait for a probe round after the recovery to reach the topic
        await().atMost(WAIT).until(() -> !telemetry("probe.result", end, j -> isCircuit(j)).isEmpty());
        List<JsonNode> probes = telemetry("probe.result", begin, SimScenariosE2ETest::isCircuit);
        List<JsonNode> during = probes.stream().filter(j -> time(j).isBefore(end)).toList();
        List<JsonNode> after = probes.stream().filter(j -> !time(j).isBefore(end)).toList();
        assertFalse(during.isEmpty());
        assertTrue(during.stream().allMatch(j -> j.at("/payload/loss_pct").asDouble() > 1
                && j.at("/payload/jitter_ms").asDouble() > 4), "above loss 1% and jitter 4 ms: " + during);
        Duration span = Duration.between(time(during.get(0)), time(during.get(during.size() - 1)));
        assertTrue(span.compareTo(Duration.ofSeconds(2)) >= 0, "degraded for " + span + ", dwell 2s");
        assertTrue(after.stream().allMatch(j -> j.at("/payload/loss_pct").asDouble() == 0), after.toString());
        assertEquals("established", peer("cx-fra", "169.254.30.2").get("state"), "degraded, not down");
    }

    private static boolean isCircuit(JsonNode j) {
        return "ic-fra-gcp".equals(j.at("/payload/circuit").asText());
    }

    private static Instant time(JsonNode j) {
        return Instant.parse(j.path("time").asText());
    }

    @Test
    void withdrawalStormEmptiesThenRefillsEveryOtherRoutersTable() {
        await().atMost(WAIT).until(() -> "169.254.11.2".equals(bestPeer("cx-fra", "10.128.20.1")));
        int before = prefixes("cx-fra", "ipv4");
        String run = started("withdrawal-storm", "{\"router\": \"tr-euw1\", \"duration\": \"2s\"}");
        await().atMost(WAIT).untilAsserted(() -> {
            assertEquals(before - 20, prefixes("cx-fra", "ipv4"));
            assertNull(bestPeer("cx-fra", "10.128.20.1"));
            assertNull(bestPeer("tr-apse1", "10.128.39.1"));
        });
        awaitResolved(run);
        await().atMost(WAIT).untilAsserted(() -> {
            assertEquals(before, prefixes("cx-fra", "ipv4"));
            assertNotNull(bestPeer("tr-apse1", "10.128.39.1"));
        });
    }

    @Test
    void fullTableLoadsATransitPeersTableWithEndOfRibAndTakesItBack() {
        int v6Before = prefixes("cx-fra", "ipv6");
        String run = started("full-table", "{\"router\": \"cx-fra\", \"duration\": \"3s\"}");
        await().atMost(WAIT).untilAsserted(() -> {
            Map<String, Object> p = peer("cx-fra", "203.0.113.18");
            assertEquals("established", p.get("state"));
            assertEquals(3356, ((Number) p.get("peerAs")).intValue());
            assertEquals(20_000, p.get("ipv4Routes"));
            assertEquals(5_000, p.get("ipv6Routes"));
            assertNotNull(p.get("ipv4EndOfRib"));
            assertNotNull(p.get("ipv6EndOfRib"));
        });
        assertEquals(v6Before + 5_000, prefixes("cx-fra", "ipv6"));
        awaitResolved(run);
        await().atMost(WAIT).untilAsserted(() -> {
            Map<String, Object> p = peer("cx-fra", "203.0.113.18");
            assertEquals(0, p.get("ipv4Routes"));
            assertEquals(0, p.get("ipv6Routes"));
            assertEquals("established", p.get("state"));
        });
    }
}
