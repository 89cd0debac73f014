package io.meshwatch.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scenario API without its HTTP server: the catalogue, starting a run from a request's body and
 * query, a run's status, and the refusals with the API's error body. {@link ScenarioResource} serves
 * it in the service (JAX-RS), {@link StandaloneSimulator} on its own port; both answer the same JSON.
 *
 * <p>Threading: called from request threads; it keeps no state of its own (the {@link Backend}'s
 * runs synchronise themselves).
 */
public final class ScenarioApi {

    /** Where the API lives. */
    public static final String BASE = "/api/v1/sim/scenarios";

    static final Set<String> FIELDS = Set.of("target", "circuit", "group", "session", "router", "duration", "flaps",
            "count", "ipv4", "ipv6");
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    /** What runs the scenarios: the service's simulator or the standalone one. */
    public interface Backend {

        /** False when no simulator runs here; scenarios can then not be started. */
        boolean enabled();

        /** The inventory location it plays. */
        String inventory();

        /** The planner of the running network; empty when disabled. */
        Optional<ScenarioPlanner> planner();

        ScenarioRuns runs();

        /**
         * Plans a scenario from now and hands it to the simulator.
         *
         * @throws IllegalStateException          when the simulator is disabled
         * @throws UnknownTargetException         when the target or an option is not valid
         * @throws ScenarioRuns.ConflictException when it overlaps a run still going
         */
        ScenarioPlan submit(Scenario scenario, ScenarioRequest request);
    }

    /**
     * The error body of a refused request: the same fields as the service API's error body
     * ({@code api.ApiError}), which this plain API does not depend on.
     *
     * @param status the HTTP status
     */
    public record ErrorBody(int status, String error, String message) {
    }

    /** A request refused, with its error body. */
    public static final class Refused extends RuntimeException {
        private final ErrorBody error;

        Refused(int status, String error, String message) {
            super(message);
            this.error = new ErrorBody(status, error, message);
        }

        public ErrorBody error() {
            return error;
        }
    }

    /** A scenario and what it can act on. */
    public record ScenarioView(String name, String description, String targetKind, String defaultTarget,
                               List<String> targets) {
    }

    /**
     * The scenarios, and the runs of this simulator (newest first).
     *
     * @param enabled false when the simulator does not run here; scenarios can then not be started
     */
    public record Catalogue(boolean enabled, String inventory, List<ScenarioView> scenarios,
                            List<ScenarioRuns.RunView> runs) {
    }

    /** A scenario accepted: what will happen and when; follow it at {@code status}. */
    public record Accepted(String id, String scenario, String target, Instant start, Instant end, String duration,
                           List<ScenarioRuns.StepView> timeline, List<String> notes, String status) {
    }

    private final Backend backend;
    private final ObjectMapper mapper;

    /** @param mapper reads request bodies */
    public ScenarioApi(Backend backend, ObjectMapper mapper) {
        this.backend = backend;
        this.mapper = mapper;
    }

    /** {@code GET /api/v1/sim/scenarios}. */
    public Catalogue list() {
        List<ScenarioView> out = new ArrayList<>();
        ScenarioPlanner planner = backend.planner().orElse(null);
        for (Scenario s : Scenario.values()) {
            out.add(new ScenarioView(s.wire(), s.description(), s.target().param(),
                    planner == null ? null : planner.defaultTarget(s), planner == null ? List.of() : planner.targets(s)));
        }
        return new Catalogue(backend.enabled(), backend.inventory(), out, backend.runs().all());
    }

    /**
     * {@code POST /api/v1/sim/scenarios/{name}}: the body's fields (a JSON object, may be empty), then
     * the query's on top. The answer goes out as 202 with {@link Accepted#status()} as its location.
     *
     * @throws Refused 404 unknown scenario, 409 disabled or overlapping, 400 anything else wrong
     */
    public Accepted start(String name, String body, Map<String, List<String>> query) {
        Scenario scenario = Scenario.fromWire(name).orElseThrow(() -> notFound("unknown scenario '" + name
                + "'; scenarios: " + String.join(", ", Scenario.names())));
        if (!backend.enabled()) {
            throw conflict("the simulator is disabled (meshwatch.sim.enabled=false); it runs in dev mode "
                    + "(./mvnw quarkus:dev), or set MESHWATCH_SIM_ENABLED=true");
        }
        ScenarioRequest request = request(scenario, fields(body, query));
        ScenarioPlan plan;
        try {
            plan = backend.submit(scenario, request);
        } catch (UnknownTargetException e) {
            throw badRequest(e.getMessage());
        } catch (ScenarioRuns.ConflictException e) {
            throw conflict(e.getMessage());
        } catch (IllegalStateException e) {
            throw conflict(e.getMessage());
        }
        ScenarioRuns.RunView run = backend.runs().get(plan.id()).orElseThrow();
        return new Accepted(plan.id(), scenario.wire(), plan.target(), plan.start(), plan.end(),
                TimelineText.fmt(plan.duration()), run.steps(), plan.notes(), statusPath(plan.id()));
    }

