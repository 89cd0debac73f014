package io.meshwatch.sim;

import static io.meshwatch.sim.SimApi.WAIT;
import static io.meshwatch.sim.SimApi.awaitResolved;
import static io.meshwatch.sim.SimApi.awaitSteadyState;
import static io.meshwatch.sim.SimApi.bestPeer;
import static io.meshwatch.sim.SimApi.peer;
import static io.meshwatch.sim.SimApi.prefixes;
import static io.meshwatch.sim.SimApi.start;
import static io.meshwatch.sim.SimApi.telemetry;
import static io.meshwatch.sim.SimWatch.annotation;
import static io.meshwatch.sim.SimWatch.child;
import static io.meshwatch.sim.SimWatch.children;
import static io.meshwatch.sim.SimWatch.circuit;
import static io.meshwatch.sim.SimWatch.firedThenResolved;
import static io.meshwatch.sim.SimWatch.incident;
import static io.meshwatch.sim.SimWatch.incidents;
import static io.meshwatch.sim.SimWatch.noSignal;
import static io.meshwatch.sim.SimWatch.status;
import static io.meshwatch.sim.SimWatch.tunnelGroup;
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
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every scenario end to end, as an on-call engineer sees it: the simulator in the service produces
 * to the real in-process broker, the service consumes it into its route tables, session state,
 * detection and alerts (PostgreSQL), and the test reads the outcome through the API
 * ({@code /routers}, {@code /incidents}, {@code /alerts}, {@code /tunnels}, {@code /circuits},
 * {@code /signals}) and the telemetry topic. Each test starts from, and leaves, a steady network;
 * history is shared, so every detection query is limited to what happened since the test's start.
 * Timers and thresholds are short ({@link SimTestProfile}, {@code inventory/sim-e2e.yaml}).
 */
@QuarkusTest
@TestProfile(SimTestProfile.class)
class SimScenariosE2ETest {

    private static final String CUSTOMER_A = "10.1.200.7";

    private Instant t0;

    @BeforeEach
    void steady() {
        awaitSteadyState();
        t0 = Instant.now();
    }

    private static long flaps(String router, String peer) {
        return ((Number) peer(router, peer).get("flaps")).longValue();
    }

    /** When the scenario's fault ends: its start plus the duration asked for. */
    private static Instant faultEnd(Response accepted, Duration duration) {
        return Instant.parse(accepted.path("start")).plus(duration);
    }

