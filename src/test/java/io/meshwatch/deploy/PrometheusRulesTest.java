package io.meshwatch.deploy;

import io.meshwatch.testing.ExternalProgram;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The rules of grafana/rules through the real promtool: {@code check rules} (syntax, PromQL, label
 * templates) and {@code test rules} (the unit tests in meshwatch.rules.test.yaml, where each rule
 * fires on the series that should fire it and stays silent otherwise); every alert of the file has
 * a case that fires it, and the scale-out rules watch the detection owner and the members across instances.
 */
class PrometheusRulesTest {

    private static final Path DIR = Path.of("grafana/rules");

    @Test
    void promtoolChecksTheRules() throws Exception {
        String out = promtool("check", "rules", DIR.resolve("meshwatch.rules.yaml").toString());
        assertTrue(out.contains("SUCCESS: 15 rules found"), out);
    }

    @Test
    void promtoolUnitTestsFireEveryRule() throws Exception {
        String out = promtool("test", "rules", DIR.resolve("meshwatch.rules.test.yaml").toString());
        assertTrue(out.contains("SUCCESS"), out);
    }

    @Test
    void everyAlertHasAUnitTestThatFiresIt() throws IOException {
        Set<String> alerts = new TreeSet<>();
        for (JsonNode g : rules().path("groups")) {
            g.path("rules").forEach(r -> alerts.add(r.path("alert").asText()));
        }
        Set<String> fired = new TreeSet<>();
        for (JsonNode t : K8s.YAML.readTree(DIR.resolve("meshwatch.rules.test.yaml").toFile()).path("tests")) {
            for (JsonNode a : t.path("alert_rule_test")) {
                if (!a.path("exp_alerts").isEmpty()) {
                    fired.add(a.path("alertname").asText());
                }
            }
        }
        assertEquals(alerts, fired, "alerts fired by a unit test");
    }

    @Test
    void theClusterRulesCountOwnersAndMembersOverAllInstances() throws IOException {
        java.util.Map<String, String> expr = new java.util.HashMap<>();
        for (JsonNode g : rules().path("groups")) {
            g.path("rules").forEach(r -> expr.put(r.path("alert").asText(), r.path("expr").asText()));
        }
        // meshwatch_detect_owner is 1 where detection runs, in local mode on every instance: both rules hold in both modes
        assertEquals("sum(meshwatch_detect_owner) == 0", expr.get("MeshwatchNoDetectionOwner"));
        assertEquals("sum(meshwatch_detect_owner) > 1", expr.get("MeshwatchSeveralDetectionOwners"));
        // every instance reports the same member count (read from PostgreSQL): max, not sum
        assertEquals("max(meshwatch_cluster_members) < count(up{job=\"meshwatch\"} == 1)", expr.get("MeshwatchMemberMissing"));
        // every instance counts the same shared outbox: one alert, not one per instance
        assertEquals("max(min_over_time(meshwatch_notify_outbox_depth[15m])) > 0", expr.get("MeshwatchOutboxNotDraining"));
    }

    private static JsonNode rules() throws IOException {
        return K8s.YAML.readTree(DIR.resolve("meshwatch.rules.yaml").toFile());
    }

    private static String promtool(String... args) throws IOException, InterruptedException {
        Path binary = ExternalProgram.require("promtool", "prometheus");
        List<String> cmd = new ArrayList<>(List.of(binary.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + "\n" + out);
        return out;
    }
}
