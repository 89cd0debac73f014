package io.meshwatch.api;

import static io.meshwatch.api.AuthTest.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import io.meshwatch.testing.OwnApiKeys;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** {@code GET /api/v1/me}: each development key's name, role and allowed changes; no key, no answer. */
@QuarkusTest
@OwnApiKeys
class CallerApiTest {

    @Test
    void eachKeySeesItsOwnRoleAndWhatItMayChange() {
        as("dev-viewer").get("/api/v1/me").then().statusCode(200).body("name", equalTo("dev-viewer"))
                .body("role", equalTo("viewer")).body("may", empty());
        as("dev-responder").get("/api/v1/me").then().statusCode(200).body("name", equalTo("dev-responder"))
                .body("role", equalTo("responder")).body("may", contains("acknowledge", "resolve", "silence"));
        as("dev-admin").get("/api/v1/me").then().statusCode(200).body("role", equalTo("admin"))
                .body("may", contains("acknowledge", "resolve", "silence", "inventory", "receivers", "simulate"));
    }

    @Test
    void withoutAKnownKeyItIs401AndAChangeIsStill403ForAViewer() {
        given().get("/api/v1/me").then().statusCode(401).body("message", containsString("Authorization: Bearer"));
        as("not-a-key").get("/api/v1/me").then().statusCode(401);
        as("dev-viewer").contentType("application/json").body("{}").post("/api/v1/me").then().statusCode(403);
        as("dev-responder").contentType("application/json").body("{}").post("/api/v1/me").then().statusCode(405);
        // knowing its role gives a viewer nothing: the server still refuses its changes
        as("dev-viewer").contentType("application/json").body("{\"comment\":\"x\"}")
                .post("/api/v1/alerts/{fp}/acknowledge", AuthTest.UNKNOWN_FP).then().statusCode(403)
                .body("message", containsString("needs responder"));
    }
}