    /**
     * {@code GET /api/v1/sim/scenarios/runs/{id}}.
     *
     * @throws Refused 404 for a run this simulator does not know
     */
    public ScenarioRuns.RunView run(String id) {
        return backend.runs().get(id).orElseThrow(() -> notFound("no scenario run '" + id
                + "'; GET /api/v1/sim/scenarios lists the runs of this service"));
    }

    /** Where a run's status is. */
    public static String statusPath(String id) {
        return BASE + "/runs/" + id;
    }

    /** The body's fields, then the query's on top; unknown names are refused. */
    private Map<String, String> fields(String body, Map<String, List<String>> query) {
        Map<String, String> out = new LinkedHashMap<>();
        if (body != null && !body.isBlank()) {
            JsonNode root;
            try {
                root = mapper.readTree(body);
            } catch (JsonProcessingException e) {
                throw badRequest("the body is not JSON: " + e.getOriginalMessage());
            }
            if (!root.isObject()) {
                throw badRequest("the body must be a JSON object such as {\"target\": \"dx-ash-use1\", "
                        + "\"duration\": \"30s\"}");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isNull()) {
                    out.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
                }
            }
        }
        if (query != null) {
            query.forEach((k, v) -> {
                if (!v.isEmpty()) {
                    out.put(k, v.get(v.size() - 1));
                }
            });
        }
        for (String k : out.keySet()) {
            if (!FIELDS.contains(k)) {
                throw badRequest("unknown field '" + k + "'; expected one of " + FIELDS.stream().sorted().toList());
            }
        }
        return out;
    }

    private static ScenarioRequest request(Scenario s, Map<String, String> f) {
        String target = f.get("target");
        for (Scenario.Target kind : Scenario.Target.values()) {
            String v = f.get(kind.param());
            if (v == null) {
                continue;
            }
            if (kind != s.target()) {
                throw badRequest(s.wire() + " takes a " + s.target().param() + " ('" + s.target().param()
                        + "' or 'target'), not a " + kind.param());
            }
            target = v;
        }
        Duration duration = null;
        if (f.containsKey("duration")) {
            try {
                duration = duration(f.get("duration"));
            } catch (IllegalArgumentException e) {
                throw badRequest("duration " + e.getMessage());
            }
        }
        return new ScenarioRequest(target, duration, integer(f, "flaps"), integer(f, "count"), integer(f, "ipv4"),
                integer(f, "ipv6"));
    }

    private static Integer integer(Map<String, String> f, String name) {
        String v = f.get(name);
        if (v == null) {
            return null;
        }
        try {
            return Integer.valueOf(v.trim());
        } catch (NumberFormatException e) {
            throw badRequest(name + " must be a whole number, got '" + v + "'");
        }
    }

    /**
     * {@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h}, {@code PT30S} or a number of seconds.
     *
     * @throws IllegalArgumentException saying what it must look like ({@code must look like ...})
     */
    public static Duration duration(String text) {
        String t = text.trim();
        try {
            if (t.matches("\\d+(\\.\\d+)?")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
            }
            Matcher m = DURATION.matcher(t);
            if (m.matches()) {
                double v = Double.parseDouble(m.group(1));
                long unit = switch (m.group(2)) {
                    case "ms" -> 1;
                    case "s" -> 1000;
                    case "m" -> 60_000;
                    default -> 3_600_000;
                };
                return Duration.ofMillis(Math.round(v * unit));
            }
            return Duration.parse(t);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("must look like 30s, 500ms, 2m, 1h, PT30S or a number of seconds, got '"
                    + text + "'");
        }
    }

    private static Refused notFound(String message) {
        return new Refused(404, "not_found", message);
    }

    private static Refused badRequest(String message) {
        return new Refused(400, "bad_request", message);
    }

    private static Refused conflict(String message) {
        return new Refused(409, "conflict", message);
    }
}
