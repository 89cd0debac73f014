package io.meshwatch.event;

import java.util.Locale;

/** BGP finite-state-machine states (RFC 4271 section 8). */
public enum BgpState {
    IDLE, CONNECT, ACTIVE, OPENSENT, OPENCONFIRM, ESTABLISHED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name, or returns null when it is not a BGP state. */
    public static BgpState fromWire(String s) {
        for (BgpState st : values()) {
            if (st.wire().equals(s)) {
                return st;
            }
        }
        return null;
    }
}
