package io.meshwatch.detect.runtime;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.inventory.TestInventories;
import io.meshwatch.testing.Events;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A circuit cut driven through the real broker: the demo's Ashburn Direct Connect fails, its
 * primary tunnel and BGP session go down, the routes move to the internet backup; the API shows one
 * CircuitDown incident whose children (the failover with its measured time, the session down) are
 * inhibited, the tunnel group on its backup, and after the repair the incident resolved.
 */
@QuarkusTest
class CircuitCutTest {

    static final String BGP = "meshwatch.bgp.v1";
    static final String TELEMETRY = "meshwatch.telemetry.v1";
    static final Duration WAIT = Duration.ofSeconds(60);

    String sfx;
    String cx;
    String circuit;
    String group;

    @BeforeEach
    void ownCopyOfTheDemoNetwork() throws Exception {
        // unique names, so no other test's events or state can meet this one's
        sfx = "-" + UUID.randomUUID().toString().substring(0, 6);
        cx = "cx-ash" + sfx;
        circuit = "dx-ash-use1" + sfx;
        group = "vpn-ash-use1" + sfx;
        String doc = TestInventories.demo().replace("cx-ash", cx).replace("tr-use1", "tr-use1" + sfx)
                .replace("dx-ash-use1", circuit).replace("vpn-ash-use1", group);
        yaml().body(doc).put("/api/v1/inventory").then().statusCode(200);
    }

    @AfterEach
    void putTheDemoBack() throws Exception {
        yaml().body(TestInventories.demo()).put("/api/v1/inventory")
                .then().statusCode(200);
    }

    @Test
    void circuitCutIsOneIncidentWithTheFailoverMeasured() {
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(120);
        String primary = group + "-dx";
        String backup = group + "-inet";

        steadyState(t0);
        given().get("/api/v1/circuits/{c}", circuit).then().statusCode(200).body("state", equalTo("up"));
        given().get("/api/v1/routers/{r}/lookup?ip=10.1.200.10", cx).then().statusCode(200)
                .body("best.peer", equalTo("169.254.10.2"));
        // the sessions are in the restart cache (written from the input channel's event loop)
        await().atMost(WAIT).until(() -> storedSession(cx, "169.254.10.2"), "established"::equals);

        // the cut: interface down, the tunnel over it down 2 s later (dead-peer detection)
        Instant cut = t0.plusSeconds(30);
        telemetry(iface(cut, "down"));
        telemetry(tunnel(cut.plusSeconds(2), primary, "down", 1_000_500));
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/circuits/{c}", circuit).then()
                .body("state", equalTo("down")));
        // ... and its BGP session after the hold time: the routes fall back to the backup
        bgp(Events.peerState(cx, "169.254.10.2", 65001, "idle", cut.plusSeconds(9)));

