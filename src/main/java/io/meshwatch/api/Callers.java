package io.meshwatch.api;

import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;

/** Who a request is from, for the history: the API key's name, or {@code anonymous} when auth is off. */
public final class Callers {

    private Callers() {
    }

    public static String name(SecurityContext security) {
        Principal p = security == null ? null : security.getUserPrincipal();
        return p != null && p.getName() != null && !p.getName().isBlank() ? p.getName() : "anonymous";
    }

    static void checkPage(int limit, int offset) {
        if (limit < 1 || limit > 500) {
            throw ApiError.badRequest("limit must be from 1 to 500, not " + limit);
        }
        if (offset < 0) {
            throw ApiError.badRequest("offset must be 0 or more, not " + offset);
        }
    }

    static java.time.Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return java.time.Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiError.badRequest(name + " must be an ISO-8601 instant such as 2026-11-26T10:00:00Z, not '" + value + "'");
        }
    }
}
