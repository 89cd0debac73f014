package io.meshwatch.api;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;

/**
 * Until the service has roles: every caller may edit; the change is recorded under the
 * authenticated principal's name when there is one, else as {@code anonymous from <address>}.
 * Restrict who reaches write endpoints at the network (ingress, network policy) meanwhile.
 */
@DefaultBean
@ApplicationScoped
public class OpenEditAuthorisation implements EditAuthorisation {

    @Override
    public String authorise(String action, SecurityContext security, String remoteAddress) {
        Principal p = security == null ? null : security.getUserPrincipal();
        return p != null && p.getName() != null && !p.getName().isBlank() ? p.getName()
                : "anonymous from " + (remoteAddress == null ? "an unknown address" : remoteAddress);
    }
}
