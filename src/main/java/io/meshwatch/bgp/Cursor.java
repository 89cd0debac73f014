package io.meshwatch.bgp;

import io.meshwatch.routing.Addresses;

/**
 * Bounds-checked big-endian reads over a slice of a byte array. Every read past the slice end
 * throws {@link BgpWireException} ({@link WireIssue#MALFORMED}) instead of an index exception.
 * Not thread-safe; one per message being decoded.
 */
public final class Cursor {

    private final byte[] buf;
    private int pos;
    private final int limit;

    public Cursor(byte[] buf, int from, int limit) {
        this.buf = buf;
        this.pos = from;
        this.limit = limit;
    }

    public int remaining() {
        return limit - pos;
    }

    public boolean hasRemaining() {
        return pos < limit;
    }

    public int position() {
        return pos;
    }

    private void need(int n, String what) throws BgpWireException {
        if (n < 0 || limit - pos < n) {
            throw BgpWireException.malformed(what + " needs " + n + " bytes, " + (limit - pos)
                    + " left");
        }
    }

    /** The next byte without consuming it; the caller checks {@link #hasRemaining()} first. */
    public int peekU8() {
        return buf[pos] & 0xFF;
    }

    public int u8(String what) throws BgpWireException {
        need(1, what);
        return buf[pos++] & 0xFF;
    }

    public int u16(String what) throws BgpWireException {
        need(2, what);
        int v = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    public long u32(String what) throws BgpWireException {
        need(4, what);
        long v = ((buf[pos] & 0xFFL) << 24) | ((buf[pos + 1] & 0xFF) << 16) | ((buf[pos + 2] & 0xFF) << 8)
                | (buf[pos + 3] & 0xFF);
        pos += 4;
        return v;
    }

    public long u64(String what) throws BgpWireException {
        return (u32(what) << 32) | u32(what);
    }

    /** A sub-cursor over the next {@code n} bytes; this cursor moves past them. */
    public Cursor slice(int n, String what) throws BgpWireException {
        need(n, what);
        Cursor c = new Cursor(buf, pos, pos + n);
        pos += n;
        return c;
    }

    public void skip(int n, String what) throws BgpWireException {
        need(n, what);
        pos += n;
    }

    public String ipv4(String what) throws BgpWireException {
        return Addresses.formatIpv4((int) u32(what));
    }

    public String ipv6(String what) throws BgpWireException {
        long hi = u64(what);
        long lo = u64(what);
        return Addresses.formatIpv6(hi, lo);
    }

    /** An address of 4 or 16 bytes. */
    public String address(boolean ipv6, String what) throws BgpWireException {
        return ipv6 ? ipv6(what) : ipv4(what);
    }

    /** The next {@code n} bytes as a copy. */
    public byte[] bytes(int n, String what) throws BgpWireException {
        need(n, what);
        byte[] out = java.util.Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return out;
    }

    /** The rest of the slice as text, bytes that are not UTF-8 replaced. */
    public String utf8Rest() {
        String s = new String(buf, pos, limit - pos, java.nio.charset.StandardCharsets.UTF_8);
        pos = limit;
        return s;
    }
}
