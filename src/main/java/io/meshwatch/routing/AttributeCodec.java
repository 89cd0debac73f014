package io.meshwatch.routing;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Binary form of one {@link PathAttributes} for {@link RibSnapshot}: a flag byte, the origin, the
 * next hop, the optional 32-bit attributes present, the CLUSTER_LIST, the AS path segment by
 * segment and the three community kinds. Counts are varints. Stateless.
 */
final class AttributeCodec {

    private static final int LOCAL_PREF = 1;
    private static final int MED = 2;
    private static final int ORIGINATOR = 4;
    private static final int ATOMIC = 8;
    private static final int NEXT_HOP_V6 = 16;

    private AttributeCodec() {
    }

    static void write(DataOutput out, PathAttributes a) throws IOException {
        boolean v6 = a.nextHop().afi() == Afi.IPV6;
        int flags = (a.hasLocalPref() ? LOCAL_PREF : 0) | (a.hasMed() ? MED : 0)
                | (a.hasOriginatorId() ? ORIGINATOR : 0) | (a.atomicAggregate() ? ATOMIC : 0) | (v6 ? NEXT_HOP_V6 : 0);
        out.writeByte(flags);
        out.writeByte(a.origin().ordinal());
        if (v6) {
            out.writeLong(a.nextHopHi());
            out.writeLong(a.nextHopLo());
        } else {
            out.writeInt((int) a.nextHopLo());
        }
        if (a.hasLocalPref()) {
            out.writeInt((int) a.localPref());
        }
        if (a.hasMed()) {
            out.writeInt((int) a.med());
        }
        if (a.hasOriginatorId()) {
            out.writeInt(a.originatorId());
        }
        writeInts(out, a.clusterList());
        AsPath path = a.asPath();
        RibSnapshot.writeVarint(out, path.segmentCount());
        for (int s = 0; s < path.segmentCount(); s++) {
            out.writeByte(path.segmentType(s) == AsPathSegmentType.AS_SET ? 1 : 2);
            writeInts(out, path.segment(s));
        }
        Communities c = a.communities();
        writeInts(out, c.standard());
        long[] ext = c.extended();
        RibSnapshot.writeVarint(out, ext.length);
        for (long e : ext) {
            out.writeLong(e);
        }
        writeInts(out, c.large());
    }

    static PathAttributes read(DataInput in) throws IOException {
        int flags = in.readUnsignedByte();
        int origin = in.readUnsignedByte();
        if (origin >= Origin.values().length) {
            throw new IOException("bad origin " + origin + " in route table snapshot");
        }
        PathAttributes.Builder b = PathAttributes.builder().origin(Origin.ofOrdinal(origin));
        b.nextHop((flags & NEXT_HOP_V6) != 0 ? IpAddress.ipv6(in.readLong(), in.readLong()) : IpAddress.ipv4(in.readInt()));
        if ((flags & LOCAL_PREF) != 0) {
            b.localPref(in.readInt());
        }
        if ((flags & MED) != 0) {
            b.med(in.readInt());
        }
        if ((flags & ORIGINATOR) != 0) {
            b.originatorId(in.readInt());
        }
        b.atomicAggregate((flags & ATOMIC) != 0);
        b.clusterList(readInts(in));
        int segments = RibSnapshot.readCount(in);
        AsPath.Builder path = AsPath.builder();
        for (int s = 0; s < segments; s++) {
            int type = in.readUnsignedByte();
            int[] asns = readInts(in);
            if (type == 1) {
                path.set(asns);
            } else {
                path.sequence(asns);
            }
        }
        b.asPath(segments == 0 ? AsPath.EMPTY : path.build());
        int[] standard = readInts(in);
        long[] ext = new long[RibSnapshot.readCount(in)];
        for (int i = 0; i < ext.length; i++) {
            ext[i] = in.readLong();
        }
        return b.communities(standard, ext, readInts(in)).build();
    }

    private static void writeInts(DataOutput out, int[] values) throws IOException {
        RibSnapshot.writeVarint(out, values.length);
        for (int v : values) {
            out.writeInt(v);
        }
    }

    private static int[] readInts(DataInput in) throws IOException {
        int[] v = new int[RibSnapshot.readCount(in)];
        for (int i = 0; i < v.length; i++) {
            v[i] = in.readInt();
        }
        return v;
    }
}
