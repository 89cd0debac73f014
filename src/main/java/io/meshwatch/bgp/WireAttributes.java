package io.meshwatch.bgp;

import io.meshwatch.event.BgpAttributes;
import io.meshwatch.event.Nlri;
import io.meshwatch.routing.Afi;
import java.util.ArrayList;
import java.util.List;

/**
 * The path attributes of one UPDATE or RIB entry as decoded, before they become canonical
 * {@link BgpAttributes}. Filled by {@link AttributeDecoder}, read through its accessors; not
 * thread-safe.
 */
public final class WireAttributes {

    /** AS_TRANS (RFC 6793). */
    static final long AS_TRANS = 23456;

    String origin;
    List<Object> asPath = new ArrayList<>();
    List<Object> as4Path;
    String nextHop;
    Long localPref;
    Long med;
    List<String> communities = List.of();
    List<String> largeCommunities = List.of();
    List<String> extCommunities = List.of();
    String originatorId;
    List<String> clusterList = List.of();
    boolean atomicAggregate;
    long aggregatorAs = -1;
    boolean as4Aggregator;

    Afi mpReachAfi;
    int mpReachSafi;
    String mpNextHop;
    List<Nlri> mpReach = List.of();
    List<String> mpReachRds;
    Afi mpUnreachAfi;
    int mpUnreachSafi;
    List<Nlri> mpUnreach = List.of();
    List<String> mpUnreachRds;
    boolean mpUnreachEndOfRib;
    int count;

    /** NEXT_HOP (IPv4) or null. */
    public String nextHop() {
        return nextHop;
    }

    /** Family of MP_REACH_NLRI, null when absent or dropped. */
    public Afi mpReachAfi() {
        return mpReachAfi;
    }

    /** SAFI of MP_REACH_NLRI (1 unicast, 4 labeled unicast, 128 VPN) when {@link #mpReachAfi()} is set. */
    public int mpReachSafi() {
        return mpReachSafi;
    }

    /** The global next hop of MP_REACH_NLRI (the route distinguisher of a VPN next hop dropped). */
    public String mpNextHop() {
        return mpNextHop;
    }

    /** Prefixes of MP_REACH_NLRI (empty when absent). */
    public List<Nlri> mpReach() {
        return mpReach;
    }

    /** For a VPN MP_REACH_NLRI, the route distinguisher of each of {@link #mpReach()}; else null. */
    public List<String> mpReachRds() {
        return mpReachRds;
    }

    /** Family of MP_UNREACH_NLRI, null when absent or dropped. */
    public Afi mpUnreachAfi() {
        return mpUnreachAfi;
    }

    public int mpUnreachSafi() {
        return mpUnreachSafi;
    }

    /** Prefixes of MP_UNREACH_NLRI (empty when absent). */
    public List<Nlri> mpUnreach() {
        return mpUnreach;
    }

    /** For a VPN MP_UNREACH_NLRI, the route distinguisher of each of {@link #mpUnreach()}; else null. */
    public List<String> mpUnreachRds() {
        return mpUnreachRds;
    }

    /** MP_UNREACH_NLRI held only AFI and SAFI: an End-of-RIB marker (RFC 4724) when it is alone. */
    public boolean mpUnreachEndOfRib() {
        return mpUnreachEndOfRib;
    }

    /** Number of attributes seen; 0 for an UPDATE without any. */
    public int count() {
        return count;
    }

    /**
     * The AS path to publish: for a 2-byte session with AS4_PATH, the RFC 6793 section 4.2.3 merge
     * (the leading ASes of AS_PATH that AS4_PATH does not cover, then AS4_PATH); AS4_PATH is ignored
     * when it is longer than AS_PATH or when AGGREGATOR is not AS_TRANS but AS4_AGGREGATOR exists.
     * Elements count one per AS_SEQUENCE member and one per AS_SET, as the RFC counts them.
     */
    List<Object> effectiveAsPath() {
        if (as4Path == null) {
            return asPath;
        }
        if (aggregatorAs >= 0 && aggregatorAs != AS_TRANS && as4Aggregator) {
            return asPath;
        }
        int n = asPath.size();
        int m = as4Path.size();
        if (n < m) {
            return asPath;
        }
        List<Object> merged = new ArrayList<>(n);
        merged.addAll(asPath.subList(0, n - m));
        merged.addAll(as4Path);
        return merged;
    }

    /** Canonical attributes with the given next hop; origin defaults to {@code incomplete} if absent. */
    public BgpAttributes toCanonical(String hop) {
        return new BgpAttributes(origin == null ? "incomplete" : origin, List.copyOf(effectiveAsPath()), hop,
                localPref, med, communities, largeCommunities, extCommunities, originatorId, clusterList,
                atomicAggregate);
    }
}