    @Test
    @SuppressWarnings("unchecked")
    void circuitCutIsOneCircuitDownIncidentWithTheFailoverMeasuredThenEverythingResolves() {
        await().atMost(WAIT).until(() -> "169.254.10.2".equals(bestPeer("cx-ash", CUSTOMER_A)));
        long flapsBefore = flaps("cx-ash", "169.254.10.2");
        Response accepted = start("circuit-cut", "{\"circuit\": \"dx-ash-use1\", \"duration\": \"5s\"}");
        accepted.then().statusCode(202).header("Location", containsString("/api/v1/sim/scenarios/runs/"))
                .body("target", equalTo("dx-ash-use1")).body("timeline", hasSize(6))
                .body("timeline[2].what", containsString("hold timer expired"));
        String run = accepted.path("id");
        Instant end = faultEnd(accepted, Duration.ofSeconds(5));

        // while the circuit is cut: one incident, CircuitDown at its root, the failover and the
        // sessions as inhibited children; the on-call engineer acknowledges the CircuitDown alert
        Map<String, Object> cut = await().atMost(WAIT).ignoreExceptionsInstanceOf(AssertionError.class).until(() -> incident(t0, "CircuitDown", "circuit",
                "dx-ash-use1"), i -> children(i).containsAll(List.of("IpsecFailover", "BgpSessionDown")));
        assertEquals(false, ((Map<?, ?>) cut.get("root")).get("inhibited"));
        Map<String, Object> failover = child(cut, "IpsecFailover");
        assertEquals(true, failover.get("inhibited"), "the circuit explains the failover");
        assertEquals("vpn-ash-use1", ((Map<?, ?>) failover.get("labels")).get("tunnel_group"));
        double seconds = Double.parseDouble(annotation(failover, "failover_seconds"));
        assertTrue(seconds >= 1.0, "no faster than the 1 s hold time: " + seconds);
        assertTrue(((String) cut.get("title")).contains("failed over to vpn-ash-use1-inet"), (String) cut.get("title"));
        JsonPath alert = await().atMost(WAIT).ignoreExceptionsInstanceOf(AssertionError.class).until(() -> SimWatch.alert("CircuitDown", Map.of("circuit",
                "dx-ash-use1")), a -> "firing".equals(a.getString("state")));
        given().header("Authorization", "Bearer dev-responder").contentType(ContentType.JSON)
                .body("{\"comment\": \"on it\"}").post("/api/v1/alerts/{fp}/acknowledge", alert.getString("fingerprint"))
                .then().statusCode(200).body("state", equalTo("acknowledged")).body("acknowledgedBy", equalTo("dev-responder"));

        await().atMost(WAIT).untilAsserted(() -> {
            assertEquals("idle", peer("cx-ash", "169.254.10.2").get("state"));
            assertEquals("idle", peer("tr-use1", "169.254.10.1").get("state"));
            given().queryParam("ip", CUSTOMER_A).get("/api/v1/routers/cx-ash/lookup").then().statusCode(200)
                    .body("prefix", equalTo("10.1.200.0/24")).body("best.peer", equalTo("169.254.110.2"))
                    .body("best.asPath", equalTo("65001 65001 65001")).body("others", empty());
            JsonPath g = tunnelGroup("vpn-ash-use1");
            assertEquals("on-backup", g.getString("phase"));
            assertEquals("vpn-ash-use1-inet", g.getString("carrying"));
            assertEquals("vpn-ash-use1-dx", g.getString("lastFailover.from"));
        });
        JsonPath dx = circuit("dx-ash-use1");
        assertEquals("down", dx.getString("state"));
        assertTrue(dx.getList("reasons").contains("interface cx-ash eth1 oper-down"), dx.prettify());
        assertTrue(((String) peer("cx-ash", "169.254.10.2").get("lastReason")).contains("hold timer expired"));
        List<JsonNode> down = telemetry("interface.state", t0.minusSeconds(1), j -> j.at("/payload/oper_status")
                .asText().equals("down"));
        assertEquals(List.of("cx-ash eth1", "tr-use1 eth1"), down.stream().map(j -> j.path("router").asText() + " "
                + j.at("/payload/interface").asText()).sorted().toList());

        // the repair: sessions back, traffic on the primary again, the incident and its alerts resolved
        awaitResolved(run);
        await().atMost(WAIT).untilAsserted(() -> {
            assertEquals("established", peer("cx-ash", "169.254.10.2").get("state"));
            assertEquals("169.254.10.2", bestPeer("cx-ash", CUSTOMER_A));
            assertEquals("resolved", status(cut));
        });
        assertEquals(flapsBefore + 1, flaps("cx-ash", "169.254.10.2"));
        JsonPath g = tunnelGroup("vpn-ash-use1");
        assertEquals("normal", g.getString("phase"));
        assertEquals("vpn-ash-use1-dx", g.getString("carrying"));
        assertNotNull(g.get("lastFailback.durationSeconds"));
        assertEquals("up", circuit("dx-ash-use1").getString("state"));
        await().atMost(WAIT).untilAsserted(() -> {
            JsonPath a = firedThenResolved("CircuitDown", Map.of("circuit", "dx-ash-use1"), t0, end);
            assertTrue(a.getList("transitions.to").contains("acknowledged"), a.prettify());
            firedThenResolved("IpsecFailover", Map.of("tunnel_group", "vpn-ash-use1"), t0, end);
            firedThenResolved("BgpSessionDown", Map.of("router", "cx-ash", "peer", "169.254.10.2"), t0, end);
        });

        // the incident's blast radius over its lifetime, replayed from the BGP log: the PrivateLink
        // prefix on cx-ash went to the backup tunnel's peer during the cut and came back after it
        JsonPath rc = given().get("/api/v1/incidents/{id}/route-changes", cut.get("id")).then().statusCode(200)
                .body("incident", equalTo(cut.get("id"))).body("unanswered", empty()).extract().jsonPath();
        List<Map<String, Object>> privatelink = rc.getList(
                "prefixes.findAll { it.router == 'cx-ash' && it.prefix == '10.1.200.0/24' }");
        assertEquals(1, privatelink.size(), rc.prettify());
        Instant from = Instant.parse(rc.getString("from"));
        Instant to = Instant.parse(rc.getString("to"));
        List<String> best = new java.util.ArrayList<>();
        for (Map<?, ?> c : (List<Map<?, ?>>) privatelink.get(0).get("changes")) {
            Instant at = Instant.parse((String) c.get("time"));
            assertTrue(!at.isBefore(from) && !at.isAfter(to), at + " outside " + from + ".." + to);
            if ("best_change".equals(c.get("kind"))) {
                best.add(c.get("path") == null ? "none" : (String) ((Map<?, ?>) c.get("path")).get("peer"));
            }
        }
        int onBackup = best.indexOf("169.254.110.2");
        assertTrue(onBackup >= 0 && best.subList(onBackup, best.size()).contains("169.254.10.2"),
                "to the backup, then back to the primary: " + best + " in " + rc.prettify());
        assertEquals("169.254.10.2", best.get(best.size() - 1), best.toString());
        given().get("/api/v1/incidents/{id}/route-changes", "inc-unknown").then().statusCode(404);
        given().get("/api/v1/incidents/{id}/route-changes?limit=0", cut.get("id")).then().statusCode(400)
                .body("message", containsString("limit must be between 1 and"));
    }

