package io.meshwatch.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.api.ApiError;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Triggers and follows the simulator's scenarios (see {@code docs/simulator.md}; {@code bin/sim} calls it). */
@Path("/api/v1/sim/scenarios")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "simulator", description = "Scenarios of the built-in network simulator")
public class ScenarioResource {

    static final Set<String> FIELDS = Set.of("target", "circuit", "group", "session", "router", "duration", "flaps",
            "count", "ipv4", "ipv6");

    private final SimulatorService service;
    private final ObjectMapper mapper;

    public ScenarioResource(SimulatorService service, ObjectMapper mapper) {
        this.service = service;
        this.mapper = mapper;
    }

    /** A scenario and what it can act on. */
    public record ScenarioView(String name, String description, String targetKind, String defaultTarget,
                               List<String> targets) {
    }

    /**
     * The scenarios, and the runs of this service (newest first).
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

    @GET
    @Operation(summary = "List scenarios and runs", description = "Every scenario with its description, the kind "
            + "of target it takes, its default and valid targets, and the runs of this service, newest first.")
    public Catalogue list() {
        List<ScenarioView> out = new ArrayList<>();
        ScenarioPlanner planner = service.planner().orElse(null);
        for (Scenario s : Scenario.values()) {
            out.add(new ScenarioView(s.wire(), s.description(), s.target().param(),
                    planner == null ? null : planner.defaultTarget(s), planner == null ? List.of() : planner.targets(s)));
        }
        return new Catalogue(service.enabled(), service.inventory(), out, service.runs().all());
    }

    @POST
    @Path("/{name}")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
    @Operation(summary = "Start a scenario", description = "Optional JSON body or query parameters: target (or "
            + "circuit, group, session as router/peer, router, by scenario), duration (30s, 2m, PT30S or seconds), "
            + "flaps (session-flap), count (withdrawal-storm), ipv4 and ipv6 (full-table). Answers 202 with the "
            + "timeline.")
    @APIResponse(responseCode = "202", description = "Accepted: the run id and its timeline")
    @APIResponse(responseCode = "400", description = "Unknown target or invalid option; the message lists valid targets")
    @APIResponse(responseCode = "404", description = "Unknown scenario; the message lists the scenarios")
    @APIResponse(responseCode = "409", description = "The simulator is disabled, or a run on the same target is going")
    public Response start(@PathParam("name") String name, @Context UriInfo uri, String body) {
        Scenario scenario = Scenario.fromWire(name).orElseThrow(() -> ApiError.notFound("unknown scenario '" + name
                + "'; scenarios: " + String.join(", ", Scenario.names())));
        if (!service.enabled()) {
            throw conflict("the simulator is disabled (meshwatch.sim.enabled=false); it runs in dev mode "
                    + "(./mvnw quarkus:dev), or set MESHWATCH_SIM_ENABLED=true");
        }
        ScenarioRequest request = request(scenario, fields(body, uri));
        ScenarioPlan plan;
        try {
            plan = service.submit(scenario, request);
        } catch (UnknownTargetException e) {
            throw ApiError.badRequest(e.getMessage());
        } catch (ScenarioRuns.ConflictException e) {
            throw conflict(e.getMessage());
        } catch (IllegalStateException e) {
            throw conflict(e.getMessage());
        }
        ScenarioRuns.RunView run = service.runs().get(plan.id()).orElseThrow();
        String status = "/api/v1/sim/scenarios/runs/" + plan.id();
        return Response.accepted(new Accepted(plan.id(), scenario.wire(), plan.target(), plan.start(), plan.end(),
                TimelineText.fmt(plan.duration()), run.steps(), plan.notes(), status)).location(URI.create(status))
                .build();
    }

    @GET
    @Path("/runs/{id}")
    @Operation(summary = "A run's status", description = "Its timeline with the steps done so far; state scheduled, "
            + "running or resolved.")
    @APIResponse(responseCode = "404", description = "No such run (runs are kept in memory, the latest 100)")
    public ScenarioRuns.RunView run(@PathParam("id") String id) {
        return service.runs().get(id).orElseThrow(() -> ApiError.notFound("no scenario run '" + id
                + "'; GET /api/v1/sim/scenarios lists the runs of this service"));
    }

    /** The body's fields, then the query's on top; unknown names are refused. */
    private Map<String, String> fields(String body, UriInfo uri) {
        Map<String, String> out = new LinkedHashMap<>();
        if (body != null && !body.isBlank()) {
            JsonNode root;
            try {
                root = mapper.readTree(body);
            } catch (JsonProcessingException e) {
                throw ApiError.badRequest("the body is not JSON: " + e.getOriginalMessage());
            }
            if (!root.isObject()) {
                throw ApiError.badRequest("the body must be a JSON object such as {\"target\": \"dx-ash-use1\", "
                        + "\"duration\": \"30s\"}");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isNull()) {
                    out.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
                }
            }
        }
        uri.getQueryParameters().forEach((k, v) -> out.put(k, v.get(v.size() - 1)));
        for (String k : out.keySet()) {
            if (!FIELDS.contains(k)) {
                throw ApiError.badRequest("unknown field '" + k + "'; expected one of " + FIELDS.stream().sorted().toList());
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
                throw ApiError.badRequest(s.wire() + " takes a " + s.target().param() + " ('" + s.target().param()
                        + "' or 'target'), not a " + kind.param());
            }
            target = v;
        }
        return new ScenarioRequest(target, f.containsKey("duration") ? duration(f.get("duration")) : null,
                integer(f, "flaps"), integer(f, "count"), integer(f, "ipv4"), integer(f, "ipv6"));
    }

    private static Integer integer(Map<String, String> f, String name) {
        String v = f.get(name);
        if (v == null) {
            return null;
        }
        try {
            return Integer.valueOf(v.trim());
        } catch (NumberFormatException e) {
            throw ApiError.badRequest(name + " must be a whole number, got '" + v + "'");
        }
    }

    /** {@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h}, {@code PT30S} or a number of seconds. */
    static Duration duration(String text) {
        String t = text.trim();
        try {
            if (t.matches("\\d+(\\.\\d+)?")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
            }
            var m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)").matcher(t);
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
            throw ApiError.badRequest("duration must look like 30s, 500ms, 2m, 1h, PT30S or a number of seconds, got '"
                    + text + "'");
        }
    }

    private static WebApplicationException conflict(String message) {
        return new WebApplicationException(message, Response.status(Response.Status.CONFLICT)
                .type(MediaType.APPLICATION_JSON).entity(new ApiError(409, "conflict", message)).build());
    }
}
