package io.meshwatch.mrt;

import io.meshwatch.bgp.AttributeDecoder;
import io.meshwatch.bgp.BgpWireException;
import io.meshwatch.bgp.Cursor;
import io.meshwatch.bgp.DecodeOptions;
import io.meshwatch.bgp.Prefixes;
import io.meshwatch.bgp.WireAttributes;

import io.meshwatch.routing.Afi;
import io.meshwatch.routing.Prefix;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes TABLE_DUMP (RFC 6396 4.2) and TABLE_DUMP_V2 (4.3, RFC 8050) records. Holds the peer
 * index of the last PEER_INDEX_TABLE, so one instance serves one stream. Not thread-safe.
 */
final class TableDumpDecoder {

    private String[] peerAddress;
    private long[] peerAs;

    /** TABLE_DUMP: subtype is the AFI; one entry per record, 2-byte AS numbers. */
    MrtRecord.Rib tableDump(long offset, Instant time, int subtype, Cursor c, Reporter r) throws BgpWireException {
        if (subtype != 1 && subtype != 2) {
            throw new MrtFormatException(SkipReason.UNSUPPORTED_SUBTYPE, "TABLE_DUMP AFI " + subtype);
        }
        Afi afi = subtype == 1 ? Afi.IPV4 : Afi.IPV6;
        boolean v6 = afi == Afi.IPV6;
        c.u16("view number");
        c.u16("sequence number");
        long hi = v6 ? c.u64("prefix") : 0;
        long lo = v6 ? c.u64("prefix") : c.u32("prefix");
        int len = c.u8("prefix length");
        c.u8("status");
        Instant originated = Instant.ofEpochSecond(c.u32("originated time"));
        String peer = c.address(v6, "peer address");
        long as = c.u16("peer AS");
        int attrLen = c.u16("attribute length");
        WireAttributes a = AttributeDecoder.decode(c.slice(attrLen, "attributes"), DecodeOptions.unicast(2, false, afi), r);
        Prefix prefix;
        try {
            prefix = v6 ? Prefix.ipv6(hi, lo, len) : Prefix.ipv4((int) lo, len);
        } catch (IllegalArgumentException e) {
            if (len > afi.bits()) {
                throw new MrtFormatException(SkipReason.MALFORMED, e.getMessage());
            }
            r.skip(SkipReason.HOST_BITS_SET, e.getMessage());
            return null;
        }
        MrtRecord.RibEntry entry = new MrtRecord.RibEntry(peer, as, originated, 0,
                a.toCanonical(ribNextHop(a, afi)));
        return new MrtRecord.Rib(offset, time, prefix, false, List.of(entry));
    }

    /** TABLE_DUMP_V2: PEER_INDEX_TABLE (returns null) or a unicast RIB record. */
    MrtRecord.Rib tableDumpV2(long offset, Instant time, int subtype, Cursor c, Reporter r)
            throws BgpWireException {
        return switch (subtype) {
            case 1 -> {
                peerIndex(c);
                yield null;
            }
            case 2 -> rib(offset, time, Afi.IPV4, false, c, r);
            case 4 -> rib(offset, time, Afi.IPV6, false, c, r);
            case 8 -> rib(offset, time, Afi.IPV4, true, c, r);
            case 10 -> rib(offset, time, Afi.IPV6, true, c, r);
            default -> throw new MrtFormatException(SkipReason.UNSUPPORTED_SUBTYPE,
                    "TABLE_DUMP_V2 subtype " + MrtTypes.name(13, subtype) + " not handled");
        };
    }

    private void peerIndex(Cursor c) throws BgpWireException {
        c.u32("collector BGP id");
        c.skip(c.u16("view name length"), "view name");
        int n = c.u16("peer count");
        String[] addresses = new String[n];
        long[] ases = new long[n];
        for (int i = 0; i < n; i++) {
            int type = c.u8("peer type");
            c.u32("peer BGP id");
            addresses[i] = c.address((type & 1) != 0, "peer address");
            ases[i] = (type & 2) != 0 ? c.u32("peer AS") : c.u16("peer AS");
        }
        peerAddress = addresses;
        peerAs = ases;
    }

    private MrtRecord.Rib rib(long offset, Instant time, Afi afi, boolean addPath, Cursor c, Reporter r)
            throws BgpWireException {
        if (peerAddress == null) {
            throw new MrtFormatException(SkipReason.NO_PEER_INDEX_TABLE, "RIB record before any PEER_INDEX_TABLE");
        }
        c.u32("sequence number");
        Prefix prefix = Prefixes.read(c, afi, r);
        int n = c.u16("entry count");
        List<MrtRecord.RibEntry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int index = c.u16("peer index");
            Instant originated = Instant.ofEpochSecond(c.u32("originated time"));
            long pathId = addPath ? c.u32("path id") : 0;
            Cursor attrs = c.slice(c.u16("attribute length"), "attributes");
            if (index >= peerAddress.length) {
                r.skip(SkipReason.UNKNOWN_PEER_INDEX, "peer index " + index + " but the table has "
                        + peerAddress.length + " peers");
                continue;
            }
            if (prefix == null) {
                continue; // host bits set: already reported; still walk the entries to validate the record
            }
            WireAttributes a = AttributeDecoder.decode(attrs, DecodeOptions.unicast(4, false, afi), r);
            entries.add(new MrtRecord.RibEntry(peerAddress[index], peerAs[index], originated, pathId,
                    a.toCanonical(ribNextHop(a, afi))));
        }
        if (c.hasRemaining()) {
            throw new MrtFormatException(SkipReason.MALFORMED, c.remaining() + " bytes after the last RIB entry");
        }
        return prefix == null ? null : new MrtRecord.Rib(offset, time, prefix, addPath, List.copyOf(entries));
    }

    /**
     * The next hop of a RIB entry: the family's own next hop first (NEXT_HOP for IPv4, MP_REACH for
     * IPv6), then the other one, else the unspecified address ({@code 0.0.0.0} or {@code ::}) of
     * the prefix's family, which canonical events use for "no next hop in the dump".
     */
    static String ribNextHop(WireAttributes a, Afi afi) {
        String first = afi == Afi.IPV4 ? a.nextHop() : a.mpNextHop();
        String second = afi == Afi.IPV4 ? a.mpNextHop() : a.nextHop();
        if (first != null) {
            return first;
        }
        if (second != null) {
            return second;
        }
        return afi == Afi.IPV4 ? "0.0.0.0" : "::";
    }
}
