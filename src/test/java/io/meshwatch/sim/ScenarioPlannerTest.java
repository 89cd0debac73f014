package io.meshwatch.sim;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Targets, defaults, options and overlapping runs, before anything runs. */
class ScenarioPlannerTest {

    private final SimNetwork net = NetworkBuilder.build(SimHarness.demoInventory(), SimHarness.demo());
    private final ScenarioPlanner planner = new ScenarioPlanner(net, SimHarness.demo());
    private final Instant now = SimHarness.T0;

    @Test
    void defaultTargetsAreTheDemoNetworksFirstOfEachKind() {
        assertEquals("dx-ash-use1", planner.defaultTarget(Scenario.CIRCUIT_CUT));
        assertEquals("vpn-ash-use1", planner.defaultTarget(Scenario.IPSEC_FAILOVER));
        assertEquals("cx-ash/169.254.10.2", planner.defaultTarget(Scenario.SESSION_FLAP));
        assertEquals("tr-use1", planner.defaultTarget(Scenario.WITHDRAWAL_STORM));
        assertEquals("cx-ash", planner.defaultTarget(Scenario.FULL_TABLE));
        assertEquals(List.of("dx-ash-use1", "dx-fra-euw1", "er-ash-azure", "ic-fra-gcp"),
                planner.targets(Scenario.CIRCUIT_DEGRADED));
        assertEquals(18, planner.targets(Scenario.SESSION_FLAP).size());
    }

    @Test
    void anUnknownTargetIsRefusedWithTheValidOnes() {
        UnknownTargetException e = assertThrows(UnknownTargetException.class,
                () -> planner.plan(Scenario.CIRCUIT_CUT, ScenarioRequest.target("dx-nowhere"), now, "x"));
        assertTrue(e.getMessage().contains("circuit-cut needs a circuit; 'dx-nowhere' is not one"), e.getMessage());
        assertTrue(e.valid().contains("ic-fra-gcp"));
        assertThrows(UnknownTargetException.class,
                () -> planner.plan(Scenario.IPSEC_FAILOVER, ScenarioRequest.target("dx-ash-use1"), now, "x"),
                "a circuit is not a tunnel group");
        assertThrows(UnknownTargetException.class,
                () -> planner.plan(Scenario.SESSION_FLAP, ScenarioRequest.target("cx-ash/10.9.9.9"), now, "x"));
    }

    @Test
    void optionsOutOfRangeAreRefused() {
        assertThrows(UnknownTargetException.class, () -> planner.plan(Scenario.SESSION_FLAP,
                new ScenarioRequest(null, null, 0, null, null, null), now, "x"));
        assertThrows(UnknownTargetException.class, () -> planner.plan(Scenario.WITHDRAWAL_STORM,
                new ScenarioRequest(null, null, null, 21, null, null), now, "x"), "tr-use1 has 20 extra prefixes");
        assertThrows(UnknownTargetException.class, () -> planner.plan(Scenario.FULL_TABLE,
                new ScenarioRequest(null, null, null, null, 0, 0), now, "x"));
        assertThrows(UnknownTargetException.class, () -> planner.plan(Scenario.CIRCUIT_CUT,
                ScenarioRequest.defaults().withDuration(Duration.ZERO), now, "x"));
    }

    @Test
    void theCircuitCutTimelineFollowsTheTimers() {
        ScenarioPlan p = planner.plan(Scenario.CIRCUIT_CUT, ScenarioRequest.defaults(), now, "cut-1");
        assertEquals(List.of("0s link down", "3s tunnel down", "6s session down", "60s link up", "62s tunnel up",
                "65s session up"), p.steps().stream().map(s -> s.offset().toSeconds() + "s " + kind(s.action())).toList());
        assertEquals(now.plusSeconds(65), p.end());
        assertTrue(p.steps().get(2).what().contains("backup tunnel vpn-ash-use1-inet"), p.steps().get(2).what());
        assertEquals(java.util.Set.of("circuit:dx-ash-use1", "tunnel:vpn-ash-use1-dx", "session:0"), p.footprint());
    }

    private static String kind(Action a) {
        if (a instanceof Action.Link l) {
            return "link " + (l.up() ? "up" : "down");
        }
        if (a instanceof Action.Tunnel t) {
            return "tunnel " + (t.up() ? "up" : "down");
        }
        if (a instanceof Action.Session s) {
            return "session " + (s.up() ? "up" : "down");
        }
        return a.getClass().getSimpleName();
    }

    @Test
    void runsThatActOnTheSameThingsCannotOverlap() {
        ScenarioRuns runs = new ScenarioRuns();
        ScenarioPlan cut = planner.plan(Scenario.CIRCUIT_CUT, ScenarioRequest.defaults(), now, "cut-1");
        runs.register(cut);
        ScenarioRuns.ConflictException e = assertThrows(ScenarioRuns.ConflictException.class, () -> runs.register(
                planner.plan(Scenario.IPSEC_FAILOVER, ScenarioRequest.target("vpn-ash-use1"), now, "fo-1")));
        assertTrue(e.getMessage().contains("circuit-cut run cut-1 on dx-ash-use1 also acts on session:0, "
                + "tunnel:vpn-ash-use1-dx"), e.getMessage());
        assertDoesNotThrow(() -> runs.register(planner.plan(Scenario.IPSEC_FAILOVER,
                ScenarioRequest.target("vpn-fra-euw1"), now, "fo-2")), "another group is fine");
        for (int i = 0; i < cut.steps().size(); i++) {
            runs.stepDone("cut-1", i);
        }
        assertEquals(ScenarioRuns.State.RESOLVED, runs.get("cut-1").orElseThrow().state());
        assertDoesNotThrow(() -> runs.register(planner.plan(Scenario.IPSEC_FAILOVER,
                ScenarioRequest.target("vpn-ash-use1"), now, "fo-3")), "once the cut has resolved");
        assertEquals(List.of("fo-3", "fo-2", "cut-1"), runs.all().stream().map(ScenarioRuns.RunView::id).toList());
    }
}
