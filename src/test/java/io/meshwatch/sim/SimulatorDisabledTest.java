package io.meshwatch.sim;

import static io.meshwatch.sim.SimApi.start;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** In the default test profile, as in production, the simulator is off: scenarios are listed, not started. */
@QuarkusTest
class SimulatorDisabledTest {

    @Test
    void startingAScenarioIs409AndSaysHowToEnableIt() {
        start("circuit-cut", "{}").then().statusCode(409)
                .body("status", equalTo(409))
                .body("error", equalTo("conflict"))
                .body("message", containsString("meshwatch.sim.enabled=false"))
                .body("message", containsString("./mvnw quarkus:dev"));
    }

    @Test
    void anUnknownScenarioIsStill404() {
        start("meteor-strike", "{}").then().statusCode(404);
    }

    @Test
    void theCatalogueSaysDisabledAndListsTheScenarios() {
        given().get("/api/v1/sim/scenarios").then().statusCode(200)
                .body("enabled", equalTo(false))
                .body("scenarios", hasSize(7))
                .body("scenarios[0].description", containsString("circuit"))
                .body("scenarios[0].defaultTarget", nullValue())
                .body("runs", empty());
    }
}
