package io.meshwatch.routing;

import java.util.Objects;

/**
 * An IPv4 or IPv6 prefix, stored as two longs so that it costs no more than an object header and
 * 24 bytes and compares without allocation.
 *
 * <p>IPv4 addresses live in the low 32 bits of {@link #lo()} with {@link #hi()} zero; IPv6
 * addresses use {@code hi} for the first and {@code lo} for the last 64 bits. Host bits beyond the
 * length are always zero: {@link #parse(String)} refuses a prefix with host bits set, because a
 * router never announces one and accepting it would hide a producer bug.
 *
 * <p>Immutable and thread-safe.
 */
public final class Prefix implements Comparable<Prefix> {

    private final Afi afi;
    private final long hi;
    private final long lo;
    private final int length;

    private Prefix(Afi afi, long hi, long lo, int length) {
        this.afi = afi;
        this.hi = hi;
        this.lo = lo;
        this.length = length;
    }

    /** An IPv4 prefix from its address (host bits must be zero) and length. */
    public static Prefix ipv4(int address, int length) {
        if (length < 0 || length > 32) {
            throw new IllegalArgumentException("IPv4 prefix length " + length + " is outside 0..32");
        }
        if ((address & ~mask32(length)) != 0) {
            throw new IllegalArgumentException("host bits set in " + Addresses.formatIpv4(address) + "/" + length);
        }
        return new Prefix(Afi.IPV4, 0, address & 0xFFFF_FFFFL, length);
    }

    /** An IPv6 prefix from its address halves (host bits must be zero) and length. */
    public static Prefix ipv6(long hi, long lo, int length) {
        if (length < 0 || length > 128) {
            throw new IllegalArgumentException("IPv6 prefix length " + length + " is outside 0..128");
        }
        if ((hi & ~mask64(length)) != 0 || (lo & ~mask64(length - 64)) != 0) {
            throw new IllegalArgumentException("host bits set in " + Addresses.formatIpv6(hi, lo) + "/" + length);
        }
        return new Prefix(Afi.IPV6, hi, lo, length);
    }

    /**
     * Parses {@code 10.1.0.0/16} or {@code 2001:db8::/32}.
     *
     * @throws IllegalArgumentException with a message naming what is wrong
     */
    public static Prefix parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("prefix is null");
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("prefix '" + text + "' has no /length");
        }
        int length;
        try {
            length = Integer.parseInt(text, slash + 1, text.length(), 10);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("prefix '" + text + "' has a length that is not a number");
        }
        String addr = text.substring(0, slash);
        try {
            if (addr.indexOf(':') >= 0) {
                long[] a = Addresses.parseIpv6(addr);
                return ipv6(a[0], a[1], length);
            }
            return ipv4(Addresses.parseIpv4(addr), length);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid prefix '" + text + "': " + e.getMessage());
        }
    }

    public Afi afi() {
        return afi;
    }

    public long hi() {
        return hi;
    }

    public long lo() {
        return lo;
    }

    public int length() {
        return length;
    }

    /** The IPv4 address as an int; only meaningful for {@link Afi#IPV4}. */
    public int ipv4Address() {
        return (int) lo;
    }

    /** True when {@code other} is this prefix or a more specific one inside it. */
    public boolean covers(Prefix other) {
        if (other.afi != afi || other.length < length) {
            return false;
        }
        if (afi == Afi.IPV4) {
            long m = mask32(length) & 0xFFFF_FFFFL;
            return (other.lo & m) == lo;
        }
        return (other.hi & mask64(length)) == hi && (other.lo & mask64(length - 64)) == lo;
    }

    @Override
    public int compareTo(Prefix o) {
        int c = afi.compareTo(o.afi);
        if (c != 0) {
            return c;
        }
        c = Long.compareUnsigned(hi, o.hi);
        if (c != 0) {
            return c;
        }
        c = Long.compareUnsigned(lo, o.lo);
        return c != 0 ? c : Integer.compare(length, o.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Prefix p && p.afi == afi && p.hi == hi && p.lo == lo && p.length == length;
    }

    @Override
    public int hashCode() {
        long h = hi * 0x9E3779B97F4A7C15L ^ lo * 0xC2B2AE3D27D4EB4FL ^ length;
        return Long.hashCode(h) ^ afi.ordinal();
    }

    /** Canonical text: dotted quad for IPv4, RFC 5952 compressed form for IPv6. */
    @Override
    public String toString() {
        return (afi == Afi.IPV4 ? Addresses.formatIpv4((int) lo) : Addresses.formatIpv6(hi, lo)) + "/" + length;
    }

    static int mask32(int length) {
        return length == 0 ? 0 : -1 << (32 - length);
    }

    /** Mask of the top {@code length} bits of a 64-bit word; 0 for length &lt;= 0, all ones for &gt;= 64. */
    static long mask64(int length) {
        if (length <= 0) {
            return 0;
        }
        return length >= 64 ? -1L : -1L << (64 - length);
    }

    /** Same as {@link Objects#requireNonNull} but with the field name in the message. */
    static <T> T require(T value, String name) {
        return Objects.requireNonNull(value, name + " is required");
    }
}
