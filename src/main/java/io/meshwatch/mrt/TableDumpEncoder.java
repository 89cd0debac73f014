package io.meshwatch.mrt;

import io.meshwatch.routing.Afi;
import io.meshwatch.routing.AsPath;
import io.meshwatch.routing.AsPathSegmentType;
import io.meshwatch.routing.BestRoute;
import io.meshwatch.routing.Communities;
import io.meshwatch.routing.Path;
import io.meshwatch.routing.PathAttributes;
import io.meshwatch.routing.Peer;
import io.meshwatch.routing.PeerStatus;
import io.meshwatch.routing.Prefix;
import io.meshwatch.routing.RouteTable;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one VRF of a {@link RouteTable} as an MRT TABLE_DUMP_V2 stream (RFC 6396 section 4.3):
 * one PEER_INDEX_TABLE, then one RIB_IPV4_UNICAST / RIB_IPV6_UNICAST record per prefix (IPv4 first,
 * prefix order), sequence numbers from 0. A prefix holding several paths of the same peer (ADD-PATH)
 * is written as RIB_IPV4_UNICAST_ADDPATH / RIB_IPV6_UNICAST_ADDPATH (RFC 8050) with the path ids.
 *
 * <p>Rules: the best path is the first entry of its prefix, then the other paths in the table's
 * order. Paths the router reported as its own Loc-RIB (no peer) have no peer to index and are left
 * out (counted); a prefix with only such a path is left out. AS numbers are written 4 bytes wide
 * (as the RFC requires in TABLE_DUMP_V2) and every peer entry is flagged AS4. The next hop of an IPv4 prefix is
 * a NEXT_HOP attribute when it is IPv4; an IPv6 prefix's next hop, or an IPv6 next hop of an IPv4
 * prefix, is an MP_REACH_NLRI written whole (AFI, SAFI, next hop, no NLRI) rather than abbreviated
 * as RFC 6396 section 4.3.4 allows, since GoBGP reads only the whole form (bgpdump reads both). Attributes the table does not keep (AGGREGATOR, unknown ones) are not
 * written. The originated time of every entry, and the header time of every record, is {@code time}
 * (the table keeps no per-path time).
 *
 * <p>Plain Java, no I/O but the given stream; one thread. The table should not change while it is
 * written (give it a private copy): pages are read under the table's lock one at a time.
 */
public final class TableDumpEncoder {

    static final int TABLE_DUMP_V2 = 13;
    static final int PEER_INDEX_TABLE = 1;
    static final int RIB_IPV4_UNICAST = 2;
    static final int RIB_IPV6_UNICAST = 4;
    static final int RIB_IPV4_UNICAST_ADDPATH = 8;
    static final int RIB_IPV6_UNICAST_ADDPATH = 10;

    private static final int PAGE = 1024;
    private static final int MAX_ENTRIES = 0xFFFF;

    /**
     * What was written.
     *
     * @param reportedLeftOut router-reported Loc-RIB best paths not written (they have no peer)
     */
    public record Stats(int peers, long prefixes, long paths, long reportedLeftOut, long bytes) {
    }

    private final DataOutputStream out;
    private final int timestamp;
    private final Map<PathAttributes, byte[]> encodedV4 = new HashMap<>();
    private final Map<PathAttributes, byte[]> encodedV6 = new HashMap<>();
    private final ByteArrayOutputStream record = new ByteArrayOutputStream(1 << 12);
    private final DataOutputStream rec = new DataOutputStream(record);
    private long sequence;
    private long prefixes;
    private long paths;
    private long reportedLeftOut;
    private long bytes;

    private TableDumpEncoder(OutputStream out, Instant time) {
        this.out = new DataOutputStream(out);
        this.timestamp = (int) time.getEpochSecond();
    }

    /**
     * Writes the VRF's table to {@code out} (not closed, flushed at the end).
     *
     * @param vrf      the core's VRF name ({@code ""} for the global table)
     * @param viewName the PEER_INDEX_TABLE view name (e.g. the router id); at most 65535 bytes of UTF-8
     * @param time     header time of every record and originated time of every entry
     */
    public static Stats write(RouteTable table, String vrf, String viewName, Instant time, OutputStream out)
            throws IOException {
        return new TableDumpEncoder(out, time).dump(table, vrf, viewName);
    }

    private Stats dump(RouteTable table, String vrf, String viewName) throws IOException {
        Map<Peer, Integer> index = new LinkedHashMap<>();
        for (PeerStatus s : table.peers()) {
            if (s.peer().vrf().equals(vrf)) {
                index.put(s.peer(), index.size());
            }
        }
        if (index.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException("VRF has " + index.size() + " peers; a PEER_INDEX_TABLE holds at most "
                    + MAX_ENTRIES);
        }
        peerIndexTable(viewName, index);
        for (Afi afi : Afi.values()) {
            Prefix after = null;
            while (true) {
                List<BestRoute> page = table.page(vrf, afi, after, PAGE);
                for (BestRoute b : page) {
                    rib(table, vrf, b, index);
                }
                if (page.size() < PAGE) {
                    break;
                }
                after = page.get(page.size() - 1).prefix();
            }
        }
        out.flush();
        return new Stats(index.size(), prefixes, paths, reportedLeftOut, bytes);
    }

