package io.meshwatch.network;

/** Identity of a BGP session: the router, the VRF and the neighbour's address. */
public record SessionKey(String router, String vrf, String peer) {
}
