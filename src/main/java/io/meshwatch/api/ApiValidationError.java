package io.meshwatch.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * The error body of a refused document: an {@link ApiError} with every problem found, each one line
 * that starts with where it is ({@code circuits[1].a.router: unknown router 'cx-x'}).
 *
 * @param status   400 (not YAML or JSON at all) or 422 (well formed, not a valid inventory)
 * @param error    {@code bad_request} or {@code invalid_inventory}
 * @param message  a summary; nothing was changed
 * @param problems every problem, in document order
 */
public record ApiValidationError(int status, String error, String message, List<String> problems) {

    /** 400: the body does not parse; its one problem says where. */
    public static WebApplicationException malformed(List<String> problems) {
        return of(400, "bad_request",
                "the body is not a YAML or JSON document; nothing was changed", problems);
    }

    /** 422: the body parses but is not a valid inventory. */
    public static WebApplicationException invalid(List<String> problems) {
        int n = problems.size();
        return of(422, "invalid_inventory", "the inventory has " + n
                + (n == 1 ? " problem" : " problems") + "; nothing was changed (format: docs/inventory.md)", problems);
    }

    private static WebApplicationException of(int status, String error, String message, List<String> problems) {
        // 422 has no Response.Status constant
        return new WebApplicationException(message, Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(new ApiValidationError(status, error, message, List.copyOf(problems))).build());
    }
}
