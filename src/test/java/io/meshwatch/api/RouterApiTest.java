package io.meshwatch.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meshwatch.testing.Events;
import io.meshwatch.testing.LocalPostgres;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Peer-state events produced to the real broker show up in the routers and peers API. */
@QuarkusTest
class RouterApiTest {

    @Test
    void peerStateEventShowsUpInApi() throws Exception {
        String router = Events.uniqueRouter("aws-use1-tr");
        Instant up = Instant.parse("2026-11-26T08:00:00Z");
        Instant down = up.plusSeconds(90);
        Events.send("meshwatch.bgp.v1", router, Events.peerState(router, "10.0.0.2", 64512, "established", up));
        Events.send("meshwatch.bgp.v1", router, Events.peerState(router, "10.0.0.6", 64513, "established", up));
        Events.send("meshwatch.bgp.v1", router, Events.peerState(router, "10.0.0.6", 64513, "idle", down));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/v1/routers/{r}/peers", router)
                .then().statusCode(200)
                .body("$", hasSize(2))
                .body("[0].peer", equalTo("10.0.0.2"))
                .body("[0].state", equalTo("established"))
                .body("[0].since", equalTo(up.toString()))
                .body("[0].flaps", equalTo(0))
                .body("[1].peer", equalTo("10.0.0.6"))
                .body("[1].peerAs", equalTo(64513))
                .body("[1].state", equalTo("idle"))
                .body("[1].since", equalTo(down.toString()))
                .body("[1].flaps", equalTo(1)));

        given().get("/api/v1/routers").then().statusCode(200)
                .body("findAll { it.id == '" + router + "' }.sessions", hasItem(2))
                .body("findAll { it.id == '" + router + "' }.established", hasItem(1))
                .body("findAll { it.id == '" + router + "' }.down", hasItem(1));

        // the sessions are also in PostgreSQL, for a restart
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals("idle", storedState(router, "10.0.0.6")));
    }

    @Test
    void aLostFeedMarksTheRoutersStateStaleAndRaisesRouterFeedLostUntilItIsUpAgain() {
        String router = Events.uniqueRouter("cx-feed");
        Instant up = Instant.parse("2026-11-26T08:00:00Z");
        Instant lost = up.plusSeconds(60);
        Events.send("meshwatch.bgp.v1", router, Events.peerState(router, "10.0.0.2", 64512, "established", up));
        Events.send("meshwatch.bgp.v1", router, feed(router, "lost", lost));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            given().get("/api/v1/routers/{r}/peers", router).then().statusCode(200)
                    .body("[0].state", equalTo("established"))
                    .body("[0].staleSince", equalTo(lost.toString()));
            given().get("/api/v1/routers").then().statusCode(200)
                    .body("findAll { it.id == '" + router + "' }.staleSince", hasItem(lost.toString()))
                    .body("findAll { it.id == '" + router + "' }.feed", hasItem("lost"));
            given().get("/api/v1/signals").then().statusCode(200)
                    .body("findAll { it.name == 'RouterFeedLost' && it.labels.router == '" + router + "' }.startedAt",
                            hasItem(lost.toString()));
            given().get("/q/metrics").then().statusCode(200)
                    .body(containsString("meshwatch_network_router_stale{router=\"" + router + "\"} 1.0"));
        });

        Events.send("meshwatch.bgp.v1", router, feed(router, "up", lost.plusSeconds(5)));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            given().get("/api/v1/routers/{r}/peers", router).then().statusCode(200)
                    .body("[0].staleSince", org.hamcrest.Matchers.nullValue());
            given().get("/api/v1/signals").then().statusCode(200)
                    .body("findAll { it.name == 'RouterFeedLost' && it.labels.router == '" + router + "' }",
                            hasSize(0));
        });
    }

    private static String feed(String router, String state, Instant at) {
        return """
                {"version":1,"type":"bgp.feed_state","router":"%s","time":"%s","source":"bmp",
                 "payload":{"feed":"bmp","state":"%s","reason":"test"}}""".formatted(router, at, state);
    }

    @Test
    void unknownRouterIs404WithMessage() {
        given().get("/api/v1/routers/{r}/peers", "no-such-router").then().statusCode(404)
                .body("status", equalTo(404))
                .body("error", equalTo("not_found"))
                .body("message", containsString("'no-such-router' is not known"));
    }

    @Test
    void openApiDescribesRouters() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/api/v1/routers/{router}/peers"));
    }

    private static String storedState(String router, String peer) throws Exception {
        try (Connection c = DriverManager.getConnection(LocalPostgres.jdbcUrl(), "meshwatch", "meshwatch");
             PreparedStatement ps = c.prepareStatement("select state from bgp_session where router = ? and peer = ?")) {
            ps.setString(1, router);
            ps.setString(2, peer);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
