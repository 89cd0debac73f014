package io.meshwatch.auth;

import io.meshwatch.api.ApiError;
import io.meshwatch.api.EditAuthorisation;
import io.meshwatch.api.OpenEditAuthorisation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.SecurityContext;

/**
 * Configuration changes need the admin role when API keys are on (the request filter has already
 * refused others; this is the second check the resources ask for). With auth off it behaves as
 * {@link OpenEditAuthorisation}.
 */
@ApplicationScoped
public class RoleEditAuthorisation implements EditAuthorisation {

    private final ApiKeys keys;
    private final OpenEditAuthorisation open = new OpenEditAuthorisation();

    public RoleEditAuthorisation(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public String authorise(String action, SecurityContext security, String remoteAddress) {
        if (!keys.enabled()) {
            return open.authorise(action, security, remoteAddress);
        }
        if (security == null || security.getUserPrincipal() == null) {
            throw ApiError.unauthorised("send an admin API key to " + action);
        }
        if (!security.isUserInRole("admin")) {
            throw ApiError.forbidden("key '" + security.getUserPrincipal().getName() + "' may not " + action
                    + "; that needs the admin role");
        }
        return security.getUserPrincipal().getName();
    }
}
