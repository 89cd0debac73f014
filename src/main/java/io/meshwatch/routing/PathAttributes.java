package io.meshwatch.routing;

import java.util.Arrays;

/**
 * The path attributes of one BGP announcement. Immutable, value-based {@code equals/hashCode},
 * built with {@link #builder()}.
 *
 * <p>Layout is kept small because a table holds hundreds of thousands of distinct sets: primitive
 * fields, a flag byte for optional attributes, the next hop as two longs (IPv4 in the low 32 bits
 * of the low word, as in {@link IpAddress}), and the AS path and communities as shared, interned
 * objects. LOCAL_PREF, MED and the originator id are unsigned 32-bit values stored in ints.
 */
public final class PathAttributes {

    /** LOCAL_PREF the decision process assumes when the attribute is absent. */
    public static final long DEFAULT_LOCAL_PREF = 100;

    private static final int[] NO_CLUSTERS = new int[0];
    private static final byte HAS_LOCAL_PREF = 1;
    private static final byte HAS_MED = 2;
    private static final byte HAS_ORIGINATOR = 4;
    private static final byte ATOMIC_AGGREGATE = 8;
    private static final byte NEXT_HOP_V6 = 16;

    private final byte origin;
    private final byte flags;
    private final AsPath asPath;
    private final Communities communities;
    private final int[] clusterList;
    private final long nextHopHi;
    private final long nextHopLo;
    private final int localPref;
    private final int med;
    private final int originatorId;
    private final int hash;

    private PathAttributes(Builder b, AsPath asPath, Communities communities) {
        this.origin = (byte) b.origin.ordinal();
        this.flags = b.flags;
        this.asPath = asPath;
        this.communities = communities;
        this.clusterList = b.clusterList;
        this.nextHopHi = b.nextHopHi;
        this.nextHopLo = b.nextHopLo;
        this.localPref = b.localPref;
        this.med = b.med;
        this.originatorId = b.originatorId;
        int h = origin * 31 + flags;
        h = h * 31 + asPath.hashCode();
        h = h * 31 + communities.hashCode();
        h = h * 31 + Arrays.hashCode(clusterList);
        h = h * 31 + Long.hashCode(nextHopHi * 0x9E3779B97F4A7C15L ^ nextHopLo);
        h = h * 31 + localPref;
        h = h * 31 + med;
        this.hash = h * 31 + originatorId;
    }

    /** Same attributes with the AS path and communities replaced by equal (interned) instances. */
    PathAttributes withShared(AsPath sharedPath, Communities sharedCommunities) {
        if (sharedPath == asPath && sharedCommunities == communities) {
            return this;
        }
        return new PathAttributes(toBuilder(), sharedPath, sharedCommunities);
    }

    /** A new builder: origin IGP, empty AS path, next hop 0.0.0.0, no optional attributes. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialised from these attributes. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.origin = origin();
        b.flags = flags;
        b.asPath = asPath;
        b.communities = communities;
        b.clusterList = clusterList;
        b.nextHopHi = nextHopHi;
        b.nextHopLo = nextHopLo;
        b.localPref = localPref;
        b.med = med;
        b.originatorId = originatorId;
        return b;
    }

    public Origin origin() {
        return Origin.ofOrdinal(origin);
    }

    public AsPath asPath() {
        return asPath;
    }

    public Communities communities() {
        return communities;
    }

    /** The next hop (allocates; see {@link #nextHopHi()} / {@link #nextHopLo()} for raw access). */
    public IpAddress nextHop() {
        return new IpAddress((flags & NEXT_HOP_V6) != 0 ? Afi.IPV6 : Afi.IPV4, nextHopHi, nextHopLo);
    }

    public long nextHopHi() {
        return nextHopHi;
    }

    public long nextHopLo() {
        return nextHopLo;
    }

    public boolean hasLocalPref() {
        return (flags & HAS_LOCAL_PREF) != 0;
    }

    /** LOCAL_PREF as unsigned; only meaningful when {@link #hasLocalPref()}. */
    public long localPref() {
        return Integer.toUnsignedLong(localPref);
    }

    /** LOCAL_PREF for the decision process: the attribute, or {@value #DEFAULT_LOCAL_PREF} when absent. */
    public long effectiveLocalPref() {
        return hasLocalPref() ? Integer.toUnsignedLong(localPref) : DEFAULT_LOCAL_PREF;
    }

