package io.meshwatch.bgp;

/**
 * What the BGP wire decoder could not use. {@link #MALFORMED} aborts the message being decoded
 * (thrown in a {@link BgpWireException}); the others drop one part of it and are reported through
 * an {@link IssueReporter} while decoding goes on.
 */
public enum WireIssue {
    /** The bytes do not follow RFC 4271 / 4760 (cut field, bad length, unknown code). */
    MALFORMED,
    /** A prefix with host bits set beyond its length (the prefix is dropped). */
    HOST_BITS_SET,
    /** MP_REACH/MP_UNREACH of an AFI/SAFI the caller did not ask for (the attribute is dropped). */
    UNSUPPORTED_AFI_SAFI,
    /** An IPv4/IPv6 multicast (SAFI 2) prefix (dropped: canonical events model unicast routing). */
    MULTICAST_PREFIX,
    /** An AS_CONFED_SEQUENCE or AS_CONFED_SET segment (dropped: canonical events cannot carry it). */
    CONFED_SEGMENT
}
