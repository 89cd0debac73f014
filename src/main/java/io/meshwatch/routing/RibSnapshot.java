package io.meshwatch.routing;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.IdentityHashMap;
import java.util.Comparator;
import java.util.function.Consumer;

/**
 * Binary export and import of a whole {@link RouteTable}, and a digest of its content.
 *
 * <p>Format (version {@value #VERSION}; big-endian, {@code v} = unsigned LEB128 varint):
 * <pre>
 * byte version; int localAs
 * v peers; per peer: utf vrf, address, int peerAs, int bgpId, long upAt, long eorAt[ipv4], long eorAt[ipv6]
 * v attribute sets; per set: attributes (each distinct set once; paths refer to it by index)
 * v vrfs; per vrf: utf name; per family ipv4, ipv6: v prefixes; per prefix in prefix order:
 *     byte length, ceil(length / 8) address bytes, v reported (0 = none, else attribute index + 1),
 *     v paths; per path: v peer index, int path id, v attribute index
 * </pre>
 * Peer indices are positions in the peer list (the table's own indices, compacted, in order).
 * Compression is the caller's business (the stream is written through a deflater).
 *
 * <p>Threading: {@link #write} holds the table's read lock for the whole export, so the image is
 * one consistent state of the table; {@link #read} builds a new table no other thread can see yet.
 */
public final class RibSnapshot {

    /** Format version written first; {@link #read} refuses any other. */
    public static final int VERSION = 1;

    private static final Consumer<RouteDelta> IGNORE = d -> {
    };

    private RibSnapshot() {
    }

    /** Writes the table to {@code out} under its read lock. */
    public static void write(RouteTable table, DataOutput out) throws IOException {
        long stamp = table.lock().readLock();
        try {
            writeLocked(table, out);
        } finally {
            table.lock().unlockRead(stamp);
        }
    }

    private static void writeLocked(RouteTable table, DataOutput out) throws IOException {
        PeerRegistry peers = table.registry();
        AttributeInterner attrs = table.interner();
        out.writeByte(VERSION);
        out.writeInt(table.localAs());
        List<Integer> indices = peers.indices();
        int[] peerPos = new int[indices.isEmpty() ? 0 : indices.get(indices.size() - 1) + 1];
        writeVarint(out, indices.size());
        for (int k = 0; k < indices.size(); k++) {
            int i = indices.get(k);
            peerPos[i] = k;
            writePeer(out, peers.peer(i));
            out.writeLong(peers.upAt(i));
            out.writeLong(peers.endOfRibAt(i, Afi.IPV4));
            out.writeLong(peers.endOfRibAt(i, Afi.IPV6));
        }
        // pass 1: number the attribute sets in use, in order of first use (attrPos[id] = position + 1)
        List<String> vrfs = new ArrayList<>(table.vrfs());
        Numbering numbering = new Numbering(attrs);
        for (String vrf : vrfs) {
            for (RibTable rib : table.ribsForProbe(vrf)) {
                forEachPrefix(rib, id -> {
                    int[] t = rib.triplesOf(id);
                    for (int k = 0; t != null && k < t.length; k += 3) {
                        numbering.number(t[k + 2]);
                    }
                    if (rib.reportedOf(id) != 0) {
                        numbering.number(rib.reportedOf(id));
                    }
                });
            }
        }
        List<PathAttributes> distinct = numbering.distinct;
        writeVarint(out, distinct.size());
        for (PathAttributes a : distinct) {
            AttributeCodec.write(out, a);
        }
        // pass 2: the entries
        writeVarint(out, vrfs.size());
        int[] pos = numbering.pos;
        for (String vrf : vrfs) {
            out.writeUTF(vrf);
            for (RibTable rib : table.ribsForProbe(vrf)) {
                writeVarint(out, rib.index.size());
                IOException[] failed = new IOException[1];
                forEachPrefix(rib, id -> {
                    try {
                        writeEntry(out, rib, id, peerPos, pos);
                    } catch (IOException e) {
                        failed[0] = e;
                    }
                });
                if (failed[0] != null) {
                    throw failed[0];
                }
            }
        }
    }

