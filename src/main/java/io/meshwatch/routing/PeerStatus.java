package io.meshwatch.routing;

import java.time.Instant;

/**
 * A peer of a router with its route counts per family and when it was first seen and sent
 * End-of-RIB per family ({@code null} until received).
 */
public record PeerStatus(Peer peer, int ipv4Routes, int ipv6Routes, Instant firstSeen,
        Instant ipv4EndOfRib, Instant ipv6EndOfRib) {
}
