package io.meshwatch.bmp;

import java.util.Locale;

/**
 * Real-router behaviours the mapper corrects or tolerates; the label of
 * {@code meshwatch_bmp_quirks_total{quirk}}. {@code docs/inputs.md} describes each.
 */
public enum BmpQuirk {
    /** A per-peer timestamp of zero ("unavailable"; FRR's End-of-RIB): arrival time used. */
    ZERO_TIMESTAMP,
    /** A per-peer timestamp further from the arrival time than the allowed skew: arrival time used. */
    CLOCK_SKEW,
    /** FRR stamps Peer Up / Peer Down with its boot time or the previous drop: arrival time used. */
    FRR_PEER_TIME,
    /**
     * FRR stamps Route Monitoring with the path's uptime in whole monotonic seconds (the receive time
     * truncated, up to 1 s early): arrival time used.
     */
    FRR_ROUTE_TIME,
    /**
     * Peer Down reason 2 with FSM event 0 (FRR 8.4 for every local close: hold-timer expiry, clear,
     * shutdown): reported with cause {@code local_close}, the reason not given.
     */
    LOCAL_CLOSE_WITHOUT_REASON,
    /**
     * Peer Up whose OPEN is a bare header without a body (FRR's "dummy" OPEN when it lost the real one,
     * e.g. after a connection collision): the session is up, its AS and hold time unknown.
     */
    EMPTY_OPEN,
    /** A pre-policy withdrawal for a peer that announced nothing pre-policy (FRR without soft-reconfiguration): dropped. */
    PRE_POLICY_WITHDRAW_WITHOUT_ANNOUNCE,
    /** An AS path that starts with the monitored router's own AS (FRR): that AS is removed. */
    OWN_AS_PREPENDED,
    /** Peer Down for a peer without Peer Up on this connection (FRR at start): reported as not established. */
    PEER_DOWN_WITHOUT_PEER_UP,
    /** Routes from the pseudo-peer 0.0.0.0 / :: with AS 0 (FRR's own networks): given the router's AS. */
    PSEUDO_PEER_ROUTES,
    /** Loc-RIB route monitoring without a Loc-RIB Peer Up (GoBGP). */
    LOC_RIB_WITHOUT_PEER_UP,
    /** The Initiation's sysName names the software, not the router (GoBGP: "GoBGP"): the address is used. */
    GENERIC_SYS_NAME,
    /** A message before the Initiation message. */
    NO_INITIATION,
    /** The connection ended without a Termination message (FRR, GoBGP). */
    NO_TERMINATION;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
