package io.meshwatch.event;

import java.util.Locale;

/**
 * Why an established BGP session closed, as far as the source can tell ({@code cause} of
 * {@code bgp.peer_state}). Detection uses it to date the failure that closed the session: a
 * session closed by its hold timer lost its path up to one hold time before it closed.
 */
public enum DownCause {
    /** The router's hold timer expired: nothing arrived from the peer for the hold time. */
    HOLD_TIMER_EXPIRED,
    /** BFD declared the neighbour down (NOTIFICATION cease/BFD down, RFC 9384). */
    BFD_DOWN,
    /** The peer sent a NOTIFICATION (other than the ones above). */
    NOTIFICATION_RECEIVED,
    /** The router sent a NOTIFICATION (other than the ones above). */
    NOTIFICATION_SENT,
    /** The TCP connection closed or reset without a NOTIFICATION. */
    CONNECTION_CLOSED,
    /** Administratively shut down, reset or de-configured. */
    ADMINISTRATIVE,
    /**
     * The router closed the session and did not say why (FRR 8.4's BMP Peer Down for a hold-timer
     * expiry, a clear and a shutdown alike): the failure may lie up to one hold time before the close.
     */
    LOCAL_CLOSE,
    /**
     * Not a close: the router reports a session that has not come up since it (re)joined the collector
     * (BMP Peer Down without a Peer Up on the connection, FRR's sessions still connecting). Detection
     * takes such a session as coming up, not down, for up to its convergence period.
     */
    COMING_UP,
    /** Anything else the source names. */
    OTHER;

    /** The wire token, e.g. {@code hold_timer_expired}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The cause for a wire token, or null when the token is unknown. */
    public static DownCause fromWire(String token) {
        for (DownCause c : values()) {
            if (c.wire().equals(token)) {
                return c;
            }
        }
        return null;
    }

    /**
     * The cause a BGP NOTIFICATION code and subcode give (RFC 4271 4.5, RFC 4486, RFC 9384):
     * 4 is the hold timer, cease/10 is BFD, cease/2, 3 and 4 are administrative.
     */
    public static DownCause ofNotification(int code, int subcode, boolean sentByRouter) {
        if (code == 4) {
            return HOLD_TIMER_EXPIRED;
        }
        if (code == 6 && subcode == 10) {
            return BFD_DOWN;
        }
        if (code == 6 && (subcode == 2 || subcode == 3 || subcode == 4)) {
            return ADMINISTRATIVE;
        }
        return sentByRouter ? NOTIFICATION_SENT : NOTIFICATION_RECEIVED;
    }
}
