package io.meshwatch.api;

import jakarta.ws.rs.core.SecurityContext;

/**
 * The one question every API endpoint that changes the service's configuration asks before it does
 * (today {@code PUT /api/v1/inventory}): may this caller do it, and under which name is the change
 * recorded. The default, {@link OpenEditAuthorisation}, lets every caller through; when roles
 * arrive, a bean implementing this interface (admin only) replaces it without a change to the
 * resources.
 */
public interface EditAuthorisation {

    /**
     * Decides whether the caller may perform {@code action}.
     *
     * @param action        what the caller wants, in words ({@code replace the inventory})
     * @param security      the request's security context (its principal and roles)
     * @param remoteAddress the caller's address as the server sees it
     * @return the name to record as the author of the change
     * @throws jakarta.ws.rs.WebApplicationException with a 401 or 403 {@link ApiError} to refuse
     */
    String authorise(String action, SecurityContext security, String remoteAddress);
}
