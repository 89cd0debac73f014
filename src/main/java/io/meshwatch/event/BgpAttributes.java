package io.meshwatch.event;

import java.util.List;

/**
 * Path attributes of an announcement, as carried in a canonical {@code bgp.update}.
 *
 * @param origin         {@code igp}, {@code egp} or {@code incomplete}
 * @param asPath         the AS path; each element is an AS_SEQUENCE member ({@link Long}) or an
 *                       AS_SET ({@code List<Long>})
 * @param nextHop        next-hop address in canonical text
 * @param localPref      LOCAL_PREF or null
 * @param med            MULTI_EXIT_DISC or null
 * @param communities    RFC 1997 communities as {@code asn:value}
 * @param largeCommunities RFC 8092 large communities as {@code global:local1:local2}
 * @param extCommunities RFC 4360 extended communities, text as the source wrote it
 * @param originatorId   ORIGINATOR_ID or null
 * @param clusterList    CLUSTER_LIST, router ids in canonical text
 * @param atomicAggregate whether ATOMIC_AGGREGATE was present
 */
public record BgpAttributes(String origin, List<Object> asPath, String nextHop, Long localPref, Long med,
                            List<String> communities, List<String> largeCommunities, List<String> extCommunities,
                            String originatorId, List<String> clusterList, boolean atomicAggregate) {

    /** Null lists mean none, so that every value has one form and encoding round-trips. */
    public BgpAttributes {
        asPath = asPath == null ? List.of() : asPath;
        communities = communities == null ? List.of() : communities;
        largeCommunities = largeCommunities == null ? List.of() : largeCommunities;
        extCommunities = extCommunities == null ? List.of() : extCommunities;
        clusterList = clusterList == null ? List.of() : clusterList;
    }
}
