package io.meshwatch.inventory;

/**
 * One end of a circuit.
 *
 * @param router    a router of the inventory, or null for an end outside the network (a cloud edge)
 * @param iface     the interface name on that router as its telemetry names it, or a description
 *                  of the far end when {@code router} is null
 */
public record Endpoint(String router, String iface) {
}
