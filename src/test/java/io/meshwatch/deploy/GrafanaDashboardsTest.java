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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The dashboards' structure as Grafana provisions it: unique uids and panel ids, every panel on the
 * Prometheus data source variable, the variables the issue asks for, panels within the 24-column
 * grid, a question for every panel, and the provisioning files pointing where the dashboards go.
 * Whether the queries work is {@link DashboardProofTest}'s job. With several instances (docs/operations.md,
 * "Scaling") no query adds up copies of one value: detection's state from the instance that runs
 * detection, session state from the instance holding the router's route table, values read from the
 * shared database once; and the pipeline dashboard shows the cluster.
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

    /** Kept only where detection runs: a standby's engine is not fed, a former owner's is stale. */
    static final String DETECTION_OWNER = " and on(instance) meshwatch_detect_owner == 1";
    /** Kept only on the instance holding the router's route table: every instance restores every session. */
    static final String ROUTER_OWNER = " and on(instance, router) group by (instance, router) (meshwatch_rib_prefixes)";
    private static final Map<String, String> FILTERED = Map.of(
            "meshwatch_network_circuit_state", DETECTION_OWNER,
            "meshwatch_network_tunnel_up", DETECTION_OWNER,
            "meshwatch_network_tunnel_carrying", DETECTION_OWNER,
            "meshwatch_network_probe_latency_seconds", DETECTION_OWNER,
            "meshwatch_network_probe_jitter_seconds", DETECTION_OWNER,
            "meshwatch_network_probe_loss_ratio", DETECTION_OWNER,
            "meshwatch_network_bgp_session_up", ROUTER_OWNER);
    /** Read from the shared database by every instance alike: taken once (max), never summed. */
    private static final Set<String> SHARED = Set.of("meshwatch_alerts_open", "meshwatch_notify_outbox_depth",
            "meshwatch_cluster_members");
    private static final Pattern MAX_OF = Pattern.compile("max(?: by \\([^)]*\\))? ?\\($");

    @Test
    void noQueryAddsUpCopiesOfOneValueAcrossInstances() {
        for (GrafanaDashboards.Query q : GrafanaDashboards.queries()) {
            String e = q.expr();
            for (String metric : PromQl.metricNames(e)) {
                Matcher m = Pattern.compile("\\b" + metric + "\\b(\\{[^}]*})?").matcher(e);
                while (m.find()) {
                    if (FILTERED.containsKey(metric)) {
                        assertTrue(e.startsWith(FILTERED.get(metric), m.end()), q + ": " + metric
                                + " followed by" + FILTERED.get(metric));
                    }
                    if (SHARED.contains(metric)) {
                        assertTrue(MAX_OF.matcher(e.substring(0, m.start())).find(), q + ": max of " + metric);
                    }
                }
            }
        }
    }

    @Test
    void thePipelineDashboardShowsTheCluster() {
        Set<String> exprs = new HashSet<>();
        GrafanaDashboards.queries().stream().filter(q -> q.dashboard().equals("Meshwatch / Pipeline health"))
                .forEach(q -> exprs.add(q.expr()));
        for (String e : List.of("max(meshwatch_cluster_members)", "count(up{job=\"meshwatch\"} == 1)",
                "max by (instance) (meshwatch_detect_owner)",
                "sum by (instance, topic) (meshwatch_cluster_partitions_owned)",
                "sum by (instance, topic) (meshwatch_ingest_consumer_lag_records)")) {
            assertTrue(exprs.contains(e), "the pipeline dashboard queries " + e);
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
