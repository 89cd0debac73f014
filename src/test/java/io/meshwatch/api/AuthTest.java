package io.meshwatch.api;

import io.meshwatch.auth.FailedAuthentications;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.meshwatch.inventory.TestInventories;
import io.meshwatch.testing.OwnApiKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** API keys and roles on every kind of endpoint: 401 without a known key, 403 for a role that may not. */
@QuarkusTest
@OwnApiKeys
class AuthTest {

    static final String UNKNOWN_FP = "00000000deadbeef";

    static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key);
    }

    String silence() {
        return "{\"matchers\":[{\"name\":\"router\",\"value\":\"auth-test-none\"}],\"endsAt\":\""
                + Instant.now().plusSeconds(600) + "\",\"comment\":\"auth test\"}";
    }

    @Test
    void repeatedFailuresFromOneAddressAreAnsweredLaterAndCounted() {
        double delayedBefore = AlertApiTest.metric("meshwatch_auth_failures_total{delayed=\"true\"}");
        for (int i = 0; i < FailedAuthentications.FREE + 2; i++) {
            as("guess-" + i).get("/api/v1/alerts").then().statusCode(401);
        }
        double delayedAfter = AlertApiTest.metric("meshwatch_auth_failures_total{delayed=\"true\"}");
        // at least the last two of seven in a row from 127.0.0.1 (more when other tests failed just before)
        org.junit.jupiter.api.Assertions.assertTrue(delayedAfter - delayedBefore >= 2,
                "delayed answers: " + delayedBefore + " -> " + delayedAfter);
        // a good key from the same address is not slowed
        as("dev-viewer").get("/api/v1/alerts").then().statusCode(200);
    }

    @Test
    void withoutAKnownKeyEverythingIs401() {
        given().get("/api/v1/alerts").then().statusCode(401).body("status", equalTo(401))
                .body("error", equalTo("unauthorized")).body("message", containsString("Authorization: Bearer"));
        given().get("/api/v1/routers").then().statusCode(401);
        given().header("Authorization", "Basic ZGV2OmRldg==").get("/api/v1/incidents").then().statusCode(401);
        as("not-a-key").get("/api/v1/alerts").then().statusCode(401).body("message", containsString("not known"));
        given().contentType("application/json").body("{}").post("/api/v1/alerts/{fp}/acknowledge", UNKNOWN_FP)
                .then().statusCode(401);
        // outside the API: no key needed
        given().get("/q/health/live").then().statusCode(200);
    }

    /** Every endpoint that changes something, with the least role that may call it. */
    static final List<String[]> CHANGES = List.of(
            new String[] {"POST", "/api/v1/alerts/" + UNKNOWN_FP + "/acknowledge", "responder"},
            new String[] {"POST", "/api/v1/alerts/" + UNKNOWN_FP + "/resolve", "responder"},
            new String[] {"POST", "/api/v1/silences", "responder"},
            new String[] {"DELETE", "/api/v1/silences/6b3f1c2e-0000-4000-8000-000000000000", "responder"},
            new String[] {"PUT", "/api/v1/inventory", "admin"},
            new String[] {"POST", "/api/v1/receivers/test", "admin"},
            new String[] {"POST", "/api/v1/receivers/pager/test", "admin"},
            new String[] {"POST", "/api/v1/sim/scenarios/circuit-cut", "admin"});

    @Test
    void everyChangeNeeds401WithoutAKeyAnd403BelowItsRole() {
        List<String> roles = List.of("viewer", "responder", "admin");
        for (String[] c : CHANGES) {
            given().contentType("application/json").body("{}").request(c[0], c[1]).then()
                    .statusCode(401);
            for (String role : roles.subList(0, roles.indexOf(c[2]))) {
                as("dev-" + role).contentType("application/json").body("{}").request(c[0], c[1]).then()
                        .statusCode(403).body("message", containsString("needs " + c[2]));
            }
        }
    }

    @Test
    void viewerReadsButChangesNothing() {
        as("dev-viewer").get("/api/v1/alerts").then().statusCode(200);
        as("dev-viewer").get("/api/v1/silences").then().statusCode(200);
        as("dev-viewer").get("/api/v1/inventory").then().statusCode(200);
        as("dev-viewer").contentType("application/json").body("{}").post("/api/v1/alerts/{fp}/acknowledge", UNKNOWN_FP)
                .then().statusCode(403).body("error", equalTo("forbidden"))
                .body("message", containsString("has role viewer")).body("message", containsString("needs responder"));
        as("dev-viewer").contentType("application/json").body("{}").post("/api/v1/alerts/{fp}/resolve", UNKNOWN_FP)
                .then().statusCode(403);
        as("dev-viewer").contentType("application/json").body(silence()).post("/api/v1/silences").then().statusCode(403);
        as("dev-viewer").delete("/api/v1/silences/{id}", "6b3f1c2e-0000-4000-8000-000000000000").then().statusCode(403);
        as("dev-viewer").get("/api/v1/receivers").then().statusCode(403);
    }

    @Test
    void responderHandlesAlertsButNotConfiguration() throws Exception {
        as("dev-responder").contentType("application/json").body("{}").post("/api/v1/alerts/{fp}/acknowledge", UNKNOWN_FP)
                .then().statusCode(404);
        as("dev-responder").contentType("application/json").body("{}").post("/api/v1/alerts/{fp}/resolve", UNKNOWN_FP)
                .then().statusCode(404);
        String id = as("dev-responder").contentType("application/json").body(silence()).post("/api/v1/silences")
                .then().statusCode(201).extract().path("id");
        as("dev-responder").delete("/api/v1/silences/{id}", id).then().statusCode(200);
        as("dev-responder").contentType("application/yaml").body(TestInventories.demo().getBytes(java.nio.charset.StandardCharsets.UTF_8)).put("/api/v1/inventory")
                .then().statusCode(403).body("message", containsString("needs admin"));
        as("dev-responder").get("/api/v1/receivers").then().statusCode(403);
    }

    @Test
    void adminMayChangeTheInventoryAndRecordsItsName() throws Exception {
        as("dev-admin").contentType("application/yaml").body(TestInventories.demo().getBytes(java.nio.charset.StandardCharsets.UTF_8)).put("/api/v1/inventory")
                .then().statusCode(200).header("Meshwatch-Inventory-Updated-By", equalTo("dev-admin"));
        as("dev-admin").get("/api/v1/receivers").then().statusCode(200);
        as("dev-admin").contentType("application/json").body(silence()).post("/api/v1/silences").then().statusCode(201);
    }
}
