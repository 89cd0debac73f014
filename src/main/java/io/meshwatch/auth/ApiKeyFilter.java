package io.meshwatch.auth;

import io.meshwatch.api.ApiError;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every request under {@code /api/v1} needs {@code Authorization: Bearer <key>} of a configured key
 * whose role includes the one the request needs ({@link Role#required}): 401 without a known key,
 * 403 with a key whose role may not, both as an {@link ApiError}. The request's security context
 * then names the key, so changes are recorded under the key's name.
 */
public class ApiKeyFilter {

    private final ApiKeys keys;

    public ApiKeyFilter(ApiKeys keys) {
        this.keys = keys;
    }

    @ServerRequestFilter(preMatching = true)
    public void check(ContainerRequestContext request) {
        String path = "/" + request.getUriInfo().getPath().replaceFirst("^/+", "");
        if (!keys.enabled() || !(path.equals("/api/v1") || path.startsWith("/api/v1/"))) {
            return;
        }
        String header = request.getHeaderString("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiError.unauthorised("send an API key: Authorization: Bearer <key> (keys are configured under "
                    + "meshwatch.auth.keys.<name>.key and .role; see docs/alerts.md)");
        }
        ApiKeys.Caller caller = keys.caller(header.substring(7).strip()).orElseThrow(() ->
                ApiError.unauthorised("the API key is not known; ask the operator for a key"));
        Role needed = Role.required(request.getMethod(), path);
        if (!caller.role().includes(needed)) {
            throw ApiError.forbidden("key '" + caller.name() + "' has role " + caller.role().wire() + "; "
                    + request.getMethod() + " " + path + " needs " + needed.wire());
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
    }
}
