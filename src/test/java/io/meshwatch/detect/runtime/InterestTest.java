package io.meshwatch.detect.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.event.InterfaceCountersEvent;
import io.meshwatch.event.InterfaceStateEvent;
import io.meshwatch.event.ProbeResultEvent;
import io.meshwatch.inventory.InventoryReader;
import io.meshwatch.inventory.TestInventories;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Which telemetry becomes a fact: what the engine can read, nothing it would drop. */
class InterestTest {

    static final Instant T = Instant.parse("2026-12-07T05:00:00Z");

    @Test
    void interfacesCountOnlyAtACircuitsAEnd() throws Exception {
        var interest = DetectionService.Interest.of(InventoryReader.read(TestInventories.demo()), false);
        // dx-ash-use1: a = cx-ash eth1, z = tr-use1 eth1 (the engine reads only the A-end)
        assertTrue(interest.wants(new InterfaceStateEvent("cx-ash", T, "eth1", "down", "up")));
        assertTrue(interest.wants(new InterfaceCountersEvent("cx-ash", T, "eth1", 1L, 2L, null, null, 0L, 0L, null, null)));
        assertFalse(interest.wants(new InterfaceStateEvent("cx-ash", T, "eth9", "down", "up")));
        assertFalse(interest.wants(new InterfaceCountersEvent("cx-ash", T, "eth9", 1L, 2L, null, null, 0L, 0L, null, null)));
        assertFalse(interest.wants(new InterfaceStateEvent("tr-use1", T, "eth1", "down", "up")));
        assertFalse(interest.wants(new InterfaceStateEvent("nobody", T, "eth1", "down", "up")));
        // probes are judged by the engine (it counts those of unknown circuits)
        assertTrue(interest.wants(new ProbeResultEvent("cx-ash", T, "10.0.0.1", "nowhere", null, 1.0, 0.1, 0.0, 10,
                10)));
    }
}
