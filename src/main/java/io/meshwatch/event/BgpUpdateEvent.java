package io.meshwatch.event;

import java.time.Instant;
import java.util.List;

/**
 * One BGP UPDATE as a router received it from a peer: prefixes announced with one attribute set,
 * and prefixes withdrawn.
 *
 * @param rib        which RIB the update describes: {@code adj-in-pre}, {@code adj-in-post},
 *                   {@code loc-rib}, {@code adj-out-pre} or {@code adj-out-post}
 * @param attributes null when {@code announce} is empty
 */
public record BgpUpdateEvent(String router, Instant time, String vrf, String peer, long peerAs, String rib,
                             BgpAttributes attributes, List<Nlri> announce, List<Nlri> withdraw)
        implements CanonicalEvent {
    @Override
    public EventType type() {
        return EventType.BGP_UPDATE;
    }
}
