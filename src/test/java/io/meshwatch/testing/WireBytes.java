package io.meshwatch.testing;

import java.io.ByteArrayOutputStream;

/** Big-endian byte builder for hand-made wire records (MRT, BGP, BMP) in tests. */
public final class WireBytes {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public WireBytes u8(int... v) {
        for (int b : v) {
            out.write(b);
        }
        return this;
    }

    public WireBytes u16(int v) {
        return u8(v >>> 8 & 0xFF, v & 0xFF);
    }

    public WireBytes u32(long v) {
        return u16((int) (v >>> 16 & 0xFFFF)).u16((int) (v & 0xFFFF));
    }

    public WireBytes raw(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    public int size() {
        return out.size();
    }

    public byte[] bytes() {
        return out.toByteArray();
    }
}
