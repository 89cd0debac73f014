package io.meshwatch.bmp;

/** Names of BGP NOTIFICATION codes and subcodes (RFC 4271 4.5, RFC 4486, RFC 8203), for reasons in words. */
final class Notifications {

    private static final String[] CODES = {null, "message header error", "OPEN message error",
        "UPDATE message error", "hold timer expired", "finite state machine error", "cease", "ROUTE-REFRESH error"};
    private static final String[] CEASE = {null, "maximum number of prefixes reached", "administrative shutdown",
        "peer de-configured", "administrative reset", "connection rejected", "other configuration change",
        "connection collision resolution", "out of resources", "hard reset", "BFD down"};

    private Notifications() {
    }

    /** {@code NOTIFICATION 6/2 (cease: administrative shutdown)}. */
    static String describe(int code, int subcode) {
        String name = code < CODES.length ? CODES[code] : null;
        String sub = code == 6 && subcode < CEASE.length ? CEASE[subcode] : null;
        StringBuilder sb = new StringBuilder("NOTIFICATION ").append(code).append('/').append(subcode);
        if (name != null) {
            sb.append(" (").append(name);
            if (sub != null) {
                sb.append(": ").append(sub);
            }
            sb.append(')');
        }
        return sb.toString();
    }
}
