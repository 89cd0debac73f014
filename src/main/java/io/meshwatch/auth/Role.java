package io.meshwatch.auth;

import java.util.Locale;

/** What an API key may do; each role includes the ones before it. */
public enum Role {
    /** Read everything. */
    VIEWER,
    /** Also acknowledge and resolve alerts, create and expire silences. */
    RESPONDER,
    /** Also replace the inventory, use the receivers API and start simulator scenarios. */
    ADMIN;

    public boolean includes(Role other) {
        return ordinal() >= other.ordinal();
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@link #wire()}; throws {@link IllegalArgumentException} naming the allowed values. */
    public static Role fromWire(String s) {
        for (Role r : values()) {
            if (r.wire().equals(s == null ? null : s.strip().toLowerCase(Locale.ROOT))) {
                return r;
            }
        }
        throw new IllegalArgumentException("role must be viewer, responder or admin, not '" + s + "'");
    }

    /**
     * The role a request needs: {@code GET} (and {@code HEAD}, {@code OPTIONS}) viewer, except the
     * receivers API and the audit trail (admin); changes to the inventory, receivers and the simulator admin; other
     * changes responder.
     */
    public static Role required(String method, String path) {
        boolean read = "GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method);
        if (path.startsWith("/api/v1/receivers") || path.startsWith("/api/v1/audit")) {
            return ADMIN;
        }
        if (read) {
            return VIEWER;
        }
        return path.startsWith("/api/v1/inventory") || path.startsWith("/api/v1/sim") ? ADMIN : RESPONDER;
    }
}