    private void peerIndexTable(String viewName, Map<Peer, Integer> index) throws IOException {
        record.reset();
        rec.writeInt(0); // collector BGP id: the table does not know the router's own id
        byte[] name = viewName.getBytes(StandardCharsets.UTF_8);
        if (name.length > 0xFFFF) {
            throw new IllegalArgumentException("view name longer than 65535 bytes");
        }
        rec.writeShort(name.length);
        rec.write(name);
        rec.writeShort(index.size());
        for (Peer p : index.keySet()) {
            boolean v6 = p.address().afi() == Afi.IPV6;
            rec.writeByte((v6 ? 1 : 0) | 2); // bit 0: IPv6 address, bit 1: 4-byte AS
            rec.writeInt(p.bgpId());
            if (v6) {
                rec.writeLong(p.address().hi());
                rec.writeLong(p.address().lo());
            } else {
                rec.writeInt(p.address().ipv4Value());
            }
            rec.writeInt(p.peerAs());
        }
        emit(PEER_INDEX_TABLE);
    }

    private void rib(RouteTable table, String vrf, BestRoute best, Map<Peer, Integer> index) throws IOException {
        List<Path> all = table.paths(vrf, best.prefix());
        Path first = best.path();
        if (best.reported()) {
            reportedLeftOut++;
            BestRoute computed = table.computedBest(vrf, best.prefix());
            first = computed == null ? null : computed.path();
        }
        List<Path> entries = new ArrayList<>(all.size());
        if (first != null && first.peer() != null) {
            entries.add(first);
        }
        for (Path p : all) {
            if (p.peer() != null && !p.equals(first)) {
                entries.add(p);
            }
        }
        entries.removeIf(p -> !index.containsKey(p.peer()));
        if (entries.isEmpty()) {
            return;
        }
        if (entries.size() > MAX_ENTRIES) {
            entries = entries.subList(0, MAX_ENTRIES);
        }
        boolean addPath = false;
        for (int i = 0; i < entries.size() && !addPath; i++) {
            for (int j = 0; j < i; j++) {
                if (entries.get(i).peer().equals(entries.get(j).peer())) {
                    addPath = true;
                    break;
                }
            }
        }
        Prefix prefix = best.prefix();
        boolean v6 = prefix.afi() == Afi.IPV6;
        record.reset();
        rec.writeInt((int) sequence++);
        rec.writeByte(prefix.length());
        writePrefixBytes(prefix);
        rec.writeShort(entries.size());
        for (Path p : entries) {
            rec.writeShort(index.get(p.peer()));
            rec.writeInt(timestamp);
            if (addPath) {
                rec.writeInt(p.pathId());
            }
            byte[] attrs = v6 ? encodedV6.computeIfAbsent(p.attributes(), a -> attributes(a, Afi.IPV6))
                    : encodedV4.computeIfAbsent(p.attributes(), a -> attributes(a, Afi.IPV4));
            rec.writeShort(attrs.length);
            rec.write(attrs);
        }
        emit(v6 ? (addPath ? RIB_IPV6_UNICAST_ADDPATH : RIB_IPV6_UNICAST)
                : (addPath ? RIB_IPV4_UNICAST_ADDPATH : RIB_IPV4_UNICAST));
        prefixes++;
        paths += entries.size();
    }

    private void writePrefixBytes(Prefix p) throws IOException {
        int bytes = (p.length() + 7) / 8;
        if (p.afi() == Afi.IPV4) {
            long v = p.lo();
            for (int i = 0; i < bytes; i++) {
                rec.writeByte((int) (v >>> (24 - 8 * i)));
            }
        } else {
            for (int i = 0; i < bytes; i++) {
                long word = i < 8 ? p.hi() : p.lo();
                rec.writeByte((int) (word >>> (56 - 8 * (i % 8))));
            }
        }
    }

    private void emit(int subtype) throws IOException {
        out.writeInt(timestamp);
        out.writeShort(TABLE_DUMP_V2);
        out.writeShort(subtype);
        out.writeInt(record.size());
        record.writeTo(out);
        bytes += 12 + record.size();
    }

    // ------------------------------------------------------------------ path attributes (RFC 4271 4.3)

    private static final int OPTIONAL = 0x80;
    private static final int TRANSITIVE = 0x40;
    private static final int EXTENDED_LENGTH = 0x10;

