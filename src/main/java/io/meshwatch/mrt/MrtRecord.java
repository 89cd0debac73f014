package io.meshwatch.mrt;

import io.meshwatch.bgp.UpdateMessage.Announce;
import io.meshwatch.event.BgpAttributes;
import io.meshwatch.event.Nlri;
import io.meshwatch.routing.Afi;
import io.meshwatch.routing.Prefix;
import java.time.Instant;
import java.util.List;

/**
 * One decoded MRT record that carries routing information. PEER_INDEX_TABLE records are consumed
 * by the reader and never returned. Immutable.
 */
public sealed interface MrtRecord {

    /** Byte offset of the record header in the uncompressed MRT stream. */
    long offset();

    /** Header timestamp (plus the microseconds of an {@code _ET} record). */
    Instant time();

    /**
     * A RIB record (TABLE_DUMP or TABLE_DUMP_V2): one prefix and the paths of each peer for it.
     *
     * @param addPath whether the record is an {@code *_ADDPATH} subtype (entries carry path ids)
     */
    record Rib(long offset, Instant time, Prefix prefix, boolean addPath, List<RibEntry> entries)
            implements MrtRecord {
    }

    /**
     * One peer's path for the prefix of a {@link Rib}.
     *
     * @param pathId ADD-PATH path identifier, 0 when the dump is not ADD-PATH
     */
    record RibEntry(String peer, long peerAs, Instant originated, long pathId, BgpAttributes attributes) {
    }

    /**
     * A BGP UPDATE (BGP4MP or BGP4MP_ET MESSAGE*).
     *
     * @param local       whether the router sent it ({@code *_LOCAL} subtypes) rather than received it
     * @param announces   announced prefixes grouped by attribute set (one group per next hop)
     * @param withdraw    withdrawn prefixes, from the withdrawn routes field and MP_UNREACH_NLRI
     * @param endOfRib    the address family this UPDATE marks End-of-RIB for (RFC 4724), or null
     */
    record Update(long offset, Instant time, String peer, long peerAs, long localAs, boolean local,
                  List<Announce> announces, List<Nlri> withdraw, Afi endOfRib) implements MrtRecord {
    }

    /**
     * A BGP4MP STATE_CHANGE.
     *
     * @param oldState FSM code 1..6 (RFC 6396 section 4.4.1)
     * @param newState FSM code 1..6
     */
    record StateChange(long offset, Instant time, String peer, long peerAs, long localAs, int oldState,
                       int newState) implements MrtRecord {
    }
}
