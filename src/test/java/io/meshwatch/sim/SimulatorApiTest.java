package io.meshwatch.sim;

import static io.meshwatch.sim.SimApi.awaitResolved;
import static io.meshwatch.sim.SimApi.awaitSteadyState;
import static io.meshwatch.sim.SimApi.start;
import static io.meshwatch.sim.SimApi.started;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.api.ApiError;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The scenario API's answers: catalogue, refusals with what would be accepted, overlapping runs, query
 * form; and {@code bin/sim}, the command line over it, with its exit codes.
 */
@QuarkusTest
@TestProfile(SimTestProfile.class)
class SimulatorApiTest {

    @Inject
    ObjectMapper mapper;

    @Inject
    SimulatorService service;

    @Test
    void theCatalogueListsEveryScenarioWithItsTargets() {
        given().get("/api/v1/sim/scenarios").then().statusCode(200)
                .body("enabled", equalTo(true))
                .body("inventory", equalTo(SimTestProfile.INVENTORY))
                .body("scenarios.name", hasItems("circuit-cut", "ipsec-failover", "ipsec-failover-slow", "session-flap",
                        "circuit-degraded", "withdrawal-storm", "full-table"))
                .body("scenarios", hasSize(7))
                .body("scenarios.find { it.name == 'circuit-cut' }.targetKind", equalTo("circuit"))
                .body("scenarios.find { it.name == 'circuit-cut' }.defaultTarget", equalTo("dx-ash-use1"))
                .body("scenarios.find { it.name == 'circuit-cut' }.targets", hasItem("ic-fra-gcp"))
                .body("scenarios.find { it.name == 'session-flap' }.targets", hasItem("tr-use1/169.254.250.2"))
                .body("scenarios.find { it.name == 'full-table' }.description", containsString("1.0M"));
    }

    @Test
    void anUnknownScenarioIs404WithTheNames() {
        start("meteor-strike", "{}").then().statusCode(404)
                .body("error", equalTo("not_found"))
                .body("message", containsString("unknown scenario 'meteor-strike'; scenarios: circuit-cut, "
                        + "ipsec-failover, ipsec-failover-slow, session-flap"));
    }

    @Test
    void anUnknownTargetOrOptionIs400WithWhatWouldDo() {
        start("circuit-cut", "{\"circuit\": \"dx-nowhere\"}").then().statusCode(400)
                .body("message", containsString("'dx-nowhere' is not one; valid: dx-ash-use1, dx-fra-euw1"));
        start("circuit-cut", "{\"router\": \"cx-ash\"}").then().statusCode(400)
                .body("message", containsString("circuit-cut takes a circuit"));
        start("circuit-cut", "{\"durration\": \"5s\"}").then().statusCode(400)
                .body("message", containsString("unknown field 'durration'"));
        start("circuit-cut", "{\"duration\": \"soon\"}").then().statusCode(400)
                .body("message", containsString("duration must look like 30s"));
        start("session-flap", "{\"flaps\": 0}").then().statusCode(400).body("message", containsString("flaps must be"));
        start("circuit-cut", "[1]").then().statusCode(400).body("message", containsString("JSON object"));
    }

    @Test
    void aRunOnTheSameTunnelGroupAsOneStillGoingIs409() {
        awaitSteadyState();
        String cut = start("circuit-cut", "{\"circuit\": \"dx-fra-euw1\", \"duration\": \"2s\"}").then()
                .statusCode(202).extract().path("id");
        start("ipsec-failover", "{\"group\": \"vpn-fra-euw1\"}").then().statusCode(409)
                .body("error", equalTo("conflict"))
                .body("message", containsString("circuit-cut run " + cut + " on dx-fra-euw1 also acts on"));
        given().get("/api/v1/sim/scenarios").then().body("runs.id", hasItem(cut));
        awaitResolved(cut);
    }

