package io.meshwatch.auth;

import io.meshwatch.api.ApiError;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every request under {@code /api/v1} needs {@code Authorization: Bearer <key>} of a configured key
 * whose role includes the one the request needs ({@link Role#required}): 401 without a known key,
 * 403 with a key whose role may not, both as an {@link ApiError}. The request's security context
 * then names the key, so changes are recorded under the key's name. Repeated failures from one
 * address are answered ever later ({@link FailedAuthentications}: after 5 in a row, 100 ms doubling
 * to 5 s), without holding a thread; counted in {@code meshwatch_auth_failures_total}.
 */
public class ApiKeyFilter {

    private final ApiKeys keys;
    private final FailedAuthentications failures;
    private final Counter failed;
    private final Counter delayed;

    public ApiKeyFilter(ApiKeys keys, Clock clock, MeterRegistry registry) {
        this.keys = keys;
        this.failures = new FailedAuthentications(clock);
        this.failed = Counter.builder("meshwatch_auth_failures").tag("delayed", "false")
                .description("API requests refused for a missing or unknown key").register(registry);
        this.delayed = Counter.builder("meshwatch_auth_failures").tag("delayed", "true")
                .description("API requests refused for a missing or unknown key").register(registry);
    }

    @ServerRequestFilter(preMatching = true)
    public Uni<Response> check(ContainerRequestContext request, HttpServerRequest http) {
        String path = "/" + request.getUriInfo().getPath().replaceFirst("^/+", "");
        if (!keys.enabled() || !(path.equals("/api/v1") || path.startsWith("/api/v1/"))) {
            return Uni.createFrom().nullItem();
        }
        String header = request.getHeaderString("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return refuse(http, ApiError.unauthorised("send an API key: Authorization: Bearer <key> (keys are "
                    + "configured under meshwatch.auth.keys.<name>.key and .role; see docs/alerts.md)"));
        }
        java.util.Optional<ApiKeys.Caller> known = keys.caller(header.substring(7).strip());
        if (known.isEmpty()) {
            return refuse(http, ApiError.unauthorised("the API key is not known; ask the operator for a key"));
        }
        ApiKeys.Caller caller = known.get();
        Role needed = Role.required(request.getMethod(), path);
        if (!caller.role().includes(needed)) {
            return Uni.createFrom().item(ApiError.forbidden("key '" + caller.name() + "' has role " + caller.role().wire() + "; "
                    + request.getMethod() + " " + path + " needs " + needed.wire()).getResponse());
        }
        boolean secure = "https".equals(request.getUriInfo().getRequestUri().getScheme());
        request.setSecurityContext(new SecurityContext() {
            @Override
            public Principal getUserPrincipal() {
                return caller::name;
            }

            @Override
            public boolean isUserInRole(String role) {
                try {
                    return caller.role().includes(Role.fromWire(role));
                } catch (IllegalArgumentException e) {
                    return false;
                }
            }

            @Override
            public boolean isSecure() {
                return secure;
            }

            @Override
            public String getAuthenticationScheme() {
                return "Bearer";
            }
        });
        return Uni.createFrom().nullItem();
    }

    /** A 401, answered after the address's delay (none for its first failures). */
    private Uni<Response> refuse(HttpServerRequest http, WebApplicationException e) {
        String address = http == null || http.remoteAddress() == null ? "unknown" : http.remoteAddress().hostAddress();
        Duration wait = failures.failed(address);
        if (wait.isZero()) {
            failed.increment();
            return Uni.createFrom().item(e.getResponse());
        }
        delayed.increment();
        return Uni.createFrom().item(e.getResponse()).onItem().delayIt().by(wait);
    }
}
