package io.meshwatch.auth;

import io.meshwatch.api.Callers;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/v1/me}: who the API key is and what its role may do, so a client (the console)
 * shows only the actions the key may take. Viewer role, like every read; it grants nothing: the
 * request filter still checks the role of every change.
 */
@Path("/api/v1/me")
@Tag(name = "auth", description = "The caller's API key and role")
public class CallerResource {

    /**
     * The caller.
     *
     * @param name the key's name ({@code anonymous} with auth off)
     * @param role {@code viewer}, {@code responder} or {@code admin} ({@code admin} with auth off: nothing is checked)
     * @param may  the kinds of change the role allows: {@code acknowledge}, {@code resolve}, {@code silence}
     *             (responder), {@code inventory}, {@code receivers}, {@code simulate} (admin)
     */
    public record CallerView(String name, String role, List<String> may) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The caller's key name, role and the kinds of change it may make")
    public CallerView me(@Context SecurityContext security) {
        Role role = role(security);
        List<String> may = switch (role) {
            case VIEWER -> List.of();
            case RESPONDER -> List.of("acknowledge", "resolve", "silence");
            case ADMIN -> List.of("acknowledge", "resolve", "silence", "inventory", "receivers", "simulate");
        };
        return new CallerView(Callers.name(security), role.wire(), may);
    }

    private static Role role(SecurityContext security) {
        if (security == null || security.getUserPrincipal() == null) {
            return Role.ADMIN; // auth off: the filter lets everything through
        }
        for (Role r : List.of(Role.ADMIN, Role.RESPONDER)) {
            if (security.isUserInRole(r.wire())) {
                return r;
            }
        }
        return Role.VIEWER;
    }
}
