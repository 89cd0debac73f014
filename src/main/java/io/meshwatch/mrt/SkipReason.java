package io.meshwatch.mrt;

/**
 * Why the reader or the event mapping left something out. Each reason says whether it counts whole
 * MRT records, or smaller parts of one (a prefix, a RIB entry, an attribute segment).
 */
public enum SkipReason {
    /** The stream ended inside a 12-byte record header; reading stopped. */
    TRUNCATED_HEADER(true),
    /** The stream ended before the length the header announced; reading stopped. */
    TRUNCATED_RECORD(true),
    /** The header announced a length too large to be believed; reading stopped (no trusted boundary). */
    IMPLAUSIBLE_LENGTH(true),
    /** The underlying stream failed (e.g. a corrupt or cut gzip member); reading stopped. */
    IO_ERROR(true),
    /** MRT type not handled (e.g. OSPF, ISIS, or a corrupted type field); skipped by length. */
    UNKNOWN_TYPE(true),
    /** Known type but subtype not handled (RIB_GENERIC, multicast RIBs, ...); skipped by length. */
    UNSUPPORTED_SUBTYPE(true),
    /** The body did not decode; skipped by length. */
    MALFORMED(true),
    /** A RIB record came before any PEER_INDEX_TABLE. */
    NO_PEER_INDEX_TABLE(true),
    /** A RIB entry named a peer index outside the PEER_INDEX_TABLE (the entry is skipped). */
    UNKNOWN_PEER_INDEX(false),
    /** A prefix with host bits set beyond its length (the prefix is skipped). */
    HOST_BITS_SET(false),
    /**
     * An MP_REACH/MP_UNREACH attribute for an AFI/SAFI other than IPv4/IPv6 unicast or multicast
     * (e.g. VPN, flowspec); the attribute and its prefixes are skipped, one count per attribute.
     */
    UNSUPPORTED_AFI_SAFI(false),
    /**
     * An IPv4/IPv6 multicast (SAFI 2) prefix in MP_REACH/MP_UNREACH; canonical events model unicast
     * routing only. One count per prefix (bgpdump prints these like unicast ones).
     */
    MULTICAST_PREFIX(false),
    /** An AS_CONFED_SEQUENCE or AS_CONFED_SET segment, which canonical events cannot carry (dropped). */
    CONFED_SEGMENT(false),
    /** A STATE_CHANGE with an FSM code outside 1..6. */
    BAD_STATE(true);

    private final boolean wholeRecord;

    SkipReason(boolean wholeRecord) {
        this.wholeRecord = wholeRecord;
    }

    /** True when the reason counts skipped MRT records; false when it counts parts of records. */
    public boolean wholeRecord() {
        return wholeRecord;
    }
}
