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
import io.meshwatch.alerting.IncidentStore;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
    private final IncidentStore store;

    public IncidentResource(DetectionService detection, DetectionOutput output, IncidentStore store) {
        this.detection = detection;
        this.output = output;
        this.store = store;
    }

    @GET
    @Path("/incidents")
    @Operation(summary = "Incidents: the running engine's (open ones oldest first, then recently resolved ones newest "
            + "first), then (status resolved or all) the stored history the engine no longer holds (older, or from "
            + "before a restart), newest first; paged over the whole list")
    public Uni<List<IncidentResponse>> incidents(@QueryParam("status") @DefaultValue("all") String status,
            @QueryParam("limit") @DefaultValue("100") int limit, @QueryParam("offset") @DefaultValue("0") int offset) {
        Predicate<Incident> keep = switch (status) {
            case "open" -> Incident::isOpen;
            case "resolved" -> i -> !i.isOpen() && i.mergedInto() == null;
            case "all" -> i -> i.mergedInto() == null;
            default -> throw ApiError.badRequest("status must be open, resolved or all, not '" + status + "'");
        };
        Callers.checkPage(limit, offset);
        List<Incident> engine = detection.read(e -> e.incidents());
        List<IncidentResponse> live = engine.stream().filter(keep).map(IncidentResponse::of).toList();
        List<IncidentResponse> page = new ArrayList<>(live.subList(Math.min(offset, live.size()),
                Math.min(offset + limit, live.size())));
        if (page.size() == limit || status.equals("open")) {
            // open means what the running engine holds; an incident open when a previous process
            // stopped is listed under all (source stored, its last stored status)
            return Uni.createFrom().item(page);
        }
        Set<String> known = new HashSet<>();
        engine.forEach(i -> known.add(i.id()));
        return store.page(status, known, limit - page.size(), Math.max(0, offset - live.size()))
                .chain(stored -> withMembers(stored).map(more -> {
                    page.addAll(more);
                    return page;
                }));
    }

    @GET
    @Path("/incidents/{id}")
    @Operation(summary = "One incident with its root cause, children, impact and timeline (live, else stored)")
    public Uni<IncidentResponse> incident(@PathParam("id") String id) {
        Optional<IncidentResponse> live = detection.read(e -> e.incident(id)).map(IncidentResponse::of);
        if (live.isPresent()) {
            return Uni.createFrom().item(live.get());
        }
        return store.find(id).chain(found -> found.isEmpty() ? Uni.createFrom().failure(unknown(id))
                : withMembers(List.of(found.get())).map(l -> l.get(0)));
    }

    @GET
    @Path("/incidents/{id}/alerts")
    @Operation(summary = "The alerts of an incident as stored (root first, then children), with their state")
    public Uni<List<IncidentAlert>> alerts(@PathParam("id") String id) {
        return store.members(List.of(id)).chain(members -> {
            if (!members.isEmpty()) {
                return Uni.createFrom().item(members.stream()
                        .map(m -> new IncidentAlert(m.role(), AlertViews.AlertResponse.of(m.alert(), null))).toList());
            }
            boolean live = detection.read(e -> e.incident(id)).isPresent();
            return live ? Uni.createFrom().item(List.<IncidentAlert>of())
                    : store.find(id).map(f -> {
                        if (f.isEmpty()) {
                            throw unknown(id);
                        }
                        return List.<IncidentAlert>of();
                    });
        });
    }

    /** An alert of an incident, with its role ({@code root} or {@code child}). */
    public record IncidentAlert(String role, AlertViews.AlertResponse alert) {
    }

    private Uni<List<IncidentResponse>> withMembers(List<IncidentStore.Stored> stored) {
        if (stored.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return store.members(stored.stream().map(IncidentStore.Stored::id).toList())
                .map(members -> stored.stream().map(i -> IncidentResponse.of(i, members)).toList());
    }

    private static RuntimeException unknown(String id) {
        return ApiError.notFound("incident '" + id + "' is not known; GET /api/v1/incidents lists them");
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
