package io.meshwatch.routing;

/** Type of an AS_PATH segment (RFC 4271 section 4.3). Confederation segments are not modelled. */
public enum AsPathSegmentType {
    /** Unordered set of ASes, e.g. from aggregation; counts as one hop for the decision process. */
    AS_SET,
    /** Ordered sequence of ASes, nearest first. */
    AS_SEQUENCE
}