    @Test
    void ipsecFailoverOverAHealthyCircuitIsTheGroupsIncidentNotACircuitDown() {
        Response accepted = start("ipsec-failover", "{\"group\": \"vpn-fra-euw1\"}");
        accepted.then().statusCode(202);
        String run = accepted.path("id");
        Instant end = faultEnd(accepted, Duration.ofMillis(2500));
        await().atMost(WAIT).untilAsserted(() -> {
            assertEquals("idle", peer("cx-fra", "169.254.11.2").get("state"));
            assertEquals("169.254.111.2", bestPeer("cx-fra", "10.2.0.1"));
        });
        assertEquals(ScenarioPlanner.TUNNEL_RESET, peer("cx-fra", "169.254.11.2").get("lastReason"));
        assertEquals("established", peer("cx-fra", "169.254.111.2").get("state"));
        assertEquals("up", circuit("dx-fra-euw1").getString("state"), "its own probes are answered");

        Map<String, Object> inc = await().atMost(WAIT).ignoreExceptionsInstanceOf(AssertionError.class).until(() -> incident(t0, "IpsecFailover", "tunnel_group",
                "vpn-fra-euw1"), i -> children(i).contains("BgpSessionDown"));
        Map<?, ?> root = (Map<?, ?>) inc.get("root");
        double seconds = Double.parseDouble((String) ((Map<?, ?>) root.get("annotations")).get("failover_seconds"));
        assertTrue(seconds > 0 && seconds < 2.0, "within the 2 s objective: " + seconds);
        assertEquals(true, child(inc, "BgpSessionDown").get("inhibited"), "the failover explains its session");
        await().atMost(WAIT).untilAsserted(() -> assertEquals("vpn-fra-euw1-inet",
                tunnelGroup("vpn-fra-euw1").getString("lastFailover.to")));

        awaitResolved(run);
        await().atMost(WAIT).untilAsserted(() -> {
            assertEquals("169.254.11.2", bestPeer("cx-fra", "10.2.0.1"));
            assertEquals("resolved", status(inc));
            firedThenResolved("IpsecFailover", Map.of("tunnel_group", "vpn-fra-euw1"), t0, end);
        });
        assertEquals("vpn-fra-euw1-dx", tunnelGroup("vpn-fra-euw1").getString("carrying"));
        noSignal(t0, "CircuitDown", "circuit", "dx-fra-euw1");
        assertTrue(incidents(t0, "CircuitDown", "circuit", "dx-fra-euw1").isEmpty());
    }

