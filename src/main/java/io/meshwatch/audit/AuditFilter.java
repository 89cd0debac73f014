package io.meshwatch.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.cluster.Forwarder;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.SecurityContext;
import java.net.URI;
import java.time.Clock;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Records every change made through the API ({@code POST}, {@code PUT}, {@code PATCH},
 * {@code DELETE} under {@code /api/v1}) by a caller with a known key, refused ones included, into
 * the {@link AuditTrail}: who, when, from where, what (method, path, status and the answer's entity,
 * redacted by {@link Redaction}). A request forwarded here by another instance is recorded by the
 * one the client called (which saw the client), not twice. Runs after the answer is made, on its
 * thread; it only queues.
 */
public class AuditFilter {

    private static final Set<String> CHANGES = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final AuditTrail trail;
    private final ObjectMapper json;
    private final Clock clock;

    public AuditFilter(AuditTrail trail, ObjectMapper json, Clock clock) {
        this.trail = trail;
        this.json = json;
        this.clock = clock;
    }

    /** After the other answer filters (answers are filtered in descending priority): the answer is complete. */
    @ServerResponseFilter(priority = jakarta.ws.rs.Priorities.USER - 100)
    public void record(ContainerRequestContext request, ContainerResponseContext response, HttpServerRequest http) {
        if (!trail.enabled() || !CHANGES.contains(request.getMethod())) {
            return;
        }
        String path = "/" + request.getUriInfo().getPath().replaceFirst("^/+", "");
        if (!path.startsWith("/api/v1/") || request.getHeaderString(Forwarder.FORWARDED_BY) != null) {
            return;
        }
        SecurityContext sc = request.getSecurityContext();
        if (sc == null || sc.getUserPrincipal() == null) {
            return; // no known key: refused before anything was done (401), in the log and metrics instead
        }
        String role = sc.isUserInRole("admin") ? "admin" : sc.isUserInRole("responder") ? "responder"
                : sc.isUserInRole("viewer") ? "viewer" : null;
        URI uri = request.getUriInfo().getRequestUri();
        String pathAndQuery = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        String address = http == null || http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
        Object answered = response.getHeaders().getFirst(Forwarder.ANSWERED_BY);
        trail.record(new AuditEntry(null, clock.instant(), sc.getUserPrincipal().getName(), role, address,
                request.getHeaderString("X-Forwarded-For"), request.getMethod(), pathAndQuery, response.getStatus(),
                detail(response.getEntity()), answered == null ? null : answered.toString()));
    }

    private String detail(Object entity) {
        if (entity == null) {
            return null;
        }
        try {
            JsonNode tree = entity instanceof String s ? json.readTree(s) : json.valueToTree(entity);
            return Redaction.text(tree);
        } catch (Exception e) {
            return null; // not JSON (a file, a stream): the method, path and status say what it was
        }
    }
}
