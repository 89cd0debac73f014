package io.meshwatch.mrt;

import io.meshwatch.event.Nlri;
import io.meshwatch.routing.Afi;
import io.meshwatch.routing.Prefix;
import java.util.List;

/** Decoding of NLRI prefixes (RFC 4271 4.3, RFC 7911 / RFC 8050 path ids). Stateless. */
final class Prefixes {

    private Prefixes() {
    }

    /**
     * Reads one {@code length, prefix bytes} item.
     *
     * @return the prefix, or null when its host bits are set (reported as {@link SkipReason#HOST_BITS_SET})
     */
    static Prefix read(Cursor c, Afi afi, Reporter reporter) throws MrtFormatException {
        int len = c.u8("prefix length");
        if (len > afi.bits()) {
            throw new MrtFormatException(SkipReason.MALFORMED, "prefix length " + len + " exceeds " + afi.bits()
                    + " for " + afi.wireName());
        }
        int n = (len + 7) / 8;
        long hi = 0;
        long lo = 0;
        if (afi == Afi.IPV4) {
            for (int i = 0; i < 4; i++) {
                lo = (lo << 8) | (i < n ? c.u8("prefix") : 0);
            }
        } else {
            for (int i = 0; i < 16; i++) {
                int b = i < n ? c.u8("prefix") : 0;
                if (i < 8) {
                    hi = (hi << 8) | b;
                } else {
                    lo = (lo << 8) | b;
                }
            }
        }
        try {
            return afi == Afi.IPV4 ? Prefix.ipv4((int) lo, len) : Prefix.ipv6(hi, lo, len);
        } catch (IllegalArgumentException e) {
            reporter.skip(SkipReason.HOST_BITS_SET, e.getMessage());
            return null;
        }
    }

    /** Reads prefixes (each preceded by a 4-byte path id when {@code addPath}) until the cursor ends. */
    static void readAll(Cursor c, Afi afi, boolean addPath, List<Nlri> out, Reporter reporter)
            throws MrtFormatException {
        while (c.hasRemaining()) {
            long pathId = addPath ? c.u32("path id") : 0;
            Prefix p = read(c, afi, reporter);
            if (p != null) {
                out.add(new Nlri(p, pathId));
            }
        }
    }
}