    @Test
    @SuppressWarnings("unchecked")
    void slowIpsecFailoverLeavesNoPathAndRaisesSlowGroupDownAndUnreachable() {
        Response accepted = start("ipsec-failover-slow", "{\"target\": \"vpn-ash-use1\"}");
        accepted.then().statusCode(202).body("notes[0]", containsString("duration raised"));
        String run = accepted.path("id");
        Instant end = Instant.parse(accepted.path("end"));
        await().atMost(WAIT).untilAsserted(() -> {
            assertEquals("idle", peer("cx-ash", "169.254.10.2").get("state"));
            assertNull(bestPeer("cx-ash", CUSTOMER_A), "nothing carries 10.1.200.0/24 during the gap");
        });
        given().queryParam("ip", CUSTOMER_A).get("/api/v1/routers/cx-ash/lookup").then().statusCode(404)
                .body("message", containsString("covers"));
        await().atMost(WAIT).until(() -> "169.254.110.2".equals(bestPeer("cx-ash", CUSTOMER_A)));

        // one incident for the group: down, then slow, then the late failover with its measured time
        Map<String, Object> inc = await().atMost(WAIT).ignoreExceptionsInstanceOf(AssertionError.class).until(() -> incident(t0, null, "tunnel_group", "vpn-ash-use1"),
                i -> names(i).containsAll(Set.of("IpsecTunnelGroupDown", "IpsecFailoverSlow", "IpsecFailover")));
        Map<?, ?> measured = Stream.concat(Stream.of((Map<?, ?>) inc.get("root")),
                        ((List<Map<?, ?>>) inc.get("children")).stream())
                .filter(s -> "IpsecFailover".equals(s.get("name"))).findFirst().orElseThrow();
        double seconds = Double.parseDouble((String) ((Map<?, ?>) measured.get("annotations")).get("failover_seconds"));
        assertTrue(seconds > 2.0, "slower than the 2 s objective: " + seconds);
        assertTrue(tunnelGroup("vpn-ash-use1").getDouble("lastFailover.durationSeconds") > 2.0);

        awaitResolved(run);
        await().atMost(WAIT).untilAsserted(() -> {
            assertEquals("169.254.10.2", bestPeer("cx-ash", CUSTOMER_A));
            assertEquals("resolved", status(inc));
            firedThenResolved("IpsecFailoverSlow", Map.of("tunnel_group", "vpn-ash-use1"), t0, end);
            firedThenResolved("IpsecTunnelGroupDown", Map.of("tunnel_group", "vpn-ash-use1"), t0, end);
            JsonPath lost = firedThenResolved("PrefixUnreachable", Map.of("router", "cx-ash",
                    "prefix", "10.1.200.0/24"), t0, end);
            assertEquals("critical", lost.getString("severity"), "the inventory's severity for customer-a");
        });
    }

    @SuppressWarnings("unchecked")
    private static Set<String> names(Map<String, Object> incident) {
        return Stream.concat(Stream.of((String) ((Map<String, Object>) incident.get("root")).get("name")),
                children(incident).stream()).collect(Collectors.toSet());
    }