    private static void writeEntry(DataOutput out, RibTable rib, int id, int[] peerPos, int[] attrPos)
            throws IOException {
        int len = rib.index.lenOf(id);
        out.writeByte(len);
        long hi = rib.index.hiOf(id);
        long lo = rib.index.loOf(id);
        int bytes = (len + 7) / 8;
        if (rib.index.afi() == Afi.IPV4) {
            for (int b = 0; b < bytes; b++) {
                out.writeByte((int) (lo >>> (24 - 8 * b)));
            }
        } else {
            for (int b = 0; b < bytes; b++) {
                out.writeByte((int) (b < 8 ? hi >>> (56 - 8 * b) : lo >>> (56 - 8 * (b - 8))));
            }
        }
        int reported = rib.reportedOf(id);
        writeVarint(out, reported == 0 ? 0 : attrPos[reported]);
        int[] t = rib.triplesOf(id);
        writeVarint(out, t == null ? 0 : t.length / 3);
        for (int k = 0; t != null && k < t.length; k += 3) {
            writeVarint(out, peerPos[t[k]]);
            out.writeInt(t[k + 1]);
            writeVarint(out, attrPos[t[k + 2]] - 1);
        }
    }

    /** Dense positions of the attribute ids in use, by interner id (position + 1; 0 = not seen). */
    private static final class Numbering {
        final AttributeInterner attrs;
        final List<PathAttributes> distinct = new ArrayList<>();
        int[] pos = new int[256];

        Numbering(AttributeInterner attrs) {
            this.attrs = attrs;
        }

        void number(int attrId) {
            if (attrId >= pos.length) {
                pos = Arrays.copyOf(pos, Math.max(attrId + 1, pos.length * 2));
            }
            if (pos[attrId] == 0) {
                distinct.add(attrs.get(attrId));
                pos[attrId] = distinct.size();
            }
        }
    }

    private static void forEachPrefix(RibTable rib, java.util.function.IntConsumer visitor) {
        rib.index.forEachFrom(0, 0, 0, true, id -> {
            visitor.accept(id);
            return true;
        });
    }

    // ------------------------------------------------------------------ read

    /** Builds a new table from what {@link #write} wrote; {@code clock} serves the table from now on. */
    public static RouteTable read(DataInput in, Clock clock) throws IOException {
        int version = in.readUnsignedByte();
        if (version != VERSION) {
            throw new IOException("route table snapshot format " + version + " is not supported (expected "
                    + VERSION + ")");
        }
        RouteTable table = new RouteTable(in.readInt(), clock);
        long stamp = table.lock().writeLock();
        try {
            PeerRegistry peers = table.registry();
            int[] peerIdx = new int[readCount(in)];
            for (int k = 0; k < peerIdx.length; k++) {
                Peer p = readPeer(in);
                int i = peers.register(p, in.readLong());
                peerIdx[k] = i;
                for (Afi afi : Afi.values()) {
                    long eor = in.readLong();
                    if (eor >= 0) {
                        peers.endOfRib(i, afi, eor);
                    }
                }
            }
            AttributeInterner attrs = table.interner();
            int[] attrIds = new int[readCount(in)];
            for (int k = 0; k < attrIds.length; k++) {
                attrIds[k] = attrs.acquire(AttributeCodec.read(in));
            }
            int vrfCount = readCount(in);
            for (int v = 0; v < vrfCount; v++) {
                String vrf = in.readUTF();
                for (Afi afi : Afi.values()) {
                    RibTable rib = table.ribForImport(vrf, afi);
                    int prefixes = readCount(in);
                    for (int n = 0; n < prefixes; n++) {
                        readEntry(in, rib, afi, peerIdx, attrIds);
                    }
                }
            }
            for (int id : attrIds) {
                attrs.release(id); // the paths now hold their own references
            }
        } finally {
            table.lock().unlockWrite(stamp);
        }
        return table;
    }

