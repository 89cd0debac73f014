package io.meshwatch.event;

import io.meshwatch.routing.Afi;
import java.time.Instant;

/** The peer finished sending its initial table for an address family (RFC 4724 End-of-RIB). */
public record EndOfRibEvent(String router, Instant time, String vrf, String peer, long peerAs, Afi afi)
        implements CanonicalEvent {
    @Override
    public EventType type() {
        return EventType.BGP_END_OF_RIB;
    }
}
