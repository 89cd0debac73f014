package io.meshwatch.audit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The audit trail through the API, against the real PostgreSQL: recorded, readable by admins only, refused changes too. */
@QuarkusTest
class AuditApiTest {

    private static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> entries(String actor, Instant from) {
        return as("dev-admin").get("/api/v1/audit?actor={a}&from={f}&limit=1000", actor, from.toString()).then()
                .statusCode(200).extract().jsonPath().getList("$");
    }

    @Test
    void aChangeIsRecordedWithWhoWhenFromWhereAndWhat() {
        Instant start = Instant.now().minusSeconds(1);
        String router = "audit-" + UUID.randomUUID().toString().substring(0, 8);
        String end = Instant.now().plusSeconds(3600).toString();
        String id = as("dev-responder").header("X-Forwarded-For", "203.0.113.9").contentType("application/json")
                .body("{\"matchers\":[{\"name\":\"router\",\"value\":\"" + router + "\"}],\"endsAt\":\"" + end
                        + "\",\"comment\":\"planned work on " + router + "\"}")
                .post("/api/v1/silences").then().statusCode(201).extract().path("id");
        // a refused change is recorded too, with its status
        as("dev-responder").contentType("application/json").body("{\"matchers\":[],\"endsAt\":\"" + end + "\"}")
                .post("/api/v1/silences").then().statusCode(400);
        // reads are not changes
        as("dev-responder").get("/api/v1/silences/{id}", id).then().statusCode(200);

        List<Map<String, Object>> mine = await().atMost(Duration.ofSeconds(10)).until(() -> entries("dev-responder",
                start).stream().filter(e -> String.valueOf(e.get("detail")).contains(router)
                        || Integer.valueOf(400).equals(e.get("status"))).toList(), l -> l.size() >= 2);
        Map<String, Object> created = mine.stream().filter(e -> Integer.valueOf(201).equals(e.get("status")))
                .findFirst().orElseThrow(() -> new AssertionError("no 201 in " + mine));
        assertEquals("responder", created.get("role"));
        assertEquals("POST", created.get("method"));
        assertEquals("/api/v1/silences", created.get("path"));
        assertEquals("203.0.113.9", created.get("forwardedFor"));
        assertEquals("127.0.0.1", created.get("address"));
        assertTrue(((String) created.get("detail")).contains(id), "the answer says what was made: " + created);
        assertNotNull(created.get("answeredBy"));
        Instant at = Instant.parse((String) created.get("at"));
        assertFalse(at.isBefore(start) || at.isAfter(Instant.now()), at.toString());
        assertTrue(mine.stream().anyMatch(e -> Integer.valueOf(400).equals(e.get("status"))
                && String.valueOf(e.get("detail")).contains("at least one matcher")), mine.toString());
        assertTrue(entries("dev-responder", start).stream().noneMatch(e -> "GET".equals(e.get("method"))));
    }

    /** The key of the secret-probe caller (application.properties, test profile); never logged, never stored. */
    static final String PROBE_KEY = "mw-test-key-7f3a9c1e4b";

    @Test
    void theKeysSecretIsNeverStoredNorEchoed() {
        Instant start = Instant.now().minusSeconds(1);
        String end = Instant.now().plusSeconds(600).toString();
        String body = "{\"matchers\":[{\"name\":\"router\",\"value\":\"probe\"}],\"endsAt\":\"" + end
                + "\",\"comment\":\"secret probe\"}";
        as(PROBE_KEY).contentType("application/json").body(body).post("/api/v1/silences").then().statusCode(201);
        // a wrong key that starts with the right one: refused without echoing what was sent
        String answer = as(PROBE_KEY + "x").contentType("application/json").body(body).post("/api/v1/silences").then()
                .statusCode(401).extract().asString();
        assertFalse(answer.contains(PROBE_KEY), answer);
        List<Map<String, Object>> mine = await().atMost(Duration.ofSeconds(10))
                .until(() -> entries("secret-probe", start), l -> !l.isEmpty());
        assertEquals("responder", mine.get(0).get("role"));
        assertFalse(mine.toString().contains(PROBE_KEY), mine.toString());
        // the receivers API says whether a receiver has a secret, never which
        String receivers = as("dev-admin").get("/api/v1/receivers").then().statusCode(200).extract().asString();
        assertFalse(receivers.contains(PROBE_KEY));
    }

    @Test
    void onlyAdminsReadItAndBadParametersAreNamed() {
        as("dev-viewer").get("/api/v1/audit").then().statusCode(403).body("message", containsString("needs admin"));
        as("dev-responder").get("/api/v1/audit").then().statusCode(403);
        as("dev-admin").get("/api/v1/audit?limit=0").then().statusCode(400).body("message", containsString("limit"));
        as("dev-admin").get("/api/v1/audit?from=yesterday").then().statusCode(400)
                .body("message", containsString("RFC 3339"));
        as("dev-admin").get("/api/v1/audit?from=2026-12-07T10:00:00Z&to=2026-12-07T09:00:00Z").then().statusCode(400)
                .body("message", containsString("is after"));
    }
}
