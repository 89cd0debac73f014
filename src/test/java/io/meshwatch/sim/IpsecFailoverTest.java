package io.meshwatch.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.event.BgpState;
import io.meshwatch.event.TunnelStateEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ipsec-failover and ipsec-failover-slow on group vpn-ash-use1 (objective 30 s): the failover time,
 * from the primary tunnel going down until the backup's path is best at cx-ash, on both sides of
 * the objective.
 */
class IpsecFailoverTest {

    private static final String GROUP = "vpn-ash-use1";
    private static final String CUSTOMER_A = "10.1.200.7";

    private final SimHarness h = new SimHarness(SimHarness.demo()).started().atSeconds(20);

    /** Steps the clock by 100 ms from now until the best path at cx-ash is via {@code peer}; returns when. */
    private Instant bestVia(String peer, double untilSeconds) {
        Instant until = SimHarness.T0.plusMillis(Math.round(untilSeconds * 1000));
        for (Instant t = h.clock.instant(); !t.isAfter(until); t = t.plusMillis(100)) {
            h.at(Duration.between(SimHarness.T0, t));
            if (peer.equals(h.bestPeer("cx-ash", CUSTOMER_A))) {
                return t;
            }
        }
        return null;
    }

    private Instant tunnelDown(int mark, String tunnel) {
        return h.tunnelStates(mark, tunnel).stream().filter(e -> e.state().equals("down")).map(TunnelStateEvent::time)
                .findFirst().orElseThrow();
    }

    @Test
    void theBackupTakesOverWithinTheObjective() {
        int mark = h.mark();
        ScenarioPlan plan = h.run(Scenario.IPSEC_FAILOVER, ScenarioRequest.target(GROUP));
        assertEquals("169.254.10.2", h.bestPeer("cx-ash", CUSTOMER_A), "the session has not been reset yet");
        Instant best = bestVia("169.254.110.2", 40);
        Instant down = tunnelDown(mark, "vpn-ash-use1-dx");
        assertEquals(SimHarness.T0.plusSeconds(20), down);
        Duration failover = Duration.between(down, best);
        assertEquals(Duration.ofSeconds(1), failover);
        assertTrue(failover.compareTo(Duration.ofSeconds(30)) < 0, "within the group's objective");
        assertEquals(ScenarioPlanner.TUNNEL_RESET, h.session("cx-ash", "169.254.10.2").lastReason());
        assertEquals(BgpState.ESTABLISHED, h.session("cx-ash", "169.254.110.2").state());
        // the circuit stays up (its probes reach the far gateway 10.1.255.10), only the tunnel failed
        h.atSeconds(26);
        var underlay = h.probes(mark, "dx-ash-use1", null);
        var overlay = h.probes(mark, null, "vpn-ash-use1-dx");
        assertTrue(!underlay.isEmpty() && underlay.stream().allMatch(p -> p.lossPct() == 0
                && p.target().equals("10.1.255.10")), underlay.toString());
        assertTrue(overlay.stream().filter(p -> p.time().isAfter(down)).allMatch(p -> p.lossPct() == 100
                && p.target().equals("169.254.10.2")), overlay.toString());
        h.atSeconds(20 + 60 + 3);
        assertEquals("169.254.10.2", h.bestPeer("cx-ash", CUSTOMER_A));
        assertEquals(ScenarioRuns.State.RESOLVED, h.runs.get(plan.id()).orElseThrow().state());
    }

    @Test
    void aSlowFailoverLeavesNoPathUntilAfterTheObjective() {
        int mark = h.mark();
        ScenarioPlan plan = h.run(Scenario.IPSEC_FAILOVER_SLOW, ScenarioRequest.target(GROUP));
        // t0: the standby loses its SA and its session; the primary still carries the traffic
        assertEquals(BgpState.IDLE, h.session("cx-ash", "169.254.110.2").state());
        assertEquals("169.254.10.2", h.bestPeer("cx-ash", CUSTOMER_A));
        assertEquals(1, h.paths("cx-ash", h.lookup("cx-ash", CUSTOMER_A)).size());
        // t0 + 2 s: the primary goes; t0 + 3 s its session is reset and nothing is left
        h.atSeconds(23);
        Instant primaryDown = tunnelDown(mark, "vpn-ash-use1-dx");
        assertEquals(SimHarness.T0.plusSeconds(22), primaryDown);
        assertNull(h.lookup("cx-ash", CUSTOMER_A), "no path: the group's traffic is dropped");
        // the objective passes with no path
        h.atSeconds(22 + 30);
        assertNull(h.lookup("cx-ash", CUSTOMER_A));
        Instant best = bestVia("169.254.110.2", 90);
        Duration failover = Duration.between(primaryDown, best);
        assertEquals(Duration.ofMillis(30_000 + 7_500 + 3_000), failover, "objective + a quarter of it + BGP set-up");
        assertTrue(failover.compareTo(Duration.ofSeconds(30)) > 0, "slower than the objective");
        // the primary comes back at the (unraised) 60 s duration
        assertTrue(plan.notes().isEmpty(), plan.notes().toString());
        h.atSeconds(20 + 60 + 3);
        assertEquals("169.254.10.2", h.bestPeer("cx-ash", CUSTOMER_A));
        assertEquals(2, h.paths("cx-ash", h.lookup("cx-ash", CUSTOMER_A)).size());
        assertEquals(ScenarioRuns.State.RESOLVED, h.runs.get(plan.id()).orElseThrow().state());
    }

    @Test
    void aSlowFailoverOfAGroupWithALongerObjectiveRaisesTheDuration() {
        ScenarioPlan plan = h.run(Scenario.IPSEC_FAILOVER_SLOW, ScenarioRequest.target("vpn-ash-azure"));
        assertEquals(1, plan.notes().size(), plan.notes().toString());
        assertTrue(plan.duration().compareTo(Duration.ofSeconds(60)) > 0);
        List<String> steps = plan.steps().stream().map(ScenarioPlan.Step::what).toList();
        assertTrue(steps.stream().anyMatch(s -> s.contains("objective (45s) passes")), steps.toString());
        // Azure prefixes: the ExpressRoute path, then nothing, then the VPN gateway's
        h.atSeconds(24);
        assertNull(h.lookup("cx-ash", "10.10.50.1"));
        h.atSeconds(20 + 2 + 45 + 11.25 + 3);
        assertEquals("169.254.120.2", h.bestPeer("cx-ash", "10.10.50.1"));
        assertEquals("65515 65515 65515", h.lookup("cx-ash", "10.10.50.1").path().attributes().asPath().toString());
    }
}
