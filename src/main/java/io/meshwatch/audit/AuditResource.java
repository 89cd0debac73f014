package io.meshwatch.audit;

import io.meshwatch.api.ApiError;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code GET /api/v1/audit}: the changes made through the API (admins only, see {@code auth.Role}). */
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "audit", description = "Who changed what through the API")
public class AuditResource {

    static final int MAX_LIMIT = 1000;

    private final AuditTrail trail;
    private final Clock clock;

    public AuditResource(AuditTrail trail, Clock clock) {
        this.trail = trail;
        this.clock = clock;
    }

    @GET
    @Operation(summary = "Changes made through the API, newest first: who (key and role), when, from where (address "
            + "and X-Forwarded-For as sent), what (method, path, status, the answer with secrets redacted)")
    public Uni<List<AuditEntry>> audit(@QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("actor") String actor, @QueryParam("limit") @DefaultValue("100") int limit,
            @QueryParam("offset") @DefaultValue("0") int offset) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiError.badRequest("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        if (offset < 0) {
            throw ApiError.badRequest("offset must not be negative, got " + offset);
        }
        Instant end = to == null || to.isBlank() ? clock.instant() : instant("to", to);
        Instant start = from == null || from.isBlank() ? end.minus(Duration.ofDays(7)) : instant("from", from);
        if (start.isAfter(end)) {
            throw ApiError.badRequest("from " + start + " is after to " + end);
        }
        return trail.page(start, end, actor == null || actor.isBlank() ? null : actor, limit, offset);
    }

    private static Instant instant(String name, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiError.badRequest(name + " must be an RFC 3339 time such as 2026-12-07T03:12:00Z, got '" + value
                    + "'");
        }
    }
}
