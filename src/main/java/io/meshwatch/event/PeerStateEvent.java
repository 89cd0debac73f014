package io.meshwatch.event;

import java.time.Instant;

/**
 * A BGP session changed state (or a collector restated it).
 *
 * @param vrf      VRF name or route distinguisher; {@code default} for the global table
 * @param peer     the neighbour's address in canonical text
 * @param peerAs   the neighbour's AS number (0..4294967295)
 * @param localAs  the router's own AS on this session, or null when the source does not say
 * @param reason   free text from the source (e.g. a NOTIFICATION or a BMP peer-down reason), or null
 */
public record PeerStateEvent(String router, Instant time, String vrf, String peer, long peerAs, Long localAs,
                             BgpState state, String reason) implements CanonicalEvent {
    @Override
    public EventType type() {
        return EventType.BGP_PEER_STATE;
    }
}
