package io.meshwatch.event;

import java.time.Instant;

/**
 * State of an IPSec tunnel as the router or a cloud poller sees it.
 *
 * @param state  {@code up} or {@code down}
 * @param signal where the state came from: {@code ike}, {@code aws_tunnel_state},
 *               {@code azure_bgp_peer_status}, {@code gcp_vpn_status} or {@code other}
 */
public record TunnelStateEvent(String router, Instant time, String tunnel, String state, String signal,
                               Long bytesIn, Long bytesOut) implements CanonicalEvent {
    @Override
    public EventType type() {
        return EventType.IPSEC_TUNNEL_STATE;
    }
}