        // failover: from the first evidence (the interface at the cut) to the backup's path best
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/tunnels/{g}", group).then()
                .body("carrying", equalTo(backup))
                .body("lastFailover.from", equalTo(primary))
                .body("lastFailover.to", equalTo(backup))
                .body("lastFailover.durationSeconds", equalTo(9.0f))
                .body("lastFailover.completedBy", equalTo("route")));
        given().get("/api/v1/routers/{r}/lookup?ip=10.1.200.10", cx).then()
                .body("best.peer", equalTo("169.254.110.2"));
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("meshwatch_network_circuit_state{circuit=\"" + circuit
                + "\",kind=\"direct-connect\"} 2.0"), "circuit state gauge: down");
        assertTrue(metrics.contains("meshwatch_network_tunnel_carrying{role=\"backup\",tunnel=\"" + backup
                + "\",tunnel_group=\"" + group + "\"} 1.0"), "backup carries traffic");
        assertTrue(metrics.contains("meshwatch_network_bgp_session_up{peer=\"169.254.10.2\",router=\"" + cx
                + "\",vrf=\"default\"} 0.0"), "session gauge: down");

        JsonPath incident = await().atMost(WAIT).until(() -> openIncidentOf(circuit), i -> i != null
                && i.getList("children.name").containsAll(List.of("IpsecFailover", "BgpSessionDown")));
        assertEquals("CircuitDown", incident.getString("root.name"));
        assertEquals(circuit, incident.getString("root.labels.circuit"));
        assertEquals(false, incident.getBoolean("root.inhibited"));
        List<Map<String, Object>> children = incident.getList("children");
        for (Map<String, Object> child : children) {
            assertEquals(true, child.get("inhibited"), "child " + child.get("name") + " notifies on its own");
        }
        Map<String, Object> failover = children.stream().filter(c -> c.get("name").equals("IpsecFailover"))
                .findFirst().orElseThrow();
        assertEquals("9.0", ((Map<?, ?>) failover.get("annotations")).get("failover_seconds"));
        assertTrue(incident.getList("impact.sessionsDown").contains(cx + " default 169.254.10.2"),
                incident.prettify());
        assertTrue(incident.getList("impact.tunnelGroupsFailedOver").contains(group), incident.prettify());
        assertTrue(incident.getString("title").contains(circuit), incident.getString("title"));
        String id = incident.getString("id");
        given().get("/api/v1/incidents/{id}", id).then().statusCode(200)
                .body("timeline", notNullValue()).body("timeline.size()", org.hamcrest.Matchers.greaterThan(2));
        given().get("/api/v1/signals").then().statusCode(200)
                .body("findAll { it.labels.circuit == '" + circuit + "' }.name", hasItem("CircuitDown"));

        // the repair: the circuit, the tunnel and the session come back; traffic returns to the primary
        Instant fix = cut.plusSeconds(60);
        telemetry(iface(fix, "up"));
        telemetry(tunnel(fix.plusSeconds(1), primary, "up", 1_000_600));
        bgp(Events.peerState(cx, "169.254.10.2", 65001, "established", fix.plusSeconds(3)));
        bgp(update(fix.plusSeconds(4), "169.254.10.2", "[65001]"));
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/incidents/{id}", id).then()
                .body("status", equalTo("resolved")));
        given().get("/api/v1/circuits/{c}", circuit).then().body("state", equalTo("up"));
        // failback: from the primary up again (tunnel up and session established) to its path best
        given().get("/api/v1/tunnels/{g}", group).then().body("carrying", equalTo(primary))
                .body("lastFailback.durationSeconds", equalTo(1.0f));
        given().get("/api/v1/incidents?status=open").then().statusCode(200)
                .body("findAll { it.root.labels.circuit == '" + circuit + "' }", hasSize(0));

        // stored by the alerting layer: the root alert resolved by detection, the inhibited child
        // recorded in the same incident, the incident with its alerts in PostgreSQL
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/alerts?circuit={c}&type=CircuitDown", circuit)
                .then().statusCode(200).body("total", equalTo(1)).body("items[0].state", equalTo("resolved"))
                .body("items[0].incidentId", equalTo(id)).body("items[0].inhibited", equalTo(false)));
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/alerts?router={r}&type=BgpSessionDown", cx)
                .then().statusCode(200).body("total", equalTo(1)).body("items[0].inhibited", equalTo(true))
                .body("items[0].incidentId", equalTo(id)).body("items[0].state", equalTo("resolved")));
        await().atMost(WAIT).untilAsserted(() -> assertTrue(storedIncident(id).matches("resolved [3-9]"), storedIncident(id)));
        given().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString(
                        "meshwatch_ipsec_failover_duration_seconds_count{tunnel_group=\"" + group + "\"}"));
    }

    /** Circuit up, both tunnels up, both sessions established, the primary preferred; waits for it. */
    void steadyState(Instant t0) {
        String primary = group + "-dx";
        telemetry(iface(t0, "up"));
        telemetry(tunnel(t0, primary, "up", 1_000_000));
        telemetry(tunnel(t0, group + "-inet", "up", 10_000));
        bgp(Events.peerState(cx, "169.254.10.2", 65001, "established", t0));
        bgp(Events.peerState(cx, "169.254.110.2", 65001, "established", t0));
        bgp(update(t0.plusSeconds(1), "169.254.10.2", "[65001]"));
        bgp(update(t0.plusSeconds(1), "169.254.110.2", "[65001, 65001, 65001]"));
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/tunnels/{g}", group).then().statusCode(200)
                .body("phase", equalTo("normal")).body("carrying", equalTo(primary)));
    }

    @Test
    void unknownTunnelGroupCircuitAndIncidentAre404AndBadStatusIs400() {
        given().get("/api/v1/tunnels/nope").then().statusCode(404).body("message",
                org.hamcrest.Matchers.containsString("GET /api/v1/tunnels"));
        given().get("/api/v1/circuits/nope").then().statusCode(404);
        given().get("/api/v1/incidents/inc-nope").then().statusCode(404);
        given().get("/api/v1/incidents?status=maybe").then().statusCode(400)
                .body("message", equalTo("status must be open, resolved or all, not 'maybe'"));
        given().get("/api/v1/signals?limit=0").then().statusCode(400);
        given().get("/api/v1/tunnels").then().statusCode(200).body("id", hasItems(group, "vpn-fra-euw1"));
    }

    /** The stored incident's status and how many alerts it links (root and children). */
    static String storedIncident(String id) throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(io.meshwatch.testing.LocalPostgres.jdbcUrl(),
                "meshwatch", "meshwatch");
             java.sql.PreparedStatement st = c.prepareStatement("SELECT i.status, (SELECT count(*) FROM incident_alert a "
                     + "WHERE a.incident_id = i.id) AS n FROM incident i WHERE i.id = ?")) {
            st.setString(1, id);
            try (java.sql.ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString("status") + " " + rs.getLong("n") : "absent";
            }
        }
    }

    /** The state of a session in the {@code bgp_session} restart cache, or "absent". */
    static String storedSession(String router, String peer) throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(io.meshwatch.testing.LocalPostgres.jdbcUrl(),
                "meshwatch", "meshwatch");
             java.sql.PreparedStatement st = c.prepareStatement(
                     "SELECT state FROM bgp_session WHERE router = ? AND vrf = 'default' AND peer = ?")) {
            st.setString(1, router);
            st.setString(2, peer);
            try (java.sql.ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : "absent";
            }
        }
    }

    /** RestAssured sends a YAML body as it is given. */
    static io.restassured.specification.RequestSpecification yaml() {
        return given().config(io.restassured.config.RestAssuredConfig.config().encoderConfig(
                io.restassured.config.EncoderConfig.encoderConfig().encodeContentTypeAs("application/yaml",
                        io.restassured.http.ContentType.TEXT))).contentType("application/yaml");
    }

    JsonPath openIncidentOf(String circuit) {
        JsonPath all = given().get("/api/v1/incidents?status=open").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> list = all.getList("findAll { it.root.labels.circuit == '" + circuit + "' }");
        if (list.isEmpty()) {
            return null;
        }
        assertEquals(1, list.size(), "one incident per cut, not " + list.size());
        return new JsonPath(given().get("/api/v1/incidents/{id}", list.get(0).get("id")).asString());
    }

    void bgp(String json) {
        Events.send(BGP, cx, json);
    }

    void telemetry(String json) {
        Events.send(TELEMETRY, cx, json);
    }

    String iface(Instant t, String state) {
        return """
                {"version":1,"type":"interface.state","router":"%s","time":"%s","source":"test",
                 "payload":{"interface":"eth1","oper_status":"%s","admin_status":"up"}}""".formatted(cx, t, state);
    }

    String tunnel(Instant t, String id, String state, long bytes) {
        return """
                {"version":1,"type":"ipsec.tunnel_state","router":"%s","time":"%s","source":"test",
                 "payload":{"tunnel":"%s","state":"%s","signal":"ike","bytes_in":%d,"bytes_out":%d}}"""
                .formatted(cx, t, id, state, bytes, bytes);
    }

    String update(Instant t, String peer, String asPath) {
        return """
                {"version":1,"type":"bgp.update","router":"%s","time":"%s","source":"test",
                 "payload":{"vrf":"default","peer":"%s","peer_as":65001,"rib":"adj-in-post",
                  "attributes":{"origin":"igp","as_path":%s,"next_hop":"%s"},
                  "announce":["10.1.0.0/16","10.1.200.0/24"]}}""".formatted(cx, t, peer, asPath, peer);
    }
}