    public boolean hasMed() {
        return (flags & HAS_MED) != 0;
    }

    /** MULTI_EXIT_DISC as unsigned, 0 when absent (the RFC 4271 default). */
    public long med() {
        return hasMed() ? Integer.toUnsignedLong(med) : 0;
    }

    public boolean hasOriginatorId() {
        return (flags & HAS_ORIGINATOR) != 0;
    }

    /** ORIGINATOR_ID as an IPv4 int; only meaningful when {@link #hasOriginatorId()}. */
    public int originatorId() {
        return originatorId;
    }

    public int clusterListLength() {
        return clusterList.length;
    }

    /** A copy of the CLUSTER_LIST. */
    public int[] clusterList() {
        return clusterList.clone();
    }

    public boolean atomicAggregate() {
        return (flags & ATOMIC_AGGREGATE) != 0;
    }

    @Override
    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        return o instanceof PathAttributes p && p.hash == hash && p.origin == origin && p.flags == flags
                && p.nextHopHi == nextHopHi && p.nextHopLo == nextHopLo && p.localPref == localPref
                && p.med == med && p.originatorId == originatorId && p.asPath.equals(asPath)
                && p.communities.equals(communities) && Arrays.equals(p.clusterList, clusterList);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("PathAttributes{origin=").append(origin())
                .append(", asPath=[").append(asPath).append("], nextHop=").append(nextHop());
        if (hasLocalPref()) {
            sb.append(", localPref=").append(localPref());
        }
        if (hasMed()) {
            sb.append(", med=").append(med());
        }
        if (!communities.isEmpty()) {
            sb.append(", communities=[").append(communities).append(']');
        }
        if (hasOriginatorId()) {
            sb.append(", originatorId=").append(Addresses.formatIpv4(originatorId));
        }
        if (clusterList.length > 0) {
            sb.append(", clusterList=").append(clusterList.length);
        }
        return sb.append(atomicAggregate() ? ", atomicAggregate}" : "}").toString();
    }

    /** Mutable builder for {@link PathAttributes}. Not thread-safe. */
    public static final class Builder {
        private Origin origin = Origin.IGP;
        private byte flags;
        private AsPath asPath = AsPath.EMPTY;
        private Communities communities = Communities.NONE;
        private int[] clusterList = NO_CLUSTERS;
        private long nextHopHi;
        private long nextHopLo;
        private int localPref;
        private int med;
        private int originatorId;

        private Builder() {
        }

        public Builder origin(Origin value) {
            this.origin = Prefix.require(value, "origin");
            return this;
        }

        public Builder asPath(AsPath value) {
            this.asPath = Prefix.require(value, "asPath");
            return this;
        }

        public Builder nextHop(IpAddress value) {
            Prefix.require(value, "nextHop");
            nextHopHi = value.hi();
            nextHopLo = value.lo();
            flags = (byte) (value.afi() == Afi.IPV6 ? flags | NEXT_HOP_V6 : flags & ~NEXT_HOP_V6);
            return this;
        }

        /** Sets LOCAL_PREF (unsigned 32-bit in an int). */
        public Builder localPref(int value) {
            localPref = value;
            flags |= HAS_LOCAL_PREF;
            return this;
        }

        /** Sets MED (unsigned 32-bit in an int). */
        public Builder med(int value) {
            med = value;
            flags |= HAS_MED;
            return this;
        }

        public Builder originatorId(int value) {
            originatorId = value;
            flags |= HAS_ORIGINATOR;
            return this;
        }

        public Builder clusterList(int... ids) {
            clusterList = ids.length == 0 ? NO_CLUSTERS : ids.clone();
            return this;
        }

        public Builder atomicAggregate(boolean value) {
            flags = (byte) (value ? flags | ATOMIC_AGGREGATE : flags & ~ATOMIC_AGGREGATE);
            return this;
        }

        public Builder communities(Communities value) {
            communities = Prefix.require(value, "communities");
            return this;
        }

        /** Sets all three community kinds; see {@link Communities#of}. */
        public Builder communities(int[] standard, long[] extended, int[] large) {
            communities = Communities.of(standard, extended, large);
            return this;
        }

        public PathAttributes build() {
            return new PathAttributes(this, asPath, communities);
        }
    }
}
