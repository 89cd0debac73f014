package io.meshwatch.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.meshwatch.inventory.Circuit;
import io.meshwatch.inventory.CircuitThresholds;
import io.meshwatch.inventory.Inventory;
import io.meshwatch.inventory.TunnelGroup;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The end-to-end tests' inventory is the demo network with shorter objectives and dwell times, nothing else. */
class SimTestInventoryTest {

    @Test
    void sameNetworkAsTheDemoWithShorterTimers() {
        Inventory demo = SimInventory.load(SimInventory.DEMO);
        Inventory e2e = SimInventory.load(SimTestProfile.INVENTORY);
        assertEquals(demo.routers(), e2e.routers());
        assertEquals(demo.prefixes(), e2e.prefixes());
        assertEquals(demo.circuits().stream().map(SimTestInventoryTest::withoutDwell).toList(),
                e2e.circuits().stream().map(SimTestInventoryTest::withoutDwell).toList());
        assertEquals(demo.tunnelGroups().stream().map(SimTestInventoryTest::withoutObjective).toList(),
                e2e.tunnelGroups().stream().map(SimTestInventoryTest::withoutObjective).toList());
        assertNotEquals(demo.tunnelGroups().get(0).failoverObjective(), e2e.tunnelGroups().get(0).failoverObjective());
    }

    private static Circuit withoutDwell(Circuit c) {
        CircuitThresholds t = c.thresholds();
        return new Circuit(c.id(), c.kind(), c.provider(), c.a(), c.z(), c.sessions(), new CircuitThresholds(
                t.latencyMs(), t.jitterMs(), t.lossPct(), t.retransmitPct(), t.downLossPct(), t.downProbes(),
                Duration.ZERO, t.clearRatio()));
    }

    private static TunnelGroup withoutObjective(TunnelGroup g) {
        return new TunnelGroup(g.id(), Duration.ZERO, g.tunnels());
    }
}
