package io.meshwatch.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.alerting.Signals;
import io.meshwatch.detect.Impact;
import io.meshwatch.detect.Incident;
import io.meshwatch.detect.IncidentStatus;
import io.meshwatch.detect.Signal;
import io.meshwatch.detect.SignalType;
import io.meshwatch.detect.TimelineEntry;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Incidents the running engine does not hold (here: handed to the alerting layer only, as after a
 * restart the new engine holds none of the old ones) come from PostgreSQL: listed after the live
 * ones with {@code source: stored}, one by id with its timeline, its alerts with their roles, and
 * paging over the combined list.
 */
@QuarkusTest
@OwnApiKeys
class IncidentHistoryTest {

    @Inject
    DetectionOutput output;

    static RequestSpecification viewer() {
        return given().header("Authorization", "Bearer dev-viewer");
    }

    Incident stored(String router, Instant opened) {
        Signal root = Signals.firing(SignalType.CIRCUIT_DOWN, Severity.CRITICAL, Map.of("router", router,
                "circuit", router + "-dx"), "Circuit " + router + "-dx down", opened, null, false);
        Signal child = Signals.firing(SignalType.BGP_SESSION_DOWN, Severity.MAJOR, Map.of("router", router,
                "peer", "169.254.9.9"), "BGP session " + router + " down", opened, null, true);
        String id = "inc-" + router;
        output.signal(root);
        output.signal(child);
        Incident i = new Incident(id, IncidentStatus.RESOLVED, "Circuit " + router + "-dx down: 1 session down",
                Severity.CRITICAL, Signals.resolved(root, opened.plusSeconds(60)), List.of(child),
                new Impact(List.of(router + " default 169.254.9.9"), List.of(), List.of(), List.of()),
                List.of(new TimelineEntry(opened, "circuit down"), new TimelineEntry(opened.plusSeconds(60), "repaired")),
                opened, opened.plusSeconds(60), null);
        output.incident(i);
        return i;
    }

    @Test
    void storedIncidentsWithTimelineAndAlertsPagedAfterTheLiveOnes() {
        Instant t = Instant.now().plus(Duration.ofDays(3650)).truncatedTo(ChronoUnit.SECONDS); // newest of all stored
        String base = Events.uniqueRouter("cx-hist");
        Incident older = stored(base + "-a", t);
        Incident newer = stored(base + "-b", t.plusSeconds(10));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> viewer().get("/api/v1/incidents/{id}", newer.id())
                .then().statusCode(200).body("source", equalTo("stored")).body("status", equalTo("resolved")));
        viewer().get("/api/v1/incidents/{id}", older.id()).then().statusCode(200)
                .body("title", equalTo(older.title()))
                .body("root.fingerprint", equalTo(older.root().fingerprint()))
                .body("children", hasSize(1))
                .body("children[0].fingerprint", equalTo(older.children().get(0).fingerprint()))
                .body("impact.sessionsDown[0]", equalTo(base + "-a default 169.254.9.9"))
                .body("timeline.what", equalTo(List.of("circuit down", "repaired")));
        viewer().get("/api/v1/incidents/{id}/alerts", older.id()).then().statusCode(200)
                .body("role", equalTo(List.of("root", "child")))
                .body("[0].alert.alertname", equalTo("CircuitDown"))
                .body("[1].alert.inhibited", equalTo(true));
        viewer().get("/api/v1/incidents/inc-none-such/alerts").then().statusCode(404);
        viewer().get("/api/v1/incidents?status=open").then().statusCode(200)
                .body("findAll { it.id == '" + older.id() + "' }", hasSize(0));

        List<String> all = viewer().get("/api/v1/incidents?status=all&limit=500").then().statusCode(200)
                .extract().jsonPath().getList("id");
        int b = all.indexOf(newer.id());
        assertTrue(b >= 0 && all.indexOf(older.id()) == b + 1, "newest stored first: " + all);
        List<String> page = viewer().get("/api/v1/incidents?status=all&limit=2&offset={o}", b).then().statusCode(200)
                .extract().jsonPath().getList("id");
        assertEquals(List.of(newer.id(), older.id()), page);
        viewer().get("/api/v1/incidents?status=resolved&limit=0").then().statusCode(400);
    }
}
