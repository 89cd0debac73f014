package io.meshwatch.sim;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The simulator on, playing the demo network ({@link #INVENTORY}: short objectives and dwell times)
 * with small tables, short timers and short detection windows, so that every scenario plays out,
 * is detected and resolves in a few seconds against the real broker and database. Every {@code @QuarkusTest} with this profile shares one service (and
 * one simulator); each test leaves the network restored.
 */
public class SimTestProfile implements QuarkusTestProfile {

    static final String INVENTORY = "classpath:inventory/sim-e2e.yaml";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("meshwatch.sim.enabled", "true"),
                Map.entry("meshwatch.sim.inventory", INVENTORY),
                // detection reads the same network, with its short objectives and dwell times
                Map.entry("meshwatch.inventory.file", INVENTORY),
                Map.entry("meshwatch.sim.extra-prefixes", "20"),
                Map.entry("meshwatch.sim.rate", "0"),
                Map.entry("meshwatch.sim.hold-time", "1s"),
                Map.entry("meshwatch.sim.dpd-timeout", "300ms"),
                Map.entry("meshwatch.sim.ike-setup", "200ms"),
                Map.entry("meshwatch.sim.bgp-setup", "300ms"),
                Map.entry("meshwatch.sim.probe-interval", "250ms"),
                Map.entry("meshwatch.sim.telemetry-interval", "500ms"),
                Map.entry("meshwatch.sim.scenario-duration", "2500ms"),
                Map.entry("meshwatch.sim.full-table.ipv4", "20000"),
                Map.entry("meshwatch.sim.full-table.ipv6", "5000"),
                // detection on the same short scale: a lost prefix alarms after 1 s, flapping is
                // counted over 10 s (so two scenarios on one session do not add up) and ends after 2 s quiet
                Map.entry("meshwatch.detect.prefix-debounce", "1s"),
                Map.entry("meshwatch.detect.flap-window", "10s"),
                Map.entry("meshwatch.detect.flap-quiet", "2s"));
    }
}
