package io.meshwatch.deploy;

import io.meshwatch.testing.ExternalProgram;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The proof that the dashboards and rules work: Meshwatch runs with the simulator, a real Prometheus
 * scrapes its {@code /q/metrics} every second and loads the rules, a circuit cut plays out, and then
 * every PromQL expression of {@code grafana/dashboards/*.json} (variables filled with values
 * Prometheus itself lists for them) and of {@code grafana/rules/*.rules.yaml} is evaluated through
 * Prometheus' HTTP API.
 *
 * <p>A dashboard query must parse and return data. An alerting rule's condition is false in a
 * healthy run, so for a rule: the condition must parse and evaluate without error (also as
 * Prometheus' own rule evaluation reports it), the expression it compares (each operand of a
 * top-level {@code and}/{@code or}/{@code unless}, with its top-level comparison removed) must
 * return data, every metric it names must exist, and Prometheus must report it healthy. The profile's
 * receivers answer 200, 503 once, and 400, so deliveries have every outcome; the rules must then fire
 * exactly MeshwatchNotificationsFailing for the refusing receiver, and nothing else.
 *
 * <p>Queries are range queries over the test's window (as a dashboard panel shows its range):
 * each must have data at some point of it, e.g. open alerts while the circuit is cut, the failback
 * after it.
 */
@QuarkusTest
@TestProfile(ProofProfile.class)
class DashboardProofTest {

    static final List<Path> RULES = List.of(Path.of("grafana/rules/meshwatch.rules.yaml"));
    private static final Map<String, String> PREFERRED = Map.of("router", "cx-ash", "circuit", "dx-ash-use1",
            "tunnel_group", "vpn-ash-use1");
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static Instant from;

    @Test
    void everyDashboardQueryAndRuleExpressionReturnsDataFromARealPrometheus() throws Exception {
        Path binary = ExternalProgram.require("prometheus", "prometheus");
        from = Instant.now();
        try (PrometheusServer prom = PrometheusServer.start(binary, RestAssured.port, RULES)) {
            await("a steady simulated network in Prometheus").atMost(WAIT).pollInterval(Duration.ofSeconds(1))
                    .until(() -> hasData(prom, "meshwatch_rib_prefixes > 0")
                            && hasData(prom, "meshwatch_ingest_consumer_lag_records")
                            && hasData(prom, "meshwatch_network_probe_latency_seconds >= 0")
                            && hasData(prom, "meshwatch_network_bgp_session_up == 1"));
            // a cut long enough for several scrapes to see the circuit down and the backup carrying
            given().contentType(ContentType.JSON).body("{\"circuit\": \"dx-ash-use1\", \"duration\": \"6s\"}")
                    .post("/api/v1/sim/scenarios/circuit-cut").then().statusCode(202);
            await("the cut's failover and failback in Prometheus").atMost(WAIT).pollInterval(Duration.ofSeconds(1))
                    .until(() -> hasData(prom, "meshwatch_ipsec_failback_duration_seconds_count{tunnel_group=\"vpn-ash-use1\"} > 0")
                            && hasData(prom, "meshwatch_ipsec_failover_duration_seconds_count{tunnel_group=\"vpn-ash-use1\"} > 0"));

            Map<String, String> values = variableValues(prom);
            List<Check> checks = checks(values);
            checks.addAll(BEHAVIOUR);
            // rates need two samples after a series appears: give the newest series a few scrapes
            Instant deadline = Instant.now().plusSeconds(20);
            List<String> problems = evaluateAll(prom, checks);
            while (!problems.isEmpty() && Instant.now().isBefore(deadline)) {
                PrometheusServer.sleep(1000);
                problems = evaluateAll(prom, checks);
            }
            System.out.println("DashboardProofTest: " + checks.size() + " expressions evaluated with " + values);
            assertEquals(List.of(), problems, "of " + checks.size() + " expressions with " + values);
            assertTrue(checks.size() > 60, "found only " + checks.size() + " expressions");
        }
    }

    /** What the cut must have shown in the series (each returns data only when true). */
    private static final List<Check> BEHAVIOUR = List.of(
            new Check("the cut circuit was down", "max_over_time(meshwatch_network_circuit_state{circuit=\"dx-ash-use1\"}[5m]) == 2", true, false),
            new Check("its probes lost everything", "max_over_time(meshwatch_network_probe_loss_ratio{circuit=\"dx-ash-use1\"}[5m]) == 1", true, false),
            new Check("the backup tunnel carried the traffic", "max_over_time(meshwatch_network_tunnel_carrying{tunnel=\"vpn-ash-use1-inet\"}[5m]) == 1", true, false),
            new Check("and the primary carries it again", "meshwatch_network_tunnel_carrying{tunnel=\"vpn-ash-use1-dx\"} == 1", true, false),
            new Check("the session over it flapped", "meshwatch_network_bgp_session_flaps_total{router=\"cx-ash\", peer=\"169.254.10.2\"} >= 1", true, false),
            new Check("a failover duration was measured", "meshwatch_ipsec_failover_duration_seconds_sum{tunnel_group=\"vpn-ash-use1\"} > 0", true, false),
            new Check("detection raised CircuitDown", "meshwatch_detect_signals_total{type=\"CircuitDown\", status=\"firing\"} >= 1", true, false),
            new Check("routes were counted per router", "meshwatch_rib_prefixes{router=\"cx-ash\", vrf=\"default\", family=\"ipv4\"} > 10", true, false));

    /** One expression to evaluate and what it must show. */
    private record Check(String where, String expr, boolean mustHaveData, boolean range) {
        Check(String where, String expr, boolean mustHaveData) {
            this(where, expr, mustHaveData, mustHaveData);
        }
    }

    /** A value for every query variable, picked from the values Prometheus lists for its label_values query. */
    private static Map<String, String> variableValues(PrometheusServer prom) {
        Map<String, String> values = new LinkedHashMap<>();
        for (GrafanaDashboards.Variable v : GrafanaDashboards.variables()) {
            List<String> listed = new ArrayList<>();
            prom.labelValues(v.label(), v.selector()).path("data").forEach(n -> listed.add(n.asText()));
            assertTrue(!listed.isEmpty(), v.dashboard() + ": variable " + v.name() + " (label_values("
                    + v.selector() + ", " + v.label() + ")) lists nothing");
            String pick = listed.contains(PREFERRED.get(v.name())) ? PREFERRED.get(v.name()) : listed.get(0);
            values.merge(v.name(), pick, (a, b) -> a);
        }
        return values;
    }

    private static List<Check> checks(Map<String, String> values) throws Exception {
        List<Check> out = new ArrayList<>();
        for (GrafanaDashboards.Query q : GrafanaDashboards.queries()) {
            String expr = GrafanaDashboards.fill(q.expr(), values);
            out.add(new Check(q.dashboard() + " / " + q.panel(), expr, true));
        }
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        for (Path file : RULES) {
            for (JsonNode group : yaml.readTree(file.toFile()).path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    String name = rule.has("alert") ? rule.path("alert").asText() : rule.path("record").asText();
                    String expr = rule.path("expr").asText();
                    String where = file.getFileName() + " / " + name;
                    if (rule.has("record")) {
                        out.add(new Check(where, expr, true));
                        continue;
                    }
                    out.add(new Check(where + " (condition)", expr, false));
                    for (String value : PromQl.valueExpressions(expr)) {
                        out.add(new Check(where + " (compared value)", value, true));
                    }
                    for (String metric : PromQl.metricNames(expr)) {
                        out.add(new Check(where + " (metric)", "group({__name__=\"" + metric + "\"})", true));
                    }
                }
            }
        }
        return out;
    }

    private static List<String> evaluateAll(PrometheusServer prom, List<Check> checks) {
        List<String> problems = evaluate(prom, checks);
        problems.addAll(rulesHealthy(prom));
        return problems;
    }

    private static List<String> evaluate(PrometheusServer prom, List<Check> checks) {
        List<String> problems = new ArrayList<>();
        for (Check c : checks) {
            JsonNode r = c.range() ? prom.queryRange(c.expr(), from, Instant.now()) : prom.query(c.expr());
            if (!"success".equals(r.path("status").asText())) {
                problems.add(c.where() + ": " + c.expr() + " -> " + r.path("errorType").asText() + ": "
                        + r.path("error").asText());
                continue;
            }
            if (!c.mustHaveData() || !r.path("data").path("result").isEmpty()) {
                continue;
            }
            problems.add(c.where() + ": " + c.expr() + " -> no data");
        }
        return problems;
    }

    /**
     * The alerts the run must fire: the receiver {@code broken} refuses every notification, so
     * MeshwatchNotificationsFailing fires for it, on real data. No other rule fires in this otherwise
     * healthy run.
     */
    private static final Set<String> EXPECTED_FIRING = Set.of("MeshwatchNotificationsFailing{receiver=broken}");

    /** Prometheus' own evaluation of the rules: every rule loaded and healthy, and firing only as expected. */
    private static List<String> rulesHealthy(PrometheusServer prom) {
        List<String> problems = new ArrayList<>();
        Set<String> firing = new java.util.TreeSet<>();
        int rules = 0;
        for (JsonNode g : prom.get("/api/v1/rules").path("data").path("groups")) {
            for (JsonNode r : g.path("rules")) {
                rules++;
                if (!"ok".equals(r.path("health").asText())) {
                    problems.add("rule " + r.path("name").asText() + " health " + r.path("health").asText() + ": "
                            + r.path("lastError").asText());
                }
                for (JsonNode a : r.path("alerts")) {
                    if ("firing".equals(a.path("state").asText())) {
                        firing.add(r.path("name").asText() + "{receiver=" + a.path("labels").path("receiver").asText() + "}");
                    }
                }
            }
        }
        if (rules == 0) {
            problems.add("Prometheus loaded no rules from " + RULES);
        }
        if (!firing.equals(EXPECTED_FIRING)) {
            problems.add("firing alerts " + firing + ", expected " + EXPECTED_FIRING);
        }
        return problems;
    }

    private static boolean hasData(PrometheusServer prom, String expr) {
        JsonNode r = prom.query(expr);
        return "success".equals(r.path("status").asText()) && !r.path("data").path("result").isEmpty();
    }
}