    private static void readEntry(DataInput in, RibTable rib, Afi afi, int[] peerIdx, int[] attrIds)
            throws IOException {
        int len = in.readUnsignedByte();
        int bytes = (len + 7) / 8;
        long hi = 0;
        long lo = 0;
        Prefix prefix;
        if (afi == Afi.IPV4) {
            for (int b = 0; b < bytes; b++) {
                lo |= (long) in.readUnsignedByte() << (24 - 8 * b);
            }
            prefix = Prefix.ipv4((int) lo, len);
        } else {
            for (int b = 0; b < bytes; b++) {
                long v = in.readUnsignedByte();
                if (b < 8) {
                    hi |= v << (56 - 8 * b);
                } else {
                    lo |= v << (56 - 8 * (b - 8));
                }
            }
            prefix = Prefix.ipv6(hi, lo, len);
        }
        int reported = readVarint(in);
        int paths = readCount(in);
        for (int k = 0; k < paths; k++) {
            int peer = peerIdx[readVarint(in)];
            int pathId = in.readInt();
            rib.announce(peer, pathId, attrIds[readVarint(in)], prefix, IGNORE);
        }
        if (reported != 0) {
            rib.announceReported(attrIds[reported - 1], prefix, IGNORE);
        }
    }

    // ------------------------------------------------------------------ digest

    /**
     * SHA-256 (hex) over lines describing every peer with its route counts and whether it sent
     * End-of-RIB (sorted), then, prefix by prefix (VRFs by name, each family's prefixes in the
     * prefix index's order), every received path
     * {@code (vrf, prefix, peer, path id, attributes)} (sorted) and the effective and computed best
     * path with its reason. Times are left out (they are the processing clock's), so two tables built
     * from the same events have the same digest.
     *
     * <p>Streamed: the prefixes are hashed one by one in the index's order, each attribute set's
     * text made once (they are interned), so a full table (over a million paths) is hashed in
     * seconds without holding millions of lines (the first version sorted every line as a string:
     * about 9 GB allocated and tens of seconds for 2.5M paths, so a digest call timed out on an
     * instance that had just restored a full table).
     */
    public static String digest(RouteTable table) {
        // copy the (immutable) paths under the lock, format and hash outside it
        record Entry(String vrf, Prefix prefix, List<Path> paths, BestRoute best, BestRoute computed) {
        }
        List<String> peerLines = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        long stamp = table.lock().readLock();
        try {
            PeerRegistry peers = table.registry();
            for (int i : peers.indices()) {
                peerLines.add("N " + peers.peer(i) + " " + peers.routes(i, Afi.IPV4) + " " + peers.routes(i, Afi.IPV6)
                        + " " + (peers.endOfRibAt(i, Afi.IPV4) >= 0) + " " + (peers.endOfRibAt(i, Afi.IPV6) >= 0));
            }
            // VRFs by name; within one, each family's prefixes in the index's own (prefix) order: the
            // order depends on the content only, so no sort of a million entries is needed
            for (String vrf : new java.util.TreeSet<>(table.vrfs())) {
                for (RibTable rib : table.ribsForProbe(vrf)) {
                    forEachPrefix(rib, id -> entries.add(new Entry(vrf, rib.index.prefix(id), rib.paths(id),
                            rib.bestRoute(id), rib.computedBest(id))));
                }
            }
        } finally {
            table.lock().unlockRead(stamp);
        }
        peerLines.sort(null);
        LineHash hash = new LineHash();
        for (String line : peerLines) {
            hash.sb.append(line);
            hash.line();
        }
        Map<PathAttributes, String> texts = new IdentityHashMap<>();
        Map<Peer, String> peerTexts = new IdentityHashMap<>();
        Comparator<Path> order = Comparator.comparing((Path p) -> peerTexts.computeIfAbsent(p.peer(), Peer::toString))
                .thenComparingInt(p -> p.pathId() ^ Integer.MIN_VALUE) // unsigned
                .thenComparing(p -> texts.computeIfAbsent(p.attributes(), RibSnapshot::text));
        List<Path> paths = new ArrayList<>();
        StringBuilder sb = hash.sb;
        for (Entry e : entries) {
            String key = "'" + e.vrf() + "' " + e.prefix();
            paths.clear();
            paths.addAll(e.paths());
            if (paths.size() > 1) {
                paths.sort(order);
            }
            for (Path p : paths) {
                sb.append("P ").append(key).append(' ').append(peerTexts.computeIfAbsent(p.peer(), Peer::toString))
                        .append(' ').append(Integer.toUnsignedString(p.pathId())).append(' ')
                        .append(texts.computeIfAbsent(p.attributes(), RibSnapshot::text));
                hash.line();
            }
            sb.append("B ").append(key).append(' ');
            best(sb, e.best(), texts, peerTexts);
            hash.line();
            sb.append("C ").append(key).append(' ');
            best(sb, e.computed(), texts, peerTexts);
            hash.line();
        }
        return HexFormat.of().formatHex(hash.sha.digest());
    }

