package io.meshwatch.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The error body of every 4xx and 5xx answer of the API.
 *
 * @param status  HTTP status code
 * @param error   short class of the problem ({@code not_found}, {@code bad_request}, ...)
 * @param message what is wrong, in words an on-call engineer can act on
 */
public record ApiError(int status, String error, String message) {

    public static WebApplicationException notFound(String message) {
        return of(Response.Status.NOT_FOUND, "not_found", message);
    }

    /** 404 for a router Meshwatch has no sessions or routes of, with the way to list known ones. */
    public static WebApplicationException unknownRouter(String router) {
        return notFound("router '" + router + "' is not known; GET /api/v1/routers lists the routers "
                + "Meshwatch has heard from");
    }

    public static WebApplicationException badRequest(String message) {
        return of(Response.Status.BAD_REQUEST, "bad_request", message);
    }

    /** 409: the request is valid but the thing's state does not allow it; the message says why. */
    public static WebApplicationException conflict(String message) {
        return of(Response.Status.CONFLICT, "conflict", message);
    }

    /** 401: no API key, or one that is not configured. */
    public static WebApplicationException unauthorised(String message) {
        return of(Response.Status.UNAUTHORIZED, "unauthorized", message);
    }

    /** 403: a known key whose role may not do this. */
    public static WebApplicationException forbidden(String message) {
        return of(Response.Status.FORBIDDEN, "forbidden", message);
    }

    /**
     * 503 with {@code Retry-After}: the call cannot be answered now (its owner is moving or being
     * replaced), and may be retried after that many seconds.
     */
    public static Response unavailable(String message, int retryAfterSeconds) {
        return Response.status(Response.Status.SERVICE_UNAVAILABLE).type(MediaType.APPLICATION_JSON)
                .header("Retry-After", Integer.toString(retryAfterSeconds))
                .entity(new ApiError(Response.Status.SERVICE_UNAVAILABLE.getStatusCode(), "unavailable", message))
                .build();
    }

    public static WebApplicationException of(Response.Status status, String error, String message) {
        return new WebApplicationException(message, Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(status.getStatusCode(), error, message)).build());
    }
}
