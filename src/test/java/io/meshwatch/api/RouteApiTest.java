package io.meshwatch.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.meshwatch.testing.Events;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * BGP updates produced to the real broker build the router's route table; the routes, lookup,
 * routers and peers endpoints show it, and a session going down moves the best path.
 */
@QuarkusTest
class RouteApiTest {

    static final String BGP = "meshwatch.bgp.v1";
    static final Instant T = Instant.parse("2026-11-26T09:00:00Z");
    String router;

    @BeforeEach
    void network() {
        router = Events.uniqueRouter("cx-eqx-dc2");
        // two eBGP peers (Direct Connect and the IPSec backup) announce the same VPC range
        Events.send(BGP, router, Events.peerState(router, "169.254.10.1", 64512, "established", T));
        Events.send(BGP, router, Events.peerState(router, "169.254.20.1", 64513, "established", T));
        Events.send(BGP, router, update("169.254.10.1", 64512, 200, "[64512, 16509]",
                "\"10.20.0.0/16\", \"10.20.1.0/24\", \"10.20.1.128/25\""));
        Events.send(BGP, router, update("169.254.20.1", 64513, 100, "[64513, 16509]", "\"10.20.0.0/16\""));
        Events.send(BGP, router, update("169.254.10.1", 64512, 200, "[64512, 16509]", "\"2600:1f18:100::/40\""));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given()
                .get("/api/v1/routers/{r}/routes?prefix=10.20.0.0/16", router).then().statusCode(200)
                .body("routes", hasSize(1)).body("routes[0].others", hasSize(1)));
    }

    @Test
    void exactLongerShorterAndLookup() {
        given().get("/api/v1/routers/{r}/routes?prefix=10.20.0.0/16", router).then().statusCode(200)
                .body("routes[0].prefix", equalTo("10.20.0.0/16"))
                .body("routes[0].vrf", equalTo("default"))
                .body("routes[0].best.peer", equalTo("169.254.10.1"))
                .body("routes[0].best.localPref", equalTo(200))
                .body("routes[0].best.asPath", equalTo("64512 16509"))
                .body("routes[0].best.communities", hasItem("64512:300"))
                .body("routes[0].reason", equalTo("local_pref"))
                .body("routes[0].others[0].peer", equalTo("169.254.20.1"));
        given().get("/api/v1/routers/{r}/routes?prefix=10.20.0.0/16&match=longer", router).then().statusCode(200)
                .body("routes.prefix", equalTo(java.util.List.of("10.20.1.0/24", "10.20.1.128/25")))
                .body("next", nullValue());
        given().get("/api/v1/routers/{r}/routes?prefix=10.20.1.128/25&match=shorter", router).then().statusCode(200)
                .body("routes.prefix", equalTo(java.util.List.of("10.20.0.0/16", "10.20.1.0/24")));
        given().get("/api/v1/routers/{r}/lookup?ip=10.20.1.200", router).then().statusCode(200)
                .body("prefix", equalTo("10.20.1.128/25")).body("reason", equalTo("only_path"));
        given().get("/api/v1/routers/{r}/lookup?ip=10.20.9.9", router).then().statusCode(200)
                .body("prefix", equalTo("10.20.0.0/16")).body("others", hasSize(1));
        given().get("/api/v1/routers/{r}/lookup?ip=2600:1f18:100:1::5", router).then().statusCode(200)
                .body("prefix", equalTo("2600:1f18:100::/40"));
    }

    @Test
    void pagesInPrefixOrderIpv4First() {
        String next = given().get("/api/v1/routers/{r}/routes?limit=2", router).then().statusCode(200)
                .body("routes.prefix", equalTo(java.util.List.of("10.20.0.0/16", "10.20.1.0/24")))
                .extract().path("next");
        given().get("/api/v1/routers/{r}/routes?limit=2&cursor={c}", router, next).then().statusCode(200)
                .body("routes.prefix", equalTo(java.util.List.of("10.20.1.128/25", "2600:1f18:100::/40")));
        given().get("/api/v1/routers/{r}/routes?vrf=blue", router).then().statusCode(200).body("routes", empty());
    }

    @Test
    void countsInRoutersAndPeers() {
        given().get("/api/v1/routers").then().statusCode(200)
                .body("find { it.id == '" + router + "' }.routes.find { it.afi == 'ipv4' }.prefixes", equalTo(3))
                .body("find { it.id == '" + router + "' }.routes.find { it.afi == 'ipv4' }.paths", equalTo(4))
                .body("find { it.id == '" + router + "' }.routes.find { it.afi == 'ipv6' }.prefixes", equalTo(1));
        given().get("/api/v1/routers/{r}/peers", router).then().statusCode(200)
                .body("find { it.peer == '169.254.10.1' }.ipv4Routes", equalTo(3))
                .body("find { it.peer == '169.254.10.1' }.ipv6Routes", equalTo(1))
                .body("find { it.peer == '169.254.20.1' }.ipv4Routes", equalTo(1));
    }

    @Test
    void sessionDownMovesBestPathToBackup() {
        Events.send(BGP, router, Events.peerState(router, "169.254.10.1", 64512, "idle", T.plusSeconds(60)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given()
                .get("/api/v1/routers/{r}/routes?prefix=10.20.0.0/16", router).then().statusCode(200)
                .body("routes[0].best.peer", equalTo("169.254.20.1"))
                .body("routes[0].reason", equalTo("only_path"))
                .body("routes[0].others", empty()));
        given().get("/api/v1/routers/{r}/routes?prefix=10.20.1.0/24", router).then().body("routes", empty());
    }

    @Test
    void badRequestsSayWhatIsWrong() {
        given().get("/api/v1/routers/{r}/routes?prefix=10.20.0.1/16", router).then().statusCode(400)
                .body("error", equalTo("bad_request")).body("message", containsString("host bits"));
        given().get("/api/v1/routers/{r}/routes?prefix=10.20.0.0/16&match=closest", router).then().statusCode(400)
                .body("message", containsString("exact, longer or shorter"));
        given().get("/api/v1/routers/{r}/routes?limit=0", router).then().statusCode(400)
                .body("message", containsString("limit"));
        given().get("/api/v1/routers/{r}/lookup?ip=10.20.300.1", router).then().statusCode(400)
                .body("message", containsString("10.20.300.1"));
        given().get("/api/v1/routers/{r}/lookup", router).then().statusCode(400)
                .body("message", containsString("'ip' is required"));
        given().get("/api/v1/routers/{r}/lookup?ip=192.0.2.1", router).then().statusCode(404)
                .body("message", containsString("covers 192.0.2.1"));
        given().get("/api/v1/routers/no-such-router/routes").then().statusCode(404)
                .body("message", containsString("not known"));
    }

    private String update(String peer, long peerAs, int localPref, String asPath, String prefixes) {
        return """
                {"version":1,"type":"bgp.update","router":"%s","time":"%s","payload":{"peer":"%s","peer_as":%d,
                 "attributes":{"origin":"igp","as_path":%s,"next_hop":"%s","local_pref":%d,
                 "communities":["64512:300"]},"announce":[%s]}}""".formatted(router, T, peer, peerAs,
                asPath, peer, localPref, prefixes);
    }
}
