package io.meshwatch.routing;

/** Address family of a prefix or address. Only unicast IPv4 and IPv6 are modelled. */
public enum Afi {
    IPV4(32, "ipv4"),
    IPV6(128, "ipv6");

    private final int bits;
    private final String wireName;

    Afi(int bits, String wireName) {
        this.bits = bits;
        this.wireName = wireName;
    }

    /** Width of an address of this family in bits. */
    public int bits() {
        return bits;
    }

    /** Name used in canonical events and the API: {@code ipv4} or {@code ipv6}. */
    public String wireName() {
        return wireName;
    }

    /** Parses {@code ipv4} or {@code ipv6}, case-insensitively. */
    public static Afi fromWire(String name) {
        if ("ipv4".equalsIgnoreCase(name)) {
            return IPV4;
        }
        if ("ipv6".equalsIgnoreCase(name)) {
            return IPV6;
        }
        throw new IllegalArgumentException("unknown address family '" + name + "' (expected ipv4 or ipv6)");
    }
}
