package io.meshwatch.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The dashboards' structure as Grafana provisions it: unique uids and panel ids, every panel on the
 * Prometheus data source variable, the variables the issue asks for, panels within the 24-column
 * grid, a question for every panel, and the provisioning files pointing where the dashboards go.
 * Whether the queries work is {@link DashboardProofTest}'s job.
 */
class GrafanaDashboardsTest {

    private static final Map<String, Set<String>> VARIABLES = Map.of(
            "noc-overview.json", Set.of("datasource", "router", "circuit", "tunnel_group"),
            "bgp.json", Set.of("datasource", "router"),
            "ipsec-circuits.json", Set.of("datasource", "circuit", "tunnel_group"),
            "pipeline-health.json", Set.of("datasource"));

    @Test
    void everyDashboardIsWellFormedForProvisioning() {
        List<Path> files = GrafanaDashboards.files();
        assertEquals(VARIABLES.keySet(), Set.copyOf(files.stream().map(p -> p.getFileName().toString()).toList()));
        Set<String> uids = new HashSet<>();
        for (Path f : files) {
            JsonNode d = GrafanaDashboards.read(f);
            assertTrue(uids.add(d.path("uid").asText()), f + ": uid unique");
            assertFalse(d.path("title").asText().isEmpty(), f + ": title");
            Set<String> vars = new HashSet<>();
            for (JsonNode v : d.path("templating").path("list")) {
                vars.add(v.path("name").asText());
                if (v.path("name").asText().equals("datasource")) {
                    assertEquals("datasource", v.path("type").asText());
                    assertEquals("prometheus", v.path("query").asText());
                }
            }
            assertEquals(VARIABLES.get(f.getFileName().toString()), vars, f + ": variables");
            Set<Integer> ids = new HashSet<>();
            for (JsonNode p : d.path("panels")) {
                String where = f + " / " + p.path("title").asText();
                assertTrue(ids.add(p.path("id").asInt()), where + ": panel id unique");
                JsonNode g = p.path("gridPos");
                assertTrue(g.path("x").asInt() + g.path("w").asInt() <= 24 && g.path("w").asInt() > 0
                        && g.path("h").asInt() > 0, where + ": inside the grid");
                if (p.path("type").asText().equals("row")) {
                    continue;
                }
                assertEquals("${datasource}", p.path("datasource").path("uid").asText(), where + ": data source");
                assertFalse(p.path("description").asText().isEmpty(), where + ": the question it answers");
                assertFalse(p.path("targets").isEmpty(), where + ": queries");
                Set<String> refs = new HashSet<>();
                for (JsonNode t : p.path("targets")) {
                    assertTrue(refs.add(t.path("refId").asText()), where + ": refId unique");
                    assertFalse(t.path("expr").asText().isBlank(), where + ": expression");
                    assertEquals("${datasource}", t.path("datasource").path("uid").asText(), where + ": target data source");
                }
            }
        }
    }

    @Test
    void provisioningLoadsTheDashboardsAndTheDataSource() throws Exception {
        JsonNode ds = K8s.YAML.readTree(Path.of("grafana/provisioning/datasources/meshwatch.yaml").toFile());
        assertEquals("prometheus", ds.path("datasources").path(0).path("type").asText());
        assertTrue(ds.path("datasources").path(0).path("isDefault").asBoolean());
        JsonNode dash = K8s.YAML.readTree(Path.of("grafana/provisioning/dashboards/meshwatch.yaml").toFile());
        assertEquals("file", dash.path("providers").path(0).path("type").asText());
        assertFalse(dash.path("providers").path(0).path("options").path("path").asText().isEmpty());
        assertTrue(Files.isDirectory(GrafanaDashboards.DIR));
    }
}
