package io.meshwatch.bench;

import io.meshwatch.routing.Afi;
import io.meshwatch.routing.AsPath;
import io.meshwatch.routing.AsPathSegmentType;
import io.meshwatch.routing.BgpUpdate;
import io.meshwatch.routing.Communities;
import io.meshwatch.routing.IpAddress;
import io.meshwatch.routing.Nlri;
import io.meshwatch.routing.PathAttributes;
import io.meshwatch.routing.Peer;
import io.meshwatch.routing.Prefix;
import io.meshwatch.sim.SyntheticTable;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Writes an uncompressed MRT TABLE_DUMP_V2 file (RFC 6396 section 4.3): one PEER_INDEX_TABLE, then
 * one RIB_IPV4_UNICAST or RIB_IPV6_UNICAST record per prefix, each with one entry per peer given.
 *
 * <p>Attributes, in type-code order: ORIGIN, AS_PATH (4-byte AS numbers, sequences longer than 255
 * split), NEXT_HOP (IPv4 prefix with an IPv4 next hop), MULTI_EXIT_DISC and LOCAL_PREF when set,
 * ATOMIC_AGGREGATE, COMMUNITIES, ORIGINATOR_ID, CLUSTER_LIST, MP_REACH_NLRI, EXTENDED COMMUNITIES,
 * LARGE_COMMUNITY. MP_REACH_NLRI (every IPv6 prefix, or an IPv6 next hop) is written in the
 * <em>full</em> attribute form of an UPDATE (AFI, SAFI, next hop, reserved byte, and the prefix as
 * its NLRI), not in the abbreviated next-hop-only form that RFC 6396 section 4.3.4 prescribes:
 * GoBGP 3.10 rejects the abbreviated form, and Meshwatch's reader (like bgpdump) takes both.
 *
 * <p>Not thread-safe. Records are written in the order given; the sequence numbers count from 0.
 */
public final class TableDumpWriter implements Closeable {

    /** What a file holds. */
    public record Summary(Path file, long ribRecords, long ipv4, long ipv6, long entries, long bytes) {
    }

    private static final int TABLE_DUMP_V2 = 13;
    private static final int PEER_INDEX_TABLE = 1;
    private static final int RIB_IPV4_UNICAST = 2;
    private static final int RIB_IPV6_UNICAST = 4;
    private static final int OPTIONAL = 0x80;
    private static final int TRANSITIVE = 0x40;
    private static final int EXTENDED_LENGTH = 0x10;

    private final DataOutputStream out;
    private final long timestamp;
    private final ByteArrayOutputStream bodyBytes = new ByteArrayOutputStream(4096);
    private final DataOutputStream body = new DataOutputStream(bodyBytes);
    private int peerCount = -1;
    private long sequence;
    private long ipv4;
    private long ipv6;
    private long entries;

    /** A writer over a stream, which {@link #close()} closes; {@code time} goes into every header. */
    public TableDumpWriter(OutputStream out, Instant time) {
        this.out = new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
        this.timestamp = time.getEpochSecond();
    }

    /**
     * Writes peer {@code peer}'s announcements of the synthetic table as a one-peer dump: the
     * table's UPDATEs of that peer in their order, every prefix of an UPDATE one RIB record with the
     * UPDATE's attributes, originated at {@link SyntheticTable#TIME}.
     */
    public static Summary writeSynthetic(SyntheticTable table, int peer, Path file) throws IOException {
        try (TableDumpWriter w = new TableDumpWriter(Files.newOutputStream(file), SyntheticTable.TIME)) {
            w.peerIndex(SyntheticTable.COLLECTOR_ID, "meshwatch-bench", List.of(SyntheticTable.peer(peer)));
            for (int g = 0; g < table.groupCount(); g++) {
                BgpUpdate u = table.update(g * table.peerCount() + peer);
                for (Nlri n : u.announced()) {
                    w.rib(n.prefix(), 0, SyntheticTable.TIME, u.attributes());
                }
            }
            w.out.flush();
            return new Summary(file, w.ipv4 + w.ipv6, w.ipv4, w.ipv6, w.entries, Files.size(file));
        }
    }

    /** The PEER_INDEX_TABLE; must come first. Peer AS numbers are written as 4 bytes. */
    public void peerIndex(int collectorId, String viewName, List<Peer> peers) throws IOException {
        if (peerCount >= 0) {
            throw new IllegalStateException("PEER_INDEX_TABLE written twice");
        }
        byte[] name = viewName.getBytes(StandardCharsets.UTF_8);
        body.writeInt(collectorId);
        body.writeShort(name.length);
        body.write(name);
        body.writeShort(peers.size());
        for (Peer p : peers) {
            boolean v6 = p.address().afi() == Afi.IPV6;
            body.writeByte((v6 ? 1 : 0) | 2);
            body.writeInt(p.bgpId());
            address(body, p.address());
            body.writeInt(p.peerAs());
        }
        record(PEER_INDEX_TABLE);
        peerCount = peers.size();
    }

