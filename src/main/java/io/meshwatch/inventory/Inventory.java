package io.meshwatch.inventory;

import java.util.List;

/**
 * What the operator tells Meshwatch about the network: its routers, the circuits between them and
 * the clouds, the IPSec tunnel groups that back the circuits, and the prefixes that matter.
 * Immutable; a new inventory replaces the old one as a whole. The YAML and JSON form is documented
 * in {@code docs/inventory.md}.
 */
public record Inventory(List<Router> routers, List<Circuit> circuits, List<TunnelGroup> tunnelGroups,
                        List<WatchedPrefix> prefixes) {

    public Inventory {
        routers = List.copyOf(routers);
        circuits = List.copyOf(circuits);
        tunnelGroups = List.copyOf(tunnelGroups);
        prefixes = List.copyOf(prefixes);
    }

    /** An inventory that names nothing: Meshwatch still tracks what it sees, without inventory context. */
    public static Inventory empty() {
        return new Inventory(List.of(), List.of(), List.of(), List.of());
    }
}
