package io.meshwatch.bgp;

/**
 * Which address families carry ADD-PATH path identifiers (RFC 7911) in the NLRI being decoded.
 * Implementations are immutable.
 */
@FunctionalInterface
public interface AddPath {

    /** No family carries path ids. */
    AddPath NONE = (afi, safi) -> false;
    /** Every family carries path ids (an MRT {@code *_ADDPATH} record). */
    AddPath ALL = (afi, safi) -> true;

    /** Whether prefixes of this AFI (1 IPv4, 2 IPv6) and SAFI are preceded by a path id. */
    boolean has(int afi, int safi);
}
