package io.meshwatch.history;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meshwatch.history.ReadersOfMrt.GobgpPath;
import io.meshwatch.testing.Events;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A router's table at a past instant through the API, rebuilt from the real broker's records (and
 * whatever snapshots PostgreSQL holds): {@code routes?at=}, {@code lookup?at=}, and the MRT export now
 * and then, read by the real bgpdump and GoBGP and compared with the routes the API lists.
 */
@QuarkusTest
class HistoryApiTest {

    static final String BGP = "meshwatch.bgp.v1";
    static final Instant T = Instant.parse("2026-12-01T03:00:00Z");
    String router;
    /** An instant after the first state's last record and before the second state's first. */
    Instant before;

    @TempDir
    java.nio.file.Path dir;

    @BeforeEach
    void aTableThatChanges() throws Exception {
        router = Events.uniqueRouter("cx-history");
        // state 1: Direct Connect (preferred) and the IPSec backup both carry the VPC range
        Events.send(BGP, router, Events.peerState(router, "169.254.10.1", 64512, "established", T));
        Events.send(BGP, router, Events.peerState(router, "169.254.20.1", 64513, "established", T));
        Events.send(BGP, router, update("169.254.10.1", 64512, 200, "[64512, 16509]",
                "\"10.20.0.0/16\", \"10.20.1.0/24\", \"2600:1f18:100::/40\"", ""));
        RecordMetadata last = Events.send(BGP, router, update("169.254.20.1", 64513, 100, "[64513, 16509]",
                "\"10.20.0.0/16\"", ""));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given()
                .get("/api/v1/routers/{r}/routes?prefix=10.20.0.0/16", router).then().statusCode(200)
                .body("routes[0].others", hasSize(1)));
        before = Instant.ofEpochMilli(last.timestamp()).plusMillis(5);
        while (!Instant.now().isAfter(before.plusMillis(20))) {
            Thread.sleep(10);
        }
        // state 2: Direct Connect goes down (the backup takes 10.20.0.0/16), the backup adds a prefix
        Events.send(BGP, router, Events.peerState(router, "169.254.10.1", 64512, "idle", T.plusSeconds(60)));
        Events.send(BGP, router, update("169.254.20.1", 64513, 100, "[64513, 16509]", "\"10.40.0.0/16\"", ""));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given()
                .get("/api/v1/routers/{r}/routes", router).then().statusCode(200)
                .body("routes.prefix", equalTo(List.of("10.20.0.0/16", "10.40.0.0/16"))));
    }

    @Test
    void routesAndLookupAtAPastInstantShowTheTableAsItWasThen() {
        given().get("/api/v1/routers/{r}/routes?at={at}", router, before.toString()).then().statusCode(200)
                .body("routes.prefix", equalTo(List.of("10.20.0.0/16", "10.20.1.0/24", "2600:1f18:100::/40")))
                .body("routes[0].best.peer", equalTo("169.254.10.1"))
                .body("routes[0].reason", equalTo("local_pref"))
                .body("routes[0].others[0].peer", equalTo("169.254.20.1"));
        given().get("/api/v1/routers/{r}/routes?prefix=10.20.0.0/16&at={at}", router, before.toString()).then()
                .statusCode(200).body("routes[0].best.localPref", equalTo(200));
        given().get("/api/v1/routers/{r}/lookup?ip=10.20.1.7&at={at}", router, before.toString()).then()
                .statusCode(200).body("prefix", equalTo("10.20.1.0/24"));
        // now: the session is down and its routes are gone
        given().get("/api/v1/routers/{r}/lookup?ip=10.20.1.7", router).then().statusCode(200)
                .body("prefix", equalTo("10.20.0.0/16")).body("best.peer", equalTo("169.254.20.1"));
        // an offset given as +01:00 is the same instant
        String sameInstant = before.atOffset(java.time.ZoneOffset.ofHours(1)).toString();
        given().get("/api/v1/routers/{r}/lookup?ip=10.20.1.7&at={at}", router, sameInstant).then()
                .statusCode(200).body("prefix", equalTo("10.20.1.0/24"));
        // before the router's first record: its table was empty (in reach: the partition is untrimmed)
        given().get("/api/v1/routers/{r}/routes?at={at}", router, "2020-01-01T00:00:00Z").then().statusCode(200)
                .body("routes", hasSize(0));
    }

    @Test
    void theMrtExportNowAndThenIsReadByBgpdumpAndGobgpAsTheApiListsIt() throws Exception {
        for (String at : new String[] {before.toString(), null}) {
            byte[] mrt = (at == null ? given().get("/api/v1/routers/{r}/mrt", router)
                    : given().get("/api/v1/routers/{r}/mrt?at={at}", router, at)).then().statusCode(200)
                    .contentType("application/octet-stream")
                    .header("Content-Disposition", containsString(".mrt")).extract().asByteArray();
            JsonPath routes = (at == null ? given().get("/api/v1/routers/{r}/routes", router)
                    : given().get("/api/v1/routers/{r}/routes?at={at}", router, at)).then().statusCode(200)
                    .extract().jsonPath();
            // prefix -> [best peer, other peers...] as the API lists them
            Map<String, List<String>> api = new LinkedHashMap<>();
            List<Map<String, Object>> list = routes.getList("routes");
            for (Map<String, Object> r : list) {
                List<String> peers = new ArrayList<>();
                peers.add((String) ((Map<?, ?>) r.get("best")).get("peer"));
                for (Object o : (List<?>) r.get("others")) {
                    peers.add((String) ((Map<?, ?>) o).get("peer"));
                }
                api.put((String) r.get("prefix"), peers);
            }
            java.nio.file.Path file = Files.write(dir.resolve("export-" + (at == null ? "now" : "then") + ".mrt"), mrt);
            Map<String, List<String>> bgpdump = new LinkedHashMap<>();
            for (String line : ReadersOfMrt.bgpdump(file)) {
                String[] f = line.split("\\|");
                bgpdump.computeIfAbsent(f[5], k -> new ArrayList<>()).add(f[3]);
            }
            assertEquals(api, bgpdump, "bgpdump of the export at " + at);
            Map<String, List<GobgpPath>> gobgp = ReadersOfMrt.gobgp(mrt, dir, true);
            assertEquals(api.keySet(), gobgp.keySet(), "GoBGP's prefixes at " + at);
            api.forEach((prefix, peers) -> assertEquals(peers.get(0).equals("169.254.10.1") ? "169.254.10.1"
                    : "169.254.20.1", gobgp.get(prefix).get(0).nextHop(), prefix + " best in GoBGP at " + at));
        }
    }

    @Test
    void badAtUnknownRouterAndTheFutureAreRefusedWithAReason() {
        given().get("/api/v1/routers/{r}/routes?at=yesterday", router).then().statusCode(400)
                .body("message", containsString("RFC 3339"));
        given().get("/api/v1/routers/{r}/mrt?at=2026-13-01T00:00:00Z", router).then().statusCode(400)
                .body("message", containsString("RFC 3339"));
        String future = Instant.now().plusSeconds(3600).toString();
        given().get("/api/v1/routers/{r}/lookup?ip=10.20.1.7&at={at}", router, future).then().statusCode(400)
                .body("message", containsString("in the future"));
        given().get("/api/v1/routers/{r}/mrt?at={at}", router, future).then().statusCode(400)
                .body("message", containsString("in the future"));
        given().get("/api/v1/routers/no-such-router-h/routes?at={at}", before.toString()).then().statusCode(404)
                .body("message", containsString("not known"));
        given().get("/api/v1/routers/no-such-router-h/mrt").then().statusCode(404)
                .body("message", containsString("not known"));
    }

    private String update(String peer, long peerAs, int localPref, String asPath, String announce, String withdraw) {
        return """
                {"version":1,"type":"bgp.update","router":"%s","time":"%s","payload":{"peer":"%s","peer_as":%d,
                 "attributes":{"origin":"igp","as_path":%s,"next_hop":"%s","local_pref":%d},
                 "announce":[%s],"withdraw":[%s]}}""".formatted(router, T, peer, peerAs, asPath, peer, localPref,
                announce, withdraw);
    }
}
