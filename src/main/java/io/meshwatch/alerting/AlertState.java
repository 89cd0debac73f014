package io.meshwatch.alerting;

import java.util.Locale;

/** Where an alert is in its lifecycle: firing, acknowledged by a person, resolved. */
public enum AlertState {
    FIRING,
    ACKNOWLEDGED,
    RESOLVED;

    /** The lower-case name used in the database and the API. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@link #wire()}; throws {@link IllegalArgumentException} naming the allowed values. */
    public static AlertState fromWire(String s) {
        for (AlertState v : values()) {
            if (v.wire().equals(s)) {
                return v;
            }
        }
        throw new IllegalArgumentException("state must be firing, acknowledged or resolved, not '" + s + "'");
    }

    /** True while the condition is open (firing or acknowledged). */
    public boolean open() {
        return this != RESOLVED;
    }
}