    /** One RIB record holding one entry: peer {@code peerIndex}'s path for {@code prefix}. */
    public void rib(Prefix prefix, int peerIndex, Instant originated, PathAttributes attributes) throws IOException {
        if (peerIndex < 0 || peerIndex >= peerCount) {
            throw new IllegalArgumentException("peer index " + peerIndex + " of " + Math.max(peerCount, 0)
                    + " peers (PEER_INDEX_TABLE first)");
        }
        byte[] attrs = attributes(prefix, attributes);
        body.writeInt((int) sequence++);
        prefix(body, prefix);
        body.writeShort(1);
        body.writeShort(peerIndex);
        body.writeInt((int) originated.getEpochSecond());
        body.writeShort(attrs.length);
        body.write(attrs);
        boolean v6 = prefix.afi() == Afi.IPV6;
        record(v6 ? RIB_IPV6_UNICAST : RIB_IPV4_UNICAST);
        if (v6) {
            ipv6++;
        } else {
            ipv4++;
        }
        entries++;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    /** The attributes of one RIB entry for {@code prefix}, as they go into the record. */
    static byte[] attributes(Prefix prefix, PathAttributes a) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        DataOutputStream d = new DataOutputStream(bytes);
        ByteArrayOutputStream v = new ByteArrayOutputStream(64);
        DataOutputStream value = new DataOutputStream(v);
        value.writeByte(a.origin().ordinal());
        attribute(d, TRANSITIVE, 1, v);
        asPath(value, a.asPath());
        attribute(d, TRANSITIVE, 2, v);
        IpAddress hop = a.nextHop();
        boolean mpReach = prefix.afi() == Afi.IPV6 || hop.afi() == Afi.IPV6;
        if (!mpReach) {
            address(value, hop);
            attribute(d, TRANSITIVE, 3, v);
        }
        if (a.hasMed()) {
            value.writeInt((int) a.med());
            attribute(d, OPTIONAL, 4, v);
        }
        if (a.hasLocalPref()) {
            value.writeInt((int) a.localPref());
            attribute(d, TRANSITIVE, 5, v);
        }
        if (a.atomicAggregate()) {
            attribute(d, TRANSITIVE, 6, v);
        }
        Communities c = a.communities();
        for (int s : c.standard()) {
            value.writeInt(s);
        }
        attributeIfAny(d, OPTIONAL | TRANSITIVE, 8, v);
        if (a.hasOriginatorId()) {
            value.writeInt(a.originatorId());
            attribute(d, OPTIONAL, 9, v);
        }
        for (int id : a.clusterList()) {
            value.writeInt(id);
        }
        attributeIfAny(d, OPTIONAL, 10, v);
        if (mpReach) {
            // full form: AFI, SAFI, next hop length, next hop, reserved, NLRI (this prefix)
            value.writeShort(prefix.afi() == Afi.IPV6 ? 2 : 1);
            value.writeByte(1);
            value.writeByte(hop.afi() == Afi.IPV6 ? 16 : 4);
            address(value, hop);
            value.writeByte(0);
            prefix(value, prefix);
            attribute(d, OPTIONAL, 14, v);
        }
        for (long e : c.extended()) {
            value.writeLong(e);
        }
        attributeIfAny(d, OPTIONAL | TRANSITIVE, 16, v);
        for (int l : c.large()) {
            value.writeInt(l);
        }
        attributeIfAny(d, OPTIONAL | TRANSITIVE, 32, v);
        return bytes.toByteArray();
    }

    private static void attributeIfAny(DataOutputStream d, int flags, int type, ByteArrayOutputStream value)
            throws IOException {
        if (value.size() > 0) {
            attribute(d, flags, type, value);
        }
    }

    /** Writes flags, type, length (one byte, or two with the extended-length flag) and the value; resets it. */
    private static void attribute(DataOutputStream d, int flags, int type, ByteArrayOutputStream value)
            throws IOException {
        int len = value.size();
        boolean extended = len > 255;
        d.writeByte(flags | (extended ? EXTENDED_LENGTH : 0));
        d.writeByte(type);
        if (extended) {
            d.writeShort(len);
        } else {
            d.writeByte(len);
        }
        value.writeTo(d);
        value.reset();
    }

    private static void asPath(DataOutputStream d, AsPath path) throws IOException {
        for (int s = 0; s < path.segmentCount(); s++) {
            int type = path.segmentType(s) == AsPathSegmentType.AS_SET ? 1 : 2;
            int[] as = path.segment(s);
            for (int from = 0; from < as.length; from += 255) {
                int n = Math.min(255, as.length - from);
                d.writeByte(type);
                d.writeByte(n);
                for (int i = from; i < from + n; i++) {
                    d.writeInt(as[i]);
                }
            }
        }
    }

    private static void address(DataOutputStream d, IpAddress a) throws IOException {
        if (a.afi() == Afi.IPV6) {
            d.writeLong(a.hi());
            d.writeLong(a.lo());
        } else {
            d.writeInt(a.ipv4Value());
        }
    }

    /** Prefix length, then the address bytes the length covers (RFC 4271 NLRI encoding). */
    private static void prefix(DataOutputStream d, Prefix p) throws IOException {
        int len = p.length();
        d.writeByte(len);
        int bytes = (len + 7) / 8;
        for (int i = 0; i < bytes; i++) {
            long word = p.afi() == Afi.IPV4 ? (long) p.ipv4Address() << 32 : i < 8 ? p.hi() : p.lo();
            d.writeByte((int) (word >>> (56 - 8 * (i % 8))));
        }
    }

    private void record(int subtype) throws IOException {
        out.writeInt((int) timestamp);
        out.writeShort(TABLE_DUMP_V2);
        out.writeShort(subtype);
        out.writeInt(bodyBytes.size());
        bodyBytes.writeTo(out);
        bodyBytes.reset();
    }
}