    @Test
    void sessionFlapIsCountedRaisesFlappingAndEndsEstablished() {
        long before = flaps("cx-fra", "169.254.30.2");
        Response accepted = start("session-flap",
                "{\"session\": \"cx-fra/169.254.30.2\", \"flaps\": 3, \"duration\": \"5s\"}");
        accepted.then().statusCode(202);
        String run = accepted.path("id");
        Instant end = faultEnd(accepted, Duration.ofSeconds(5));
        Map<String, Object> inc = await().atMost(WAIT).ignoreExceptionsInstanceOf(AssertionError.class).until(() -> incident(t0, "BgpSessionFlapping", "peer",
                "169.254.30.2"), i -> true);
        assertEquals("cx-fra", ((Map<?, ?>) ((Map<?, ?>) inc.get("root")).get("labels")).get("router"));
        awaitResolved(run);
        await().atMost(WAIT).untilAsserted(() -> {
            Map<String, Object> p = peer("cx-fra", "169.254.30.2");
            assertEquals("established", p.get("state"));
            assertEquals(before + 3, ((Number) p.get("flaps")).longValue());
            assertEquals("169.254.30.2", bestPeer("cx-fra", "10.20.60.1"));
            // flapping resolves after the quiet period (2 s in the test profile)
            firedThenResolved("BgpSessionFlapping", Map.of("router", "cx-fra", "peer", "169.254.30.2"), t0, end);
            assertEquals("resolved", status(inc));
        });
        assertEquals("vpn-fra-gcp-ic", tunnelGroup("vpn-fra-gcp").getString("carrying"));
        noSignal(t0, "CircuitDown", "circuit", "ic-fra-gcp");
    }

    @Test
    void circuitDegradationRaisesCircuitDegradedWithLossAndJitterThenClears() {
        Response accepted = start("circuit-degraded", "{\"circuit\": \"ic-fra-gcp\", \"duration\": \"5s\"}");
        accepted.then().statusCode(202);
        String run = accepted.path("id");
        Instant begin = Instant.parse(accepted.path("start"));
        Instant end = faultEnd(accepted, Duration.ofSeconds(5));
        await().atMost(WAIT).untilAsserted(() -> {
            JsonPath c = circuit("ic-fra-gcp");
            assertEquals("degraded", c.getString("state"));
            String reasons = c.getList("reasons").toString();
            assertTrue(reasons.contains("loss") && reasons.contains("jitter"), reasons);
        });
        Map<String, Object> inc = incident(t0, "CircuitDegraded", "circuit", "ic-fra-gcp");
        String cause = (String) ((Map<?, ?>) ((Map<?, ?>) inc.get("root")).get("annotations")).get("cause");
        assertTrue(cause.contains("% > 1%") && cause.contains("jitter"), "loss and jitter over: " + cause);
        assertEquals("established", peer("cx-fra", "169.254.30.2").get("state"), "degraded, not down");

        awaitResolved(run);
        await().atMost(WAIT).untilAsserted(() -> {
            assertEquals("up", circuit("ic-fra-gcp").getString("state"));
            assertEquals("resolved", status(inc));
            firedThenResolved("CircuitDegraded", Map.of("circuit", "ic-fra-gcp"), t0, end);
        });
        noSignal(t0, "CircuitDown", "circuit", "ic-fra-gcp");
        // what the routers reported: loss and jitter above the thresholds while degraded, none after
        await().atMost(WAIT).until(() -> !telemetry("probe.result", end, SimScenariosE2ETest::isCircuit).isEmpty());
        List<JsonNode> probes = telemetry("probe.result", begin, SimScenariosE2ETest::isCircuit);
        List<JsonNode> during = probes.stream().filter(j -> time(j).isBefore(end)).toList();
        List<JsonNode> after = probes.stream().filter(j -> !time(j).isBefore(end)).toList();
        assertFalse(during.isEmpty());
        assertTrue(during.stream().allMatch(j -> j.at("/payload/loss_pct").asDouble() > 1
                && j.at("/payload/jitter_ms").asDouble() > 4), "above loss 1% and jitter 4 ms: " + during);
        assertTrue(after.stream().allMatch(j -> j.at("/payload/loss_pct").asDouble() == 0), after.toString());
    }

