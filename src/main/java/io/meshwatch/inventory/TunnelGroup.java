package io.meshwatch.inventory;

import java.time.Duration;
import java.util.List;

/**
 * Redundant IPSec tunnels of which one carries traffic: normally the primary (often over a
 * circuit), the backup (usually over the internet) when the primary fails.
 *
 * @param id                unique id, for example {@code vpn-ash-use1}
 * @param failoverObjective how long a failover from primary to backup may take
 * @param tunnels           its tunnels: exactly one primary and at least one backup
 */
public record TunnelGroup(String id, Duration failoverObjective, List<Tunnel> tunnels) {

    public TunnelGroup {
        tunnels = List.copyOf(tunnels);
    }
}
