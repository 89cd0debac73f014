package io.meshwatch.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.meshwatch.alerting.Signals;
import io.meshwatch.detect.Signal;
import io.meshwatch.detect.SignalType;
import io.meshwatch.detect.runtime.DetectionOutput;
import io.meshwatch.inventory.Severity;
import io.meshwatch.testing.Events;
import io.meshwatch.testing.OwnApiKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Signals go in where the detection engine hands them over ({@link DetectionOutput#signal}); the
 * alerts, their history, acknowledge/resolve and silences come out of the real database through
 * the API, with the test profile's development keys.
 */
@QuarkusTest
@OwnApiKeys
class AlertApiTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    DetectionOutput output;

    String router;

    @BeforeEach
    void explicitKeys() {
        router = Events.uniqueRouter("cx-alert");
    }

    static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key);
    }

    Signal down(String peer, Severity severity, Instant at) {
        return Signals.firing(SignalType.BGP_SESSION_DOWN, severity, Map.of("router", router, "peer", peer),
                "BGP session " + router + " -> " + peer + " down", at, "inc-" + router, false);
    }

    void awaitState(String fp, String state, int count) {
        await().atMost(WAIT).untilAsserted(() -> as("dev-viewer").get("/api/v1/alerts/{fp}", fp).then()
                .statusCode(200).body("state", equalTo(state)).body("count", equalTo(count)));
    }

    @Test
    void lifecycleThroughTheApiWithHistory() {
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Signal s = down("169.254.10.2", Severity.MAJOR, t0);
        String fp = s.fingerprint();
        output.signal(s);
        awaitState(fp, "firing", 1);
        output.signal(s); // the same occurrence stated again (a replay): nothing changes
        output.signal(down("169.254.10.2", Severity.MAJOR, t0.plusSeconds(5))); // a repeat: counter bumped
        awaitState(fp, "firing", 2);
        as("dev-viewer").get("/api/v1/alerts?router={r}", router).then().statusCode(200)
                .body("total", equalTo(1)).body("items", hasSize(1)).body("items[0].fingerprint", equalTo(fp))
                .body("items[0].labels.peer", equalTo("169.254.10.2")).body("items[0].alertname", equalTo("BgpSessionDown"));

        as("dev-responder").contentType("application/json").body("{\"comment\":\"looking at the patch panel\"}")
                .post("/api/v1/alerts/{fp}/acknowledge", fp).then().statusCode(200)
                .body("state", equalTo("acknowledged")).body("acknowledgedBy", equalTo("dev-responder"))
                .body("ackComment", equalTo("looking at the patch panel"))
                .body("transitions", hasSize(2))
                .body("transitions[1].actor", equalTo("dev-responder"))
                .body("transitions[1].reason", equalTo("acknowledged: looking at the patch panel"));
        as("dev-responder").contentType("application/json").body("{}")
                .post("/api/v1/alerts/{fp}/acknowledge", fp).then().statusCode(409)
                .body("error", equalTo("conflict")).body("message", containsString("already acknowledged by dev-responder"));

        output.signal(Signals.resolved(s, t0.plusSeconds(30)));
        awaitState(fp, "resolved", 2);
        as("dev-viewer").get("/api/v1/alerts/{fp}", fp).then()
                .body("transitions", hasSize(3))
                .body("transitions[0].from", nullValue()).body("transitions[0].to", equalTo("firing"))
                .body("transitions[2].from", equalTo("acknowledged")).body("transitions[2].to", equalTo("resolved"))
                .body("transitions[2].actor", equalTo("meshwatch"))
                .body("endsAt", equalTo(t0.plusSeconds(30).toString()));

        output.signal(down("169.254.10.2", Severity.MAJOR, t0.plusSeconds(60))); // it comes back
        awaitState(fp, "firing", 3);
        as("dev-viewer").get("/api/v1/alerts/{fp}", fp).then().body("acknowledgedBy", nullValue())
                .body("transitions", hasSize(4)).body("transitions[3].from", equalTo("resolved"));
    }

    @Test
    void resolveByHandAndUnknownAlerts() {
        Signal s = down("169.254.20.2", Severity.CRITICAL, Instant.now());
        output.signal(s);
        awaitState(s.fingerprint(), "firing", 1);
        as("dev-responder").contentType("application/json").body("{\"comment\":\"tunnel rebuilt\"}")
                .post("/api/v1/alerts/{fp}/resolve", s.fingerprint()).then().statusCode(200)
                .body("state", equalTo("resolved")).body("transitions[1].reason", equalTo("resolved by hand: tunnel rebuilt"))
                .body("transitions[1].actor", equalTo("dev-responder"));
        as("dev-responder").contentType("application/json").body("{}")
                .post("/api/v1/alerts/{fp}/resolve", s.fingerprint()).then().statusCode(409)
                .body("message", containsString("already resolved"));
        as("dev-responder").contentType("application/json").body("{}")
                .post("/api/v1/alerts/{fp}/acknowledge", "0123456789abcdef").then().statusCode(404)
                .body("error", equalTo("not_found")).body("message", containsString("'0123456789abcdef' is not known"));
        as("dev-viewer").get("/api/v1/alerts/{fp}", "0123456789abcdef").then().statusCode(404);
    }

    @Test
    void updatesRefreshCorrelationWithoutATransition() {
        Signal s = down("169.254.30.2", Severity.MAJOR, Instant.now());
        output.signal(s);
        awaitState(s.fingerprint(), "firing", 1);
        output.signal(Signals.update(s, "inc-circuit", true, Map.of("cause", "circuit dx-1 down")));
        await().atMost(WAIT).untilAsserted(() -> as("dev-viewer").get("/api/v1/alerts/{fp}", s.fingerprint()).then()
                .body("incidentId", equalTo("inc-circuit")).body("inhibited", equalTo(true))
                .body("annotations.cause", equalTo("circuit dx-1 down")).body("transitions", hasSize(1))
                .body("count", equalTo(1)));
    }

    @Test
    void filtersAndPaging() {
        Instant t = Instant.now();
        output.signal(down("10.0.0.1", Severity.CRITICAL, t));
        output.signal(down("10.0.0.2", Severity.MINOR, t));
        output.signal(down("10.0.0.3", Severity.MINOR, t));
        await().atMost(WAIT).untilAsserted(() -> as("dev-viewer").get("/api/v1/alerts?router={r}", router).then()
                .body("total", equalTo(3)));
        as("dev-viewer").get("/api/v1/alerts?router={r}&severity=minor", router).then().body("total", equalTo(2));
        as("dev-viewer").get("/api/v1/alerts?router={r}&state=resolved", router).then().body("total", equalTo(0));
        as("dev-viewer").get("/api/v1/alerts?router={r}&type=BgpSessionDown&state=firing", router).then()
                .body("total", equalTo(3));
        as("dev-viewer").get("/api/v1/alerts?router={r}&limit=2&offset=2", router).then()
                .body("items", hasSize(1)).body("total", equalTo(3)).body("limit", equalTo(2)).body("offset", equalTo(2));
        as("dev-viewer").get("/api/v1/alerts?router={r}&since={s}", router, t.plusSeconds(3600).toString()).then()
                .body("total", equalTo(0));
        as("dev-viewer").get("/api/v1/alerts?state=burning").then().statusCode(400)
                .body("message", containsString("firing, acknowledged or resolved"));
        as("dev-viewer").get("/api/v1/alerts?limit=0").then().statusCode(400);
        as("dev-viewer").get("/api/v1/alerts?since=yesterday").then().statusCode(400)
                .body("message", containsString("ISO-8601"));
    }

    @Test
    void silencesAreCheckedListedAndExpired() {
        String end = Instant.now().plusSeconds(3600).toString();
        as("dev-responder").contentType("application/json")
                .body("{\"matchers\":[],\"endsAt\":\"" + end + "\",\"comment\":\"x\"}")
                .post("/api/v1/silences").then().statusCode(400).body("message", containsString("at least one matcher"));
        as("dev-responder").contentType("application/json")
                .body("{\"matchers\":[{\"name\":\"router\",\"value\":\"" + router + "\"}],\"startsAt\":\"" + end
                        + "\",\"endsAt\":\"" + Instant.now().plusSeconds(60) + "\",\"comment\":\"x\"}")
                .post("/api/v1/silences").then().statusCode(400).body("message", containsString("must be after startsAt"));
        as("dev-responder").contentType("application/json")
                .body("{\"matchers\":[{\"name\":\"router\",\"value\":\"cx-(\",\"isRegex\":true}],\"endsAt\":\"" + end
                        + "\",\"comment\":\"x\"}")
                .post("/api/v1/silences").then().statusCode(400).body("message", containsString("bad regular expression"));

        String id = as("dev-responder").contentType("application/json")
                .body("{\"matchers\":[{\"name\":\"router\",\"value\":\"" + router + "\"},{\"name\":\"peer\",\"value\":"
                        + "\"10\\\\..*\",\"isRegex\":true}],\"endsAt\":\"" + end + "\",\"comment\":\"planned work\"}")
                .post("/api/v1/silences").then().statusCode(201)
                .body("state", equalTo("active")).body("createdBy", equalTo("dev-responder"))
                .body("matchers[1].isRegex", equalTo(true)).body("matchers[0].isEqual", equalTo(true))
                .extract().path("id");

        Signal muted = down("10.9.9.9", Severity.CRITICAL, Instant.now());
        Signal loud = down("192.0.2.1", Severity.CRITICAL, Instant.now());
        output.signal(muted);
        output.signal(loud);
        awaitState(loud.fingerprint(), "firing", 1);
        awaitState(muted.fingerprint(), "firing", 1);
        as("dev-viewer").get("/api/v1/alerts/{fp}", muted.fingerprint()).then().body("silencedBy", equalTo(id));
        as("dev-viewer").get("/api/v1/alerts/{fp}", loud.fingerprint()).then().body("silencedBy", nullValue());

        as("dev-viewer").get("/api/v1/silences/{id}", id).then().statusCode(200).body("comment", equalTo("planned work"));
        as("dev-responder").delete("/api/v1/silences/{id}", id).then().statusCode(200)
                .body("state", equalTo("expired")).body("expiredBy", equalTo("dev-responder"));
        as("dev-viewer").get("/api/v1/silences?state=expired&limit=500").then().statusCode(200)
                .body("items.id", org.hamcrest.Matchers.hasItem(id));
        as("dev-viewer").get("/api/v1/silences?state=active&limit=500").then().statusCode(200)
                .body("items.id", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(id)));
        as("dev-responder").delete("/api/v1/silences/{id}", "6b3f1c2e-0000-4000-8000-000000000000").then().statusCode(404);
        as("dev-viewer").get("/api/v1/silences?state=soon").then().statusCode(400);
    }

    /** A sample's value in /q/metrics, 0 when absent. */
    static double metric(String sample) {
        for (String line : given().get("/q/metrics").asString().split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1).strip());
            }
        }
        return 0;
    }

    @Test
    void openAlertsAndTransitionsAreCounted() {
        String firing = "meshwatch_alerts_open{alertname=\"CircuitDegraded\",severity=\"info\",state=\"firing\"}";
        String acked = "meshwatch_alerts_open{alertname=\"CircuitDegraded\",severity=\"info\",state=\"acknowledged\"}";
        String toAck = "meshwatch_alerts_transitions_total{to=\"acknowledged\"}";
        Signal s = Signals.firing(SignalType.CIRCUIT_DEGRADED, Severity.INFO, Map.of("router", router, "circuit",
                router + "-dx"), "Circuit " + router + "-dx degraded", Instant.now(), null, false);
        output.signal(s);
        awaitState(s.fingerprint(), "firing", 1);
        await().atMost(WAIT).until(() -> metric(firing) >= 1);
        double f0 = metric(firing);
        double a0 = metric(acked);
        double t0 = metric(toAck);
        as("dev-responder").contentType("application/json").body("{}").post("/api/v1/alerts/{fp}/acknowledge",
                s.fingerprint()).then().statusCode(200);
        await().atMost(WAIT).until(() -> metric(acked) == a0 + 1 && metric(firing) == f0 - 1);
        org.junit.jupiter.api.Assertions.assertEquals(t0 + 1, metric(toAck));
        org.junit.jupiter.api.Assertions.assertTrue(given().get("/q/metrics").asString()
                .contains("meshwatch_notify_outbox_depth"), "the outbox depth gauge is there");
    }
}
