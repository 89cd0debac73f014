package io.meshwatch.api;

import io.meshwatch.alerting.AlertLifecycle;
import io.meshwatch.alerting.AlertService;
import io.meshwatch.alerting.AlertState;
import io.meshwatch.alerting.AlertStore;
import io.meshwatch.api.AlertViews.AlertResponse;
import io.meshwatch.api.AlertViews.CommentRequest;
import io.meshwatch.api.AlertViews.PageResponse;
import io.meshwatch.inventory.Severity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Alerts as stored: list with filters, one with its history, acknowledge, resolve (docs/alerts.md). */
@Path("/api/v1/alerts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "alerts", description = "Alert lifecycle: firing, acknowledged, resolved")
public class AlertResource {

    private final AlertService service;
    private final AlertStore store;

    public AlertResource(AlertService service, AlertStore store) {
        this.service = service;
        this.store = store;
    }

    @GET
    @Operation(summary = "Alerts, newest change first; filters combine (state, severity, type, router, circuit, "
            + "since/until on the last change)")
    public Uni<PageResponse<AlertResponse>> list(@QueryParam("state") String state,
            @QueryParam("severity") String severity, @QueryParam("type") String type,
            @QueryParam("router") String router, @QueryParam("circuit") String circuit,
            @QueryParam("since") String since, @QueryParam("until") String until,
            @QueryParam("limit") @DefaultValue("50") int limit, @QueryParam("offset") @DefaultValue("0") int offset) {
        Callers.checkPage(limit, offset);
        AlertStore.Filter f = new AlertStore.Filter(state(state), severity(severity), blankToNull(type),
                blankToNull(router), blankToNull(circuit), Callers.instant("since", since), Callers.instant("until", until));
        return store.list(f, limit, offset).map(p -> new PageResponse<>(
                p.items().stream().map(a -> AlertResponse.of(a, null)).toList(), p.total(), limit, offset));
    }

    @GET
    @Path("/{fingerprint}")
    @Operation(summary = "One alert with every transition (who, why, when), oldest first")
    public Uni<AlertResponse> one(@PathParam("fingerprint") String fingerprint) {
        return store.find(fingerprint).chain(a -> {
            if (a.isEmpty()) {
                return Uni.createFrom().failure(ApiError.notFound(new AlertService.UnknownAlert(fingerprint).getMessage()));
            }
            return service.history(fingerprint).map(t -> AlertResponse.of(a.get(), t));
        });
    }

    @POST
    @Path("/{fingerprint}/acknowledge")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Acknowledge a firing alert (responder); the comment is recorded with your key's name")
    public Uni<AlertResponse> acknowledge(@PathParam("fingerprint") String fingerprint, CommentRequest body,
                                          @Context SecurityContext security) {
        return answer(fingerprint, service.acknowledge(fingerprint, Callers.name(security), comment(body)));
    }

    @POST
    @Path("/{fingerprint}/resolve")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Resolve an open alert by hand (responder); receivers are told unless it is silenced or inhibited")
    public Uni<AlertResponse> resolve(@PathParam("fingerprint") String fingerprint, CommentRequest body,
                                      @Context SecurityContext security) {
        return answer(fingerprint, service.resolve(fingerprint, Callers.name(security), comment(body)));
    }

    private Uni<AlertResponse> answer(String fingerprint, Uni<io.meshwatch.alerting.Alert> change) {
        return change.onFailure(AlertService.UnknownAlert.class).transform(e -> ApiError.notFound(e.getMessage()))
                .onFailure(AlertLifecycle.Refused.class).transform(e -> ApiError.conflict(e.getMessage()))
                .chain(a -> service.history(fingerprint).map(t -> AlertResponse.of(a, t)));
    }

    private static String comment(CommentRequest body) {
        return body == null || body.comment() == null ? null : body.comment().strip();
    }

    private static AlertState state(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return AlertState.fromWire(s.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
    }

    private static Severity severity(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Severity.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("severity must be critical, major, minor, warning or info, not '" + s + "'");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

}