    /** The attributes of one path as written in a RIB entry of a prefix of family {@code afi}. */
    static byte[] attributes(PathAttributes a, Afi afi) {
        try {
            ByteArrayOutputStream buf = new ByteArrayOutputStream(64);
            DataOutputStream o = new DataOutputStream(buf);
            attribute(o, TRANSITIVE, 1, new byte[] {(byte) a.origin().ordinal()});
            attribute(o, TRANSITIVE, 2, asPath(a.asPath()));
            boolean v6NextHop = a.nextHop().afi() == Afi.IPV6;
            boolean mpReach = v6NextHop || afi == Afi.IPV6;
            if (!mpReach) {
                attribute(o, TRANSITIVE, 3, int4((int) a.nextHopLo()));
            }
            if (a.hasMed()) {
                attribute(o, OPTIONAL, 4, int4((int) a.med()));
            }
            if (a.hasLocalPref()) {
                attribute(o, TRANSITIVE, 5, int4((int) a.localPref()));
            }
            if (a.atomicAggregate()) {
                attribute(o, TRANSITIVE, 6, new byte[0]);
            }
            Communities c = a.communities();
            int[] std = c.standard();
            if (std.length > 0) {
                ByteArrayOutputStream b = new ByteArrayOutputStream(std.length * 4);
                DataOutputStream d = new DataOutputStream(b);
                for (int v : std) {
                    d.writeInt(v);
                }
                attribute(o, OPTIONAL | TRANSITIVE, 8, b.toByteArray());
            }
            if (a.hasOriginatorId()) {
                attribute(o, OPTIONAL, 9, int4(a.originatorId()));
            }
            int[] clusters = a.clusterList();
            if (clusters.length > 0) {
                ByteArrayOutputStream b = new ByteArrayOutputStream(clusters.length * 4);
                DataOutputStream d = new DataOutputStream(b);
                for (int v : clusters) {
                    d.writeInt(v);
                }
                attribute(o, OPTIONAL, 10, b.toByteArray());
            }
            if (mpReach) {
                // The whole attribute (RFC 4760: AFI, SAFI, next hop, reserved, no NLRI) rather than
                // RFC 6396 4.3.4's abbreviation (next hop length and address only): bgpdump reads both,
                // GoBGP's MRT reader only the whole one. An IPv4 next hop of an IPv6 prefix is written
                // IPv4-mapped (::ffff:a.b.c.d).
                ByteArrayOutputStream b = new ByteArrayOutputStream(21);
                DataOutputStream d = new DataOutputStream(b);
                d.writeShort(afi == Afi.IPV6 ? 2 : 1);
                d.writeByte(1);
                d.writeByte(16);
                if (v6NextHop) {
                    d.writeLong(a.nextHopHi());
                    d.writeLong(a.nextHopLo());
                } else {
                    d.writeLong(0);
                    d.writeLong(0x0000_FFFF_0000_0000L | a.nextHopLo());
                }
                d.writeByte(0);
                attribute(o, OPTIONAL, 14, b.toByteArray());
            }
            long[] ext = c.extended();
            if (ext.length > 0) {
                ByteArrayOutputStream b = new ByteArrayOutputStream(ext.length * 8);
                DataOutputStream d = new DataOutputStream(b);
                for (long v : ext) {
                    d.writeLong(v);
                }
                attribute(o, OPTIONAL | TRANSITIVE, 16, b.toByteArray());
            }
            int[] large = c.large();
            if (large.length > 0) {
                ByteArrayOutputStream b = new ByteArrayOutputStream(large.length * 4);
                DataOutputStream d = new DataOutputStream(b);
                for (int v : large) {
                    d.writeInt(v);
                }
                attribute(o, OPTIONAL | TRANSITIVE, 32, b.toByteArray());
            }
            if (buf.size() > 0xFFFF) {
                throw new IllegalArgumentException("path attributes longer than 65535 bytes");
            }
            return buf.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("in-memory stream failed", e);
        }
    }

    private static void attribute(DataOutputStream o, int flags, int type, byte[] value) throws IOException {
        boolean extended = value.length > 0xFF;
        o.writeByte(flags | (extended ? EXTENDED_LENGTH : 0));
        o.writeByte(type);
        if (extended) {
            o.writeShort(value.length);
        } else {
            o.writeByte(value.length);
        }
        o.write(value);
    }

    /** AS_PATH with 4-byte AS numbers; a segment longer than 255 ASes is split into several. */
    private static byte[] asPath(AsPath path) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(4 + path.decisionLength() * 4);
        DataOutputStream d = new DataOutputStream(b);
        for (int s = 0; s < path.segmentCount(); s++) {
            int type = path.segmentType(s) == AsPathSegmentType.AS_SET ? 1 : 2;
            int[] asns = path.segment(s);
            for (int from = 0; from < asns.length; from += 255) {
                int n = Math.min(255, asns.length - from);
                d.writeByte(type);
                d.writeByte(n);
                for (int i = from; i < from + n; i++) {
                    d.writeInt(asns[i]);
                }
            }
        }
        return b.toByteArray();
    }

    private static byte[] int4(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }
}
