package io.meshwatch.api;

import io.meshwatch.api.DetectionViews.IncidentResponse;
import io.meshwatch.api.DetectionViews.SignalResponse;
import io.meshwatch.detect.Incident;
import io.meshwatch.detect.runtime.DetectionOutput;
import io.meshwatch.detect.runtime.DetectionService;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.function.Predicate;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Incidents (correlated signals with a root cause) and the signals detection raises. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "incidents", description = "Incidents and detection signals")
public class IncidentResource {

    private final DetectionService detection;
    private final DetectionOutput output;

    public IncidentResource(DetectionService detection, DetectionOutput output) {
        this.detection = detection;
        this.output = output;
    }

    @GET
    @Path("/incidents")
    @Operation(summary = "Incidents: open ones oldest first, then recently resolved ones newest first")
    public List<IncidentResponse> incidents(@QueryParam("status") @DefaultValue("all") String status) {
        Predicate<Incident> keep = switch (status) {
            case "open" -> Incident::isOpen;
            case "resolved" -> i -> !i.isOpen() && i.mergedInto() == null;
            case "all" -> i -> i.mergedInto() == null;
            default -> throw ApiError.badRequest("status must be open, resolved or all, not '" + status + "'");
        };
        return detection.read(e -> e.incidents()).stream().filter(keep).map(IncidentResponse::of).toList();
    }

    @GET
    @Path("/incidents/{id}")
    @Operation(summary = "One incident with its root cause, children, impact and timeline")
    public IncidentResponse incident(@PathParam("id") String id) {
        return detection.read(e -> e.incident(id)).map(IncidentResponse::of)
                .orElseThrow(() -> ApiError.notFound("incident '" + id + "' is not known (resolved incidents are "
                        + "kept for a while only); GET /api/v1/incidents lists them"));
    }

    @GET
    @Path("/signals")
    @Operation(summary = "Signals firing now (status=firing, default) or the latest transitions (status=recent)")
    public List<SignalResponse> signals(@QueryParam("status") @DefaultValue("firing") String status,
                                        @QueryParam("limit") @DefaultValue("100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw ApiError.badRequest("limit must be from 1 to 1000, not " + limit);
        }
        return switch (status) {
            case "firing" -> detection.read(e -> e.firing()).stream().limit(limit).map(SignalResponse::of).toList();
            case "recent" -> output.recent(limit).stream().map(SignalResponse::of).toList();
            default -> throw ApiError.badRequest("status must be firing or recent, not '" + status + "'");
        };
    }
}
