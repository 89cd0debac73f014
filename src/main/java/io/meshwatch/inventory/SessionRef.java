package io.meshwatch.inventory;

/**
 * A BGP session as seen from one router: the same identity as {@code bgp.peer_state} events use.
 *
 * @param router the router that reports the session
 * @param vrf    VRF name; {@code default} for the global table
 * @param peer   the neighbour's address in canonical text
 */
public record SessionRef(String router, String vrf, String peer) {

    public static final String DEFAULT_VRF = "default";
}
