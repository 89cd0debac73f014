package io.meshwatch.routing;

/**
 * Test-scope hook for benchmarks: the bare trie lookup under a {@link RouteTable} (no locking, no
 * result), to compare the public API with. Only safe with no concurrent writer.
 */
public final class RawLookups {

    private final PrefixIndex v4;
    private final PrefixIndex v6;

    public RawLookups(RouteTable table, String vrf) {
        RibTable[] pair = table.ribsForProbe(vrf);
        this.v4 = pair[0].index;
        this.v6 = pair[1].index;
    }

    /** Prefix id of the longest IPv4 match, or -1. */
    public int ipv4(int address) {
        return v4.longestMatchIpv4(address);
    }

    /** Prefix id of the longest IPv6 match, or -1. */
    public int ipv6(long hi, long lo) {
        return v6.longestMatchIpv6(hi, lo);
    }
}
