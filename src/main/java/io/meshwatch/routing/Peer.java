package io.meshwatch.routing;

/**
 * A BGP peer as seen from one router, as in the BMP per-peer header: VRF or route distinguisher
 * ({@code ""} for the default/global table), peer address, peer AS (unsigned 32-bit in an int) and
 * peer BGP identifier (IPv4 router id as an int). All four fields make up the identity; a peer that
 * comes back with another AS or router id is a different session.
 */
public record Peer(String vrf, IpAddress address, int peerAs, int bgpId) {

    /** Validates that vrf and address are present. */
    public Peer {
        Prefix.require(vrf, "vrf");
        Prefix.require(address, "address");
    }

    /** True when this is an iBGP session of a router in {@code localAs}. */
    public boolean isIbgp(int localAs) {
        return peerAs == localAs;
    }

    @Override
    public String toString() {
        return (vrf.isEmpty() ? "" : vrf + "/") + address + " AS" + Integer.toUnsignedString(peerAs)
                + " id " + Addresses.formatIpv4(bgpId);
    }
}