    private static boolean isCircuit(JsonNode j) {
        return "ic-fra-gcp".equals(j.at("/payload/circuit").asText());
    }

    private static Instant time(JsonNode j) {
        return Instant.parse(j.path("time").asText());
    }

    @Test
    void withdrawalStormEmptiesThenRefillsEveryOtherRoutersTableAndRaisesNothingForUnwatchedPrefixes() {
        await().atMost(WAIT).until(() -> "169.254.11.2".equals(bestPeer("cx-fra", "10.128.20.1")));
        int before = prefixes("cx-fra", "ipv4");
        int beforeApse = prefixes("tr-apse1", "ipv4");
        Response accepted = start("withdrawal-storm", "{\"router\": \"tr-euw1\", \"duration\": \"2s\"}");
        accepted.then().statusCode(202);
        await().atMost(WAIT).untilAsserted(() -> {
            assertEquals(before - 20, prefixes("cx-fra", "ipv4"));
            assertEquals(beforeApse - 20, prefixes("tr-apse1", "ipv4"));
            assertNull(bestPeer("cx-fra", "10.128.20.1"));
            assertNull(bestPeer("tr-apse1", "10.128.39.1"));
        });
        awaitResolved(accepted.path("id"));
        await().atMost(WAIT).untilAsserted(() -> {
            assertEquals(before, prefixes("cx-fra", "ipv4"));
            assertEquals(beforeApse, prefixes("tr-apse1", "ipv4"));
            assertNotNull(bestPeer("tr-apse1", "10.128.39.1"));
        });
        // the extra prefixes are not in the inventory and any-prefix watching is off: no alarm
        noSignal(t0, "PrefixUnreachable", null, null);
        assertTrue(incidents(t0, null, "router", "tr-euw1").isEmpty());
    }

    @Test
    void fullTableLoadsATransitPeersTableWithEndOfRibAndTakesItBack() {
        int v6Before = prefixes("cx-fra", "ipv6");
        Response accepted = start("full-table", "{\"router\": \"cx-fra\", \"duration\": \"3s\"}");
        accepted.then().statusCode(202);
        await().atMost(WAIT).untilAsserted(() -> {
            Map<String, Object> p = peer("cx-fra", "203.0.113.18");
            assertEquals("established", p.get("state"));
            assertEquals(3356, ((Number) p.get("peerAs")).intValue());
            assertEquals(20_000, p.get("ipv4Routes"));
            assertEquals(5_000, p.get("ipv6Routes"));
            assertNotNull(p.get("ipv4EndOfRib"));
            assertNotNull(p.get("ipv6EndOfRib"));
            // inside the wait: an answer during a partition's move is a 503 with Retry-After
            assertEquals(v6Before + 5_000, prefixes("cx-fra", "ipv6"));
        });
        awaitResolved(accepted.path("id"));
        await().atMost(WAIT).untilAsserted(() -> {
            Map<String, Object> p = peer("cx-fra", "203.0.113.18");
            assertEquals(0, p.get("ipv4Routes"));
            assertEquals(0, p.get("ipv6Routes"));
            assertEquals("established", p.get("state"));
            assertEquals(v6Before, prefixes("cx-fra", "ipv6"));
        });
        // an internet table arriving and leaving is not an outage: the cloud paths keep their primaries
        assertEquals("169.254.30.2", bestPeer("cx-fra", "10.20.60.1"));
        assertEquals("normal", tunnelGroup("vpn-fra-gcp").getString("phase"));
        noSignal(t0, "BgpSessionDown", "router", "cx-fra");
        noSignal(t0, "PrefixUnreachable", "router", "cx-fra");
    }
}