    /** SHA-256 over lines written into {@link #sb}, one reused builder. */
    private static final class LineHash {
        final StringBuilder sb = new StringBuilder(512);
        final MessageDigest sha;

        LineHash() {
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Hashes the line in {@link #sb} (UTF-8) and a newline, and empties it. */
        void line() {
            sb.append('\n');
            // a compact (Latin-1) string encodes to UTF-8 by an array copy when it is ASCII: far faster
            // than an encoder walking the builder char by char
            sha.update(sb.toString().getBytes(StandardCharsets.UTF_8));
            sb.setLength(0);
        }
    }

    private static void best(StringBuilder sb, BestRoute b, Map<PathAttributes, String> texts,
                             Map<Peer, String> peerTexts) {
        if (b == null) {
            sb.append('-');
            return;
        }
        Path p = b.path();
        if (p.isReported()) {
            sb.append("reported");
        } else {
            sb.append(peerTexts.computeIfAbsent(p.peer(), Peer::toString)).append(' ')
                    .append(Integer.toUnsignedString(p.pathId()));
        }
        sb.append(' ').append(b.reason()).append(' ').append(texts.computeIfAbsent(p.attributes(), RibSnapshot::text));
    }

    /** Every attribute in full (the CLUSTER_LIST too, which {@link PathAttributes#toString} only counts). */
    static String text(PathAttributes a) {
        return a.origin() + " [" + a.asPath() + "] " + a.nextHop()
                + " lp=" + (a.hasLocalPref() ? Long.toString(a.localPref()) : "-")
                + " med=" + (a.hasMed() ? Long.toString(a.med()) : "-")
                + " orig=" + (a.hasOriginatorId() ? Addresses.formatIpv4(a.originatorId()) : "-")
                + " clusters=" + Arrays.toString(a.clusterList()) + " atomic=" + a.atomicAggregate()
                + " comm=[" + a.communities() + "]";
    }

    // ------------------------------------------------------------------ peers and varints

    static void writePeer(DataOutput out, Peer p) throws IOException {
        out.writeUTF(p.vrf());
        writeAddress(out, p.address());
        out.writeInt(p.peerAs());
        out.writeInt(p.bgpId());
    }

    static Peer readPeer(DataInput in) throws IOException {
        return new Peer(in.readUTF(), readAddress(in), in.readInt(), in.readInt());
    }

    static void writeAddress(DataOutput out, IpAddress a) throws IOException {
        if (a.afi() == Afi.IPV4) {
            out.writeByte(4);
            out.writeInt(a.ipv4Value());
        } else {
            out.writeByte(6);
            out.writeLong(a.hi());
            out.writeLong(a.lo());
        }
    }

    static IpAddress readAddress(DataInput in) throws IOException {
        int kind = in.readUnsignedByte();
        return switch (kind) {
            case 4 -> IpAddress.ipv4(in.readInt());
            case 6 -> IpAddress.ipv6(in.readLong(), in.readLong());
            default -> throw new IOException("bad address kind " + kind + " in route table snapshot");
        };
    }

    static void writeVarint(DataOutput out, int value) throws IOException {
        int v = value;
        while ((v & ~0x7F) != 0) {
            out.writeByte((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.writeByte(v);
    }

    static int readVarint(DataInput in) throws IOException {
        int v = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = in.readUnsignedByte();
            v |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IOException("varint too long in route table snapshot");
    }

    /** A count, checked to be non-negative and plausible, so a corrupt image fails instead of allocating. */
    static int readCount(DataInput in) throws IOException {
        int n = readVarint(in);
        if (n < 0 || n > 100_000_000) {
            throw new IOException("implausible count " + n + " in route table snapshot");
        }
        return n;
    }
}
