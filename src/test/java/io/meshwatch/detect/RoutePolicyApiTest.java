package io.meshwatch.detect;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meshwatch.testing.Events;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Route policy end to end: an inventory file with a policy, BGP events through the real broker, the
 * alerts in the real PostgreSQL through the API. An unexpected origin, a leak through a neighbour
 * the policy does not allow and a more-specific beyond the maximum length each open an alert, and a
 * path that keeps the rules resolves it.
 */
@QuarkusTest
@TestProfile(RoutePolicyApiTest.Profile.class)
class RoutePolicyApiTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("meshwatch.inventory.file", "classpath:inventory/policy-api.yaml");
        }
    }

    static final String BGP = "meshwatch.bgp.v1";
    static final String PEER = "192.0.2.1";

    private static String update(String router, long peerAs, String asPath, String announce, Instant t) {
        return """
                {"version":1,"type":"bgp.update","router":"%s","time":"%s","payload":{"peer":"%s","peer_as":%d,
                 "attributes":{"origin":"igp","as_path":%s,"next_hop":"%s"},"announce":[%s]}}"""
                .formatted(router, t, PEER, peerAs, asPath, PEER, announce);
    }

    private static JsonPath alerts(String router) {
        return given().header("Authorization", "Bearer dev-viewer")
                .get("/api/v1/alerts?router={r}&limit=100", router).then().statusCode(200).extract().jsonPath();
    }

    private static String state(String router, String alertname, String prefix) {
        List<Map<String, Object>> items = alerts(router).getList("items");
        return items.stream().filter(a -> alertname.equals(a.get("alertname"))
                        && prefix.equals(((Map<?, ?>) a.get("labels")).get("prefix")))
                .map(a -> (String) a.get("state")).findFirst().orElse(null);
    }

    @Test
    void aHijackALeakAndAMoreSpecificOpenAlertsAndAPathThatKeepsThePolicyResolvesThem() {
        String router = Events.uniqueRouter("rp-edge");
        Instant t = Instant.now();
        Events.send(BGP, router, Events.peerState(router, PEER, 64510, "established", t));
        Events.send(BGP, router, update(router, 64510, "[64510, 64500]", "\"198.51.100.0/24\"", t.plusSeconds(1)));
        // the origin changes to AS 64666 (a hijack), and a /26 appears through AS 64530 (a leak, beyond /25)
        Events.send(BGP, router, update(router, 64510, "[64510, 64666]", "\"198.51.100.0/24\"", t.plusSeconds(2)));
        Events.send(BGP, router, update(router, 64510, "[64530, 64500]", "\"198.51.100.64/26\"", t.plusSeconds(3)));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertEquals("firing", state(router, "RouteOriginUnexpected", "198.51.100.0/24"));
            assertEquals("firing", state(router, "RoutePathUnexpected", "198.51.100.64/26"));
            assertEquals("firing", state(router, "RouteMoreSpecific", "198.51.100.64/26"));
        });
        Map<String, Object> hijack = alerts(router).getMap("items.find { it.alertname == 'RouteOriginUnexpected' }");
        assertEquals("critical", hijack.get("severity"), "the policy prefix's severity");
        assertEquals("64666", ((Map<?, ?>) hijack.get("annotations")).get("origin_as"));
        assertEquals(null, state(router, "RouteOriginUnexpected", "198.51.100.64/26"), "its origin is AS 64500");

        // the expected origin again: resolved
        Events.send(BGP, router, update(router, 64510, "[64510, 64500]", "\"198.51.100.0/24\"", t.plusSeconds(4)));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertEquals("resolved", state(router, "RouteOriginUnexpected", "198.51.100.0/24")));
        assertEquals("firing", state(router, "RouteMoreSpecific", "198.51.100.64/26"), "still announced");
    }
}
