package io.meshwatch.api;

import io.meshwatch.alerting.Matcher;
import io.meshwatch.alerting.Silence;
import io.meshwatch.alerting.SilenceStore;
import io.meshwatch.api.AlertViews.PageResponse;
import io.meshwatch.api.AlertViews.SilenceRequest;
import io.meshwatch.api.AlertViews.SilenceResponse;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Silences: alerts matching every matcher of an active silence are recorded but not notified.
 * Deleting a silence expires it (its end becomes now); it stays listed as expired.
 */
@Path("/api/v1/silences")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "silences", description = "Mute notifications of matching alerts for a while")
public class SilenceResource {

    private final SilenceStore store;
    private final Clock clock;

    public SilenceResource(SilenceStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a silence (responder): matchers (=, !=, =~, !~ as Alertmanager's isEqual/isRegex), "
            + "startsAt (default now), endsAt, comment")
    public Uni<Response> create(SilenceRequest body, @Context SecurityContext security) {
        if (body == null) {
            throw ApiError.badRequest("send a JSON silence: {\"matchers\":[...],\"endsAt\":\"...\",\"comment\":\"...\"}");
        }
        Instant now = clock.instant();
        Instant starts = body.startsAt() == null ? now : body.startsAt();
        List<Matcher> matchers = new ArrayList<>();
        try {
            if (body.matchers() != null) {
                for (AlertViews.MatcherBody m : body.matchers()) {
                    if (m == null) {
                        throw new IllegalArgumentException("a matcher is null");
                    }
                    matchers.add(m.toMatcher());
                }
            }
            Silence.check(matchers, starts, body.endsAt(), body.comment(), now);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
        Silence s = new Silence(UUID.randomUUID().toString(), List.copyOf(matchers), starts, body.endsAt(),
                Callers.name(security), body.comment().strip(), now, null);
        return store.insert(s).map(saved -> Response.status(Response.Status.CREATED)
                .entity(SilenceResponse.of(saved, now)).build());
    }

    @GET
    @Operation(summary = "Silences, latest end first; state active, pending, expired or all (default)")
    public Uni<PageResponse<SilenceResponse>> list(@QueryParam("state") @DefaultValue("all") String state,
            @QueryParam("limit") @DefaultValue("50") int limit, @QueryParam("offset") @DefaultValue("0") int offset) {
        Callers.checkPage(limit, offset);
        if (!List.of("active", "pending", "expired", "all").contains(state)) {
            throw ApiError.badRequest("state must be active, pending, expired or all, not '" + state + "'");
        }
        Instant now = clock.instant();
        return store.list(state, now, limit, offset).map(p -> new PageResponse<>(
                p.items().stream().map(s -> SilenceResponse.of(s, now)).toList(), p.total(), limit, offset));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One silence")
    public Uni<SilenceResponse> one(@PathParam("id") String id) {
        Instant now = clock.instant();
        return store.find(uuid(id)).map(s -> SilenceResponse.of(s.orElseThrow(() -> unknown(id)), now));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Expire a silence now (responder); an expired one stays listed")
    public Uni<SilenceResponse> expire(@PathParam("id") String id, @Context SecurityContext security) {
        Instant now = clock.instant();
        return store.expire(uuid(id), Callers.name(security), now)
                .map(s -> SilenceResponse.of(s.orElseThrow(() -> unknown(id)), now));
    }

    private static String uuid(String id) {
        try {
            return UUID.fromString(id).toString();
        } catch (IllegalArgumentException e) {
            throw unknown(id);
        }
    }

    private static RuntimeException unknown(String id) {
        return ApiError.notFound("silence '" + id + "' is not known; GET /api/v1/silences lists them");
    }
}
