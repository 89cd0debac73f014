package io.meshwatch.bgp;

import io.meshwatch.event.Nlri;
import io.meshwatch.routing.Afi;
import io.meshwatch.routing.Prefix;
import java.util.List;

/**
 * Decoding of NLRI prefixes: plain (RFC 4271 4.3), labeled (RFC 8277, SAFI 4) and VPN (RFC 4364,
 * SAFI 128), each optionally preceded by an ADD-PATH path id (RFC 7911). Stateless.
 */
public final class Prefixes {

    /** SAFIs the decoder understands. */
    public static final int UNICAST = 1;
    public static final int MULTICAST = 2;
    public static final int LABELED_UNICAST = 4;
    public static final int VPN = 128;

    /** The label RFC 3107 / RFC 8277 put in withdrawals ("compatibility" value). */
    private static final int WITHDRAW_LABEL = 0x800000;

    private Prefixes() {
    }

    /**
     * Reads one {@code length, prefix bytes} item.
     *
     * @return the prefix, or null when its host bits are set (reported as {@link WireIssue#HOST_BITS_SET})
     */
    public static Prefix read(Cursor c, Afi afi, IssueReporter reporter) throws BgpWireException {
        return bits(c, afi, c.u8("prefix length"), reporter);
    }

    private static Prefix bits(Cursor c, Afi afi, int len, IssueReporter reporter) throws BgpWireException {
        if (len > afi.bits()) {
            throw BgpWireException.malformed("prefix length " + len + " exceeds " + afi.bits() + " for "
                    + afi.wireName());
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
            reporter.report(WireIssue.HOST_BITS_SET, e.getMessage());
            return null;
        }
    }

    /** Reads plain prefixes (each preceded by a 4-byte path id when {@code addPath}) until the cursor ends. */
    public static void readAll(Cursor c, Afi afi, boolean addPath, List<Nlri> out, IssueReporter reporter)
            throws BgpWireException {
        while (c.hasRemaining()) {
            long pathId = addPath ? c.u32("path id") : 0;
            Prefix p = read(c, afi, reporter);
            if (p != null) {
                out.add(new Nlri(p, pathId));
            }
        }
    }

    /**
     * Reads prefixes of any supported SAFI until the cursor ends. Labels are read past; for
     * {@link #VPN} the route distinguisher of each prefix is added to {@code rds} (same order as
     * {@code out}).
     */
    public static void readAll(Cursor c, Afi afi, int safi, boolean addPath, List<Nlri> out, List<String> rds,
                               IssueReporter reporter) throws BgpWireException {
        if (safi != LABELED_UNICAST && safi != VPN) {
            readAll(c, afi, addPath, out, reporter);
            return;
        }
        while (c.hasRemaining()) {
            long pathId = addPath ? c.u32("path id") : 0;
            int len = c.u8("prefix length");
            len -= skipLabels(c, len);
            String rd = null;
            if (safi == VPN) {
                if (len < 64) {
                    throw BgpWireException.malformed("VPN prefix length leaves no room for a route distinguisher");
                }
                rd = RouteDistinguisher.read(c);
                len -= 64;
            }
            Prefix p = bits(c, afi, len, reporter);
            if (p != null) {
                out.add(new Nlri(p, pathId));
                if (rds != null && rd != null) {
                    rds.add(rd);
                }
            }
        }
    }

    /** Reads the label stack; returns the number of bits it took. */
    private static int skipLabels(Cursor c, int len) throws BgpWireException {
        int used = 0;
        while (true) {
            if (len - used < 24) {
                throw BgpWireException.malformed("labeled prefix length " + len + " too short for its labels");
            }
            int label = (c.u8("label") << 16) | c.u16("label");
            used += 24;
            if ((label & 1) != 0 || label == WITHDRAW_LABEL || label == 0) {
                return used;
            }
        }
    }
}
