package io.meshwatch.deploy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The paths k8s/ probes and scrapes are ones the running application answers, on its HTTP port. */
@QuarkusTest
class ProbePathsTest {

    @Test
    void theDeploymentsProbesAreAnsweredUp() {
        JsonNode c = K8s.one("Deployment").node().path("spec").path("template").path("spec").path("containers").get(0);
        List<String> paths = new ArrayList<>();
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            paths.add(c.path(probe).path("httpGet").path("path").asText());
        }
        assertEquals(3, paths.stream().filter(p -> p.startsWith("/q/health")).count(), paths.toString());
        for (String path : paths) {
            given().get(path).then().statusCode(200).body("status", equalTo("UP"));
        }
    }

    @Test
    void theServiceMonitorsPathServesMeshwatchMetrics() {
        String path = K8s.one("ServiceMonitor").node().path("spec").path("endpoints").get(0).path("path").asText();
        given().get(path).then().statusCode(200)
                .body(containsString("meshwatch_ingest_records_consumed_total"))
                .body(containsString("meshwatch_ingest_dead_letters_total"));
    }
}
