package io.meshwatch.detect;

import io.meshwatch.inventory.TunnelRole;
import java.time.Duration;
import java.util.List;

/**
 * What detection knows of one tunnel group: which tunnel carries traffic, each tunnel's status,
 * and the last failover and failback with their measured durations.
 *
 * @param carrying     id of the tunnel that carries traffic, or null when unknown or all are down
 * @param allDown      true while {@code IpsecTunnelGroupDown} fires
 * @param inProgress   the failover or failback under way (not ended), or null
 * @param lastFailover the last ended failover (completed or abandoned), or null
 * @param lastFailback the last completed failback, or null
 */
public record TunnelGroupView(String id, Duration objective, GroupPhase phase, String carrying, boolean allDown,
                              List<TunnelView> tunnels, Switchover inProgress, Switchover lastFailover,
                              Switchover lastFailback) {

    public TunnelGroupView {
        tunnels = List.copyOf(tunnels);
    }

    /**
     * One tunnel of the group.
     *
     * @param tunnelState its last reported tunnel state ({@code up}, {@code down}) or null
     * @param bytes       its last reported byte counters, in plus out, or null
     * @param router      the router that terminates it
     * @param staleSince  when that router's feed was lost (its state here is as last reported), or null
     */
    public record TunnelView(String id, TunnelRole role, String circuit, TunnelStatus status, String tunnelState,
                             Long bytes, String router, java.time.Instant staleSince) {
    }
}
