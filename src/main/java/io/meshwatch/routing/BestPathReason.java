package io.meshwatch.routing;

/**
 * Why a path is the best one: the decision step (RFC 4271 section 9.1.2.2, in order) that
 * eliminated the last competitor, or how the best path was obtained.
 */
public enum BestPathReason {
    /** There was only one path. */
    ONLY_PATH,
    /** Highest LOCAL_PREF (100 when absent). */
    LOCAL_PREF,
    /** Shortest AS path; an AS_SET counts as one. */
    AS_PATH_LENGTH,
    /** Lowest ORIGIN (IGP &lt; EGP &lt; INCOMPLETE). */
    ORIGIN,
    /** Lowest MED among paths from the same neighbouring AS. */
    MED,
    /** eBGP-learned over iBGP-learned. */
    EBGP_OVER_IBGP,
    /** Lowest ORIGINATOR_ID, or peer BGP identifier when absent. */
    ROUTER_ID,
    /** Shortest CLUSTER_LIST. */
    CLUSTER_LIST_LENGTH,
    /** Lowest peer address. */
    PEER_ADDRESS,
    /** Lowest ADD-PATH path id: the final deterministic tiebreak. */
    PATH_ID,
    /** Not computed: this is the router's own reported Loc-RIB best path. */
    ROUTER_REPORTED,
    /** No path is left for the prefix (used in withdraw deltas). */
    NO_PATH
}
