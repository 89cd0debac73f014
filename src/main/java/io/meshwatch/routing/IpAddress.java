package io.meshwatch.routing;

/**
 * An IPv4 or IPv6 address held as two longs in the same layout as {@link Prefix}: IPv4 in the low
 * 32 bits of {@code lo} with {@code hi} zero. Immutable; ordered IPv4 first, then unsigned by value.
 */
public record IpAddress(Afi afi, long hi, long lo) implements Comparable<IpAddress> {

    /** Creates an address; requires a non-null family and, for IPv4, a value that fits 32 bits. */
    public IpAddress {
        Prefix.require(afi, "afi");
        if (afi == Afi.IPV4 && (hi != 0 || (lo >>> 32) != 0)) {
            throw new IllegalArgumentException("IPv4 address must fit in 32 bits");
        }
    }

    /** An IPv4 address from its int value. */
    public static IpAddress ipv4(int address) {
        return new IpAddress(Afi.IPV4, 0, address & 0xFFFF_FFFFL);
    }

    /** An IPv6 address from its two halves. */
    public static IpAddress ipv6(long hi, long lo) {
        return new IpAddress(Afi.IPV6, hi, lo);
    }

    /** Parses dotted-quad or RFC 4291 IPv6 text; throws IllegalArgumentException on bad text. */
    public static IpAddress parse(String text) {
        Prefix.require(text, "address");
        if (text.indexOf(':') >= 0) {
            long[] a = Addresses.parseIpv6(text);
            return ipv6(a[0], a[1]);
        }
        return ipv4(Addresses.parseIpv4(text));
    }

    /** The IPv4 value as an int; only meaningful for IPv4. */
    public int ipv4Value() {
        return (int) lo;
    }

    @Override
    public int compareTo(IpAddress o) {
        int c = afi.compareTo(o.afi);
        if (c != 0) {
            return c;
        }
        c = Long.compareUnsigned(hi, o.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
    }

    /** Canonical text: dotted quad or RFC 5952. */
    @Override
    public String toString() {
        return afi == Afi.IPV4 ? Addresses.formatIpv4((int) lo) : Addresses.formatIpv6(hi, lo);
    }
}