    @Test
    void queryParametersWorkLikeTheBody() {
        awaitSteadyState();
        String run = given().queryParam("session", "tr-use1/169.254.250.2").queryParam("flaps", 1)
                .queryParam("duration", "1s").post("/api/v1/sim/scenarios/session-flap").then().statusCode(202)
                .body("target", equalTo("tr-use1/169.254.250.2")).body("duration", equalTo("1s"))
                .body("timeline", hasSize(2)).extract().path("id");
        given().get("/api/v1/sim/scenarios/runs/{id}", run).then().statusCode(200)
                .body("scenario", equalTo("session-flap")).body("steps", hasSize(2));
        awaitResolved(run);
    }

    @Test
    void anUnknownRunIs404() {
        given().get("/api/v1/sim/scenarios/runs/{id}", "circuit-cut-00000000").then().statusCode(404)
                .body("message", containsString("no scenario run"));
    }

    @Test
    void binSimStartsAndFollowsARunAndExitsWithTheDocumentedCodes() throws Exception {
        boolean curl = new ProcessBuilder("sh", "-c", "command -v curl").start().waitFor() == 0;
        assertTrue(curl, "bin/sim needs curl, which is not installed (Debian package curl; bin/test installs it)");
        awaitSteadyState();
        Result list = sim();
        assertEquals(0, list.code, list.out);
        assertTrue(list.out.contains("withdrawal-storm"), list.out);
        Result run = sim("withdrawal-storm", "--router", "tr-apse1", "--count", "1", "--duration", "500ms", "--wait");
        assertEquals(0, run.code, "a run started and followed to its end: " + run.out);
        assertTrue(run.out.contains("resolved"), run.out);
        Result started = sim("session-flap", "--session", "tr-apse1/169.254.250.5", "--flaps", "1",
                "--duration", "500ms");
        assertEquals(0, started.code, "a run started without --wait: " + started.out);
        Result unknown = sim("no-such-scenario");
        assertEquals(2, unknown.code, unknown.out);
        assertTrue(unknown.out.contains("circuit-cut"), "the 404 lists the scenarios: " + unknown.out);
        Result badTarget = sim("circuit-cut", "--circuit", "nope");
        assertEquals(2, badTarget.code, badTarget.out);
        Result nobody = sim("--url", "http://127.0.0.1:9", "list");
        assertEquals(1, nobody.code, nobody.out);
        assertTrue(nobody.out.contains("./mvnw quarkus:dev"), nobody.out);
        String id = started.out.lines().filter(l -> l.startsWith("follow it:")).findFirst().orElseThrow()
                .replaceAll(".*status (\\S+).*", "$1");
        awaitResolved(id);
    }

    @Test
    void theStandaloneSimulatorWritesTheServicesJson() throws Exception {
        awaitSteadyState();
        String id = started("withdrawal-storm", "{\"router\": \"tr-apse1\", \"count\": 1, \"duration\": \"500ms\"}");
        awaitResolved(id);
        ScenarioApi api = new ScenarioApi(service, mapper);
        ObjectMapper standalone = StandaloneSimulator.json();
        for (Object view : List.of(api.list(), api.run(id), new ApiError(404, "not_found", "no"))) {
            assertEquals(mapper.writeValueAsString(view), standalone.writeValueAsString(view));
        }
        assertEquals(given().get("/api/v1/sim/scenarios/runs/{id}", id).then().statusCode(200).extract().asString(),
                standalone.writeValueAsString(api.run(id)), "bin/sim run answers what the service answers");
    }

    private record Result(int code, String out) {
    }

    /** Runs {@code bin/sim} against this test's service with the given arguments (stdout and stderr). */
    private static Result sim(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("bin/sim"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("MESHWATCH_URL", "http://localhost:" + RestAssured.port);
        pb.environment().put("MESHWATCH_API_KEY", "dev-admin");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("bin/sim " + String.join(" ", args) + " did not end: " + out);
        }
        return new Result(p.exitValue(), out);
    }
}
