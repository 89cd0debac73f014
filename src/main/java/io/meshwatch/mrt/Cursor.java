package io.meshwatch.mrt;

import io.meshwatch.routing.Addresses;

/**
 * Bounds-checked big-endian reads over a slice of a byte array. Every read past the slice end
 * throws {@link MrtFormatException} ({@link SkipReason#MALFORMED}) instead of an index exception.
 * Not thread-safe; one per record being decoded.
 */
final class Cursor {

    private final byte[] buf;
    private int pos;
    private final int limit;

    Cursor(byte[] buf, int from, int limit) {
        this.buf = buf;
        this.pos = from;
        this.limit = limit;
    }

    int remaining() {
        return limit - pos;
    }

    boolean hasRemaining() {
        return pos < limit;
    }

    int position() {
        return pos;
    }

    private void need(int n, String what) throws MrtFormatException {
        if (n < 0 || limit - pos < n) {
            throw new MrtFormatException(SkipReason.MALFORMED, what + " needs " + n + " bytes, " + (limit - pos)
                    + " left");
        }
    }

    /** The next byte without consuming it; the caller checks {@link #hasRemaining()} first. */
    int peekU8() {
        return buf[pos] & 0xFF;
    }

    int u8(String what) throws MrtFormatException {
        need(1, what);
        return buf[pos++] & 0xFF;
    }

    int u16(String what) throws MrtFormatException {
        need(2, what);
        int v = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    long u32(String what) throws MrtFormatException {
        need(4, what);
        long v = ((buf[pos] & 0xFFL) << 24) | ((buf[pos + 1] & 0xFF) << 16) | ((buf[pos + 2] & 0xFF) << 8)
                | (buf[pos + 3] & 0xFF);
        pos += 4;
        return v;
    }

    long u64(String what) throws MrtFormatException {
        return (u32(what) << 32) | u32(what);
    }

    /** A sub-cursor over the next {@code n} bytes; this cursor moves past them. */
    Cursor slice(int n, String what) throws MrtFormatException {
        need(n, what);
        Cursor c = new Cursor(buf, pos, pos + n);
        pos += n;
        return c;
    }

    void skip(int n, String what) throws MrtFormatException {
        need(n, what);
        pos += n;
    }

    String ipv4(String what) throws MrtFormatException {
        return Addresses.formatIpv4((int) u32(what));
    }

    String ipv6(String what) throws MrtFormatException {
        long hi = u64(what);
        long lo = u64(what);
        return Addresses.formatIpv6(hi, lo);
    }

    /** An address of 4 or 16 bytes. */
    String address(boolean ipv6, String what) throws MrtFormatException {
        return ipv6 ? ipv6(what) : ipv4(what);
    }
}
