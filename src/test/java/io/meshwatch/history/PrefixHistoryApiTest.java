package io.meshwatch.history;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meshwatch.testing.Events;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The history of a prefix (replayed from the real broker) and of a BGP session (kept in the real
 * PostgreSQL) through the API.
 */
@QuarkusTest
class PrefixHistoryApiTest {

    static final String BGP = "meshwatch.bgp.v1";
    static final Instant T = Instant.parse("2026-12-01T03:00:00Z");
    static final String DX = "169.254.10.1";
    static final String VPN = "169.254.20.1";
    String router;
    Instant start;
    Instant afterFirstThree;

    @BeforeEach
    void aPrefixThatMoves() throws Exception {
        router = Events.uniqueRouter("cx-prefix-history");
        start = Instant.now().minusMillis(5);
        Events.send(BGP, router, Events.peerState(router, DX, 64512, "established", T));
        Events.send(BGP, router, Events.peerState(router, VPN, 64513, "established", T));
        Events.send(BGP, router, update(DX, 64512, 200, "[64512, 16509]", "\"10.20.0.0/16\"", ""));
        RecordMetadata third = Events.send(BGP, router, update(VPN, 64513, 100, "[64513, 16509]", "\"10.20.0.0/16\"", ""));
        afterFirstThree = Instant.ofEpochMilli(third.timestamp()).plusMillis(1);
        Thread.sleep(20);
        Events.send(BGP, router, update(DX, 64512, 200, "[64512, 16509]", "", "\"10.20.0.0/16\""));
        Events.send(BGP, router, update(DX, 64512, 200, "[64512, 7224, 16509]", "\"10.20.0.0/16\"", ""));
        Events.send(BGP, router, Events.peerState(router, DX, 64512, "idle", T.plusSeconds(60)));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given()
                .get("/api/v1/routers/{r}/routes?prefix=10.20.0.0/16", router).then().statusCode(200)
                .body("routes[0].best.peer", equalTo(VPN)).body("routes[0].others", hasSize(0)));
    }

    @Test
    void everyAnnouncementWithdrawalAndBestPathChangeInOrder() {
        JsonPath h = given().get("/api/v1/routers/{r}/history?prefix=10.20.0.0/16&from={f}", router, start.toString())
                .then().statusCode(200).body("truncated", equalTo(false)).extract().jsonPath();
        List<Map<String, Object>> changes = h.getList("changes");
        List<String> updates = new ArrayList<>();
        List<String> best = new ArrayList<>();
        for (Map<String, Object> c : changes) {
            if (c.get("kind").equals("best_change")) {
                Map<?, ?> path = (Map<?, ?>) c.get("path");
                best.add((path == null ? "none" : path.get("peer") + " " + path.get("asPath")) + " (" + c.get("reason") + ")");
            } else {
                updates.add(c.get("kind") + " " + c.get("peer") + (c.get("reason") == null ? ""
                        : " " + c.get("reason")) + (c.get("path") == null ? ""
                        : " " + ((Map<?, ?>) c.get("path")).get("asPath")));
            }
        }
        assertEquals(List.of("announce " + DX + " 64512 16509", "announce " + VPN + " 64513 16509",
                "withdraw " + DX + " withdrawn", "announce " + DX + " 64512 7224 16509",
                "withdraw " + DX + " session down: idle"), updates);
        assertEquals(DX + " 64512 16509 (only_path)", best.get(0));
        assertEquals(VPN + " 64513 16509 (only_path)", best.get(best.size() - 1));
        org.junit.jupiter.api.Assertions.assertTrue(best.contains(DX + " 64512 7224 16509 (local_pref)"), best.toString());

        // a window starting after the first three records: only what came later
        given().get("/api/v1/routers/{r}/history?prefix=10.20.0.0/16&from={f}", router, afterFirstThree.toString())
                .then().statusCode(200).body("changes.findAll { it.kind != 'best_change' }.kind",
                        equalTo(List.of("withdraw", "announce", "withdraw")));
        // bounded
        given().get("/api/v1/routers/{r}/history?prefix=10.20.0.0/16&from={f}&limit=2", router, start.toString())
                .then().statusCode(200).body("changes", hasSize(2)).body("truncated", equalTo(true));
        // another prefix of the router: nothing
        given().get("/api/v1/routers/{r}/history?prefix=10.99.0.0/16&from={f}", router, start.toString())
                .then().statusCode(200).body("changes", hasSize(0));
    }

    @Test
    void aSessionsStateChangesAreKept() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given()
                .get("/api/v1/routers/{r}/peers/{p}/history", router, DX).then().statusCode(200)
                .body("state", equalTo(List.of("established", "idle")))
                .body("at", equalTo(List.of(T.toString(), T.plusSeconds(60).toString())))
                .body("[1].previous", equalTo("established"))
                .body("[1].flaps", equalTo(1)));
        given().get("/api/v1/routers/{r}/peers/{p}/history?from={f}", router, DX, T.plusSeconds(1).toString())
                .then().statusCode(200).body("state", equalTo(List.of("idle")));
        given().get("/api/v1/routers/{r}/peers/{p}/history", router, VPN).then().statusCode(200)
                .body("state", equalTo(List.of("established")));
    }

    @Test
    void badRequestsSayWhatIsWrong() {
        given().get("/api/v1/routers/{r}/history", router).then().statusCode(400)
                .body("message", containsString("'prefix' is required"));
        given().get("/api/v1/routers/{r}/history?prefix=10.20.0.1/16", router).then().statusCode(400)
                .body("message", containsString("host bits"));
        given().get("/api/v1/routers/{r}/history?prefix=10.20.0.0/16&from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z",
                router).then().statusCode(400).body("message", containsString("is after"));
        given().get("/api/v1/routers/{r}/history?prefix=10.20.0.0/16&from=noon", router).then().statusCode(400)
                .body("message", containsString("RFC 3339"));
        given().get("/api/v1/routers/{r}/history?prefix=10.20.0.0/16&limit=0", router).then().statusCode(400)
                .body("message", containsString("limit"));
        given().get("/api/v1/routers/{r}/peers/not-an-ip/history", router).then().statusCode(400)
                .body("message", containsString("peer"));
        given().get("/api/v1/routers/no-such-router-ph/history?prefix=10.20.0.0/16").then().statusCode(404);
        given().get("/api/v1/routers/no-such-router-ph/peers/{p}/history", DX).then().statusCode(404);
    }

    private String update(String peer, long peerAs, int localPref, String asPath, String announce, String withdraw) {
        return """
                {"version":1,"type":"bgp.update","router":"%s","time":"%s","payload":{"peer":"%s","peer_as":%d,
                 "attributes":{"origin":"igp","as_path":%s,"next_hop":"%s","local_pref":%d},
                 "announce":[%s],"withdraw":[%s]}}""".formatted(router, T, peer, peerAs, asPath, peer, localPref,
                announce, withdraw);
    }
}
