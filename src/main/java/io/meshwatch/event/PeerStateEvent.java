package io.meshwatch.event;

import java.time.Instant;

/**
 * A BGP session changed state (or a collector restated it).
 *
 * @param vrf       VRF name or route distinguisher; {@code default} for the global table
 * @param peer      the neighbour's address in canonical text
 * @param peerAs    the neighbour's AS number (0..4294967295)
 * @param localAs   the router's own AS on this session, or null when the source does not say
 * @param reason    free text from the source (e.g. a NOTIFICATION or a BMP peer-down reason), or null
 * @param holdTime  the session's negotiated hold time in seconds (the smaller of the two OPENs'), or
 *                  null when the source does not say; meaningful on {@code established}
 * @param keepalive the keepalive interval in seconds the peer uses, or null when unknown (BGP
 *                  speakers usually send one every third of the hold time)
 * @param cause     why an established session closed, as a token (see {@link DownCause}), or null
 */
public record PeerStateEvent(String router, Instant time, String vrf, String peer, long peerAs, Long localAs,
                             BgpState state, String reason, Integer holdTime, Integer keepalive, DownCause cause)
        implements CanonicalEvent {

    /** An event without session timers or a structured cause. */
    public PeerStateEvent(String router, Instant time, String vrf, String peer, long peerAs, Long localAs,
                          BgpState state, String reason) {
        this(router, time, vrf, peer, peerAs, localAs, state, reason, null, null, null);
    }

    @Override
    public EventType type() {
        return EventType.BGP_PEER_STATE;
    }
}
