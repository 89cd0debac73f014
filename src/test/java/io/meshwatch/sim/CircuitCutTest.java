package io.meshwatch.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.event.BgpState;
import io.meshwatch.event.EndOfRibEvent;
import io.meshwatch.event.InterfaceCountersEvent;
import io.meshwatch.event.InterfaceStateEvent;
import io.meshwatch.event.ProbeResultEvent;
import io.meshwatch.event.TcpRetransmitsEvent;
import io.meshwatch.event.TunnelStateEvent;
import io.meshwatch.routing.Afi;
import io.meshwatch.routing.BestRoute;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * circuit-cut of dx-ash-use1 on the demo network with demo timers (hold 6 s, dead-peer detection
 * 3 s, IKE 2 s, BGP 3 s, duration 60 s), step by step and on both sides of each timer.
 */
class CircuitCutTest {

    private static final String CUT = "dx-ash-use1";
    private static final String PRIMARY = "vpn-ash-use1-dx";
    private static final String BACKUP = "vpn-ash-use1-inet";
    private static final String CUSTOMER_A = "10.1.200.7";

    private final SimHarness h = new SimHarness(SimHarness.demo()).started().atSeconds(START);

    /** The cut starts between two telemetry rounds (every 10 s) so one falls before the hold time expires. */
    private static final int START = 25;

    private ScenarioPlan cut() {
        return h.run(Scenario.CIRCUIT_CUT, ScenarioRequest.target(CUT));
    }

    private double t(double seconds) {
        return START + seconds;
    }

    @Test
    void beforeTheCutThePrimaryWinsOverThePrependedBackup() {
        BestRoute best = h.lookup("cx-ash", CUSTOMER_A);
        assertEquals("10.1.200.0/24", best.prefix().toString());
        assertEquals("169.254.10.2", best.path().peer().address().toString());
        assertEquals("65001", best.path().attributes().asPath().toString());
        assertEquals("as_path_length", best.reason().name().toLowerCase());
        assertTrue(h.paths("cx-ash", best).stream().anyMatch(p -> p.peer().address().toString().equals("169.254.110.2")
                && p.attributes().asPath().toString().equals("65001 65001 65001")), "the backup path is held too");
    }

    @Test
    void interfacesGoDownOnBothEndsAtOnceAndProbesLoseEverything() {
        int mark = h.mark();
        cut();
        List<InterfaceStateEvent> down = h.since(mark, InterfaceStateEvent.class, e -> e.operStatus().equals("down"));
        assertEquals(List.of("cx-ash eth1", "tr-use1 eth1"), down.stream().map(e -> e.router() + " " + e.iface()).toList());
        assertTrue(down.stream().allMatch(e -> e.time().equals(SimHarness.T0.plusSeconds(START))));
        h.atSeconds(t(5.9));
        List<ProbeResultEvent> circuit = h.probes(mark, CUT, null);
        List<ProbeResultEvent> tunnel = h.probes(mark, null, PRIMARY);
        assertFalse(circuit.isEmpty());
        assertTrue(circuit.stream().allMatch(p -> p.lossPct() == 100 && p.received() == 0), circuit.toString());
        assertTrue(tunnel.stream().allMatch(p -> p.lossPct() == 100), "the tunnel's underlay is gone");
        assertTrue(h.probes(mark, null, BACKUP).stream().allMatch(p -> p.lossPct() < 100), "the backup is fine");
        List<TcpRetransmitsEvent> tcp = h.since(mark, TcpRetransmitsEvent.class,
                e -> e.router().equals("cx-ash") && e.remote().equals("169.254.10.2"));
        assertFalse(tcp.isEmpty(), "a telemetry round falls between the cut and the hold time");
        assertTrue(tcp.stream().allMatch(e -> e.retransmits() == e.segmentsOut() && e.segmentsOut() > 0), tcp.toString());
    }

    @Test
    void theTunnelGoesDownAfterDeadPeerDetection() {
        int mark = h.mark();
        cut();
        h.atSeconds(t(3) - 0.001);
        assertTrue(h.tunnelStates(mark, PRIMARY).stream().allMatch(e -> e.state().equals("up")));
        h.atSeconds(t(3));
        List<TunnelStateEvent> down = h.since(mark, TunnelStateEvent.class, e -> e.state().equals("down"));
        assertEquals(1, down.size());
        assertEquals(PRIMARY, down.get(0).tunnel());
        assertEquals("ike", down.get(0).signal());
        assertEquals(SimHarness.T0.plusSeconds(START + 3), down.get(0).time());
    }

    @Test
    void sessionsDropWhenTheHoldTimerExpiresAndTheBackupPathsBecomeBest() {
        cut();
        h.atSeconds(t(6) - 0.001);
        assertEquals(BgpState.ESTABLISHED, h.session("cx-ash", "169.254.10.2").state());
        assertEquals("169.254.10.2", h.bestPeer("cx-ash", CUSTOMER_A), "routes stay until the session drops");
        h.atSeconds(t(6));
        for (String[] end : new String[][] {{"cx-ash", "169.254.10.2"}, {"tr-use1", "169.254.10.1"}}) {
            var s = h.session(end[0], end[1]);
            assertEquals(BgpState.IDLE, s.state(), end[0]);
            assertEquals(SimHarness.T0.plusSeconds(START + 6), s.since());
            assertEquals(ScenarioPlanner.HOLD_EXPIRED, s.lastReason());
        }
        BestRoute best = h.lookup("cx-ash", CUSTOMER_A);
        assertEquals("169.254.110.2", best.path().peer().address().toString());
        assertEquals("65001 65001 65001", best.path().attributes().asPath().toString());
        assertEquals(1, h.paths("cx-ash", best).size(), "only the backup's path is left");
        assertEquals("169.254.110.2", h.bestPeer("cx-ash", "10.2.0.1"), "eu-west-1 is reached through the backup too");
        assertEquals("169.254.110.1", h.bestPeer("tr-use1", "10.128.60.1"), "tr-use1 reaches cx-ash's prefixes back");
        assertEquals("65001 65010 65010 65010", h.lookup("tr-euw1", "10.128.60.1").path().attributes().asPath()
                .toString(), "the mesh hears the longer path");
        assertEquals(BgpState.ESTABLISHED, h.session("cx-ash", "169.254.110.2").state());
    }

    @Test
    void afterTheFailoverOnlyTheBackupTunnelMovesBytes() {
        cut();
        h.atSeconds(t(10));
        int mark = h.mark();
        h.atSeconds(t(50));
        List<TunnelStateEvent> backup = h.tunnelStates(mark, BACKUP);
        List<TunnelStateEvent> primary = h.tunnelStates(mark, PRIMARY);
        assertTrue(backup.size() >= 3);
        for (int i = 1; i < backup.size(); i++) {
            assertTrue(backup.get(i).bytesIn() > backup.get(i - 1).bytesIn(), "backup bytes rise");
            assertTrue(backup.get(i).bytesOut() > backup.get(i - 1).bytesOut());
        }
        assertTrue(primary.stream().allMatch(e -> e.bytesIn().equals(primary.get(0).bytesIn())
                && e.state().equals("down")), "the primary stands still");
        List<InterfaceCountersEvent> eth1 = h.since(mark, InterfaceCountersEvent.class,
                e -> e.router().equals("cx-ash") && e.iface().equals("eth1"));
        assertTrue(eth1.stream().allMatch(e -> e.inOctets().equals(eth1.get(0).inOctets())), "a cut link counts nothing");
    }

    @Test
    void atTheEndTheCircuitTunnelAndSessionsComeBackInOrderAndThePrimaryWinsAgain() {
        ScenarioPlan plan = cut();
        int mark = h.mark();
        h.atSeconds(t(60));
        assertEquals(2, h.since(mark, InterfaceStateEvent.class, e -> e.operStatus().equals("up")).size());
        assertEquals("169.254.110.2", h.bestPeer("cx-ash", CUSTOMER_A));
        h.atSeconds(t(62) - 0.001);
        assertTrue(h.tunnelStates(mark, PRIMARY).stream().noneMatch(e -> e.state().equals("up")));
        h.atSeconds(t(62));
        assertEquals("up", h.tunnelStates(mark, PRIMARY).get(h.tunnelStates(mark, PRIMARY).size() - 1).state());
        assertEquals(BgpState.IDLE, h.session("cx-ash", "169.254.10.2").state());
        h.atSeconds(t(65));
        var s = h.session("cx-ash", "169.254.10.2");
        assertEquals(BgpState.ESTABLISHED, s.state());
        assertEquals(1, s.flaps());
        List<EndOfRibEvent> eor = h.since(mark, EndOfRibEvent.class, e -> e.peer().equals("169.254.10.2"));
        assertEquals(1, eor.size());
        assertEquals("169.254.10.2", h.bestPeer("cx-ash", CUSTOMER_A));
        assertEquals(2, h.paths("cx-ash", h.lookup("cx-ash", CUSTOMER_A)).size());
        assertEquals(ScenarioRuns.State.RESOLVED, h.runs.get(plan.id()).orElseThrow().state());
        assertTrue(plan.notes().isEmpty());
    }

    @Test
    void routeCountsAreTheSameAfterTheCutAsBefore() {
        int before = h.prefixes("cx-ash", Afi.IPV4);
        int trBefore = h.prefixes("tr-euw1", Afi.IPV4);
        cut();
        h.atSeconds(t(70));
        assertEquals(before, h.prefixes("cx-ash", Afi.IPV4));
        assertEquals(trBefore, h.prefixes("tr-euw1", Afi.IPV4));
        assertNotNull(h.lookup("cx-ash", "10.10.50.1"), "the Azure circuit was never touched");
    }

    @Test
    void aCutShorterThanTheHoldTimeLeavesTheSessionsUp() {
        SimHarness prod = new SimHarness(SimSettings.defaults().withExtraPrefixes(5).withChurn(0)).started();
        ScenarioPlan plan = prod.run(Scenario.CIRCUIT_CUT, ScenarioRequest.target(CUT).withDuration(Duration.ofSeconds(60)));
        assertTrue(plan.notes().stream().anyMatch(n -> n.contains("shorter than the BGP hold time (1m30s)")), plan.notes().toString());
        assertTrue(plan.steps().stream().noneMatch(s -> s.action() instanceof Action.Session));
        prod.atSeconds(59);
        assertEquals(BgpState.ESTABLISHED, prod.session("cx-ash", "169.254.10.2").state());
        assertEquals("169.254.10.2", prod.bestPeer("cx-ash", CUSTOMER_A));
        List<TunnelStateEvent> down = prod.since(0, TunnelStateEvent.class, e -> e.state().equals("down"));
        assertEquals(SimHarness.T0.plusSeconds(10), down.get(0).time(),
                "the tunnel still goes down after dead-peer detection (10 s)");
    }

    @Test
    void withProductionTimersTheSessionsDropAfterNinetySeconds() {
        SimHarness prod = new SimHarness(SimSettings.defaults().withExtraPrefixes(5).withChurn(0)).started();
        prod.run(Scenario.CIRCUIT_CUT, ScenarioRequest.target(CUT).withDuration(Duration.ofMinutes(3)));
        prod.atSeconds(89.999);
        assertEquals(BgpState.ESTABLISHED, prod.session("cx-ash", "169.254.10.2").state());
        prod.atSeconds(90);
        assertEquals(BgpState.IDLE, prod.session("cx-ash", "169.254.10.2").state());
        assertEquals("169.254.110.2", prod.bestPeer("cx-ash", CUSTOMER_A));
    }

    @Test
    void nothingCrossesTheCutWhileTheHoldTimerRunsAndHeldUpdatesGoWhenThePathIsBack() {
        SimHarness churn = new SimHarness(SimSettings.defaults().withExtraPrefixes(50).withChurn(50)).started()
                .atSeconds(START);
        churn.run(Scenario.CIRCUIT_CUT, ScenarioRequest.target(CUT).withDuration(Duration.ofSeconds(30)));
        int mark = churn.mark();
        // the circuit is back at +30 s, the tunnel over it (down since dead-peer detection) at +32 s
        churn.atSeconds(t(32) - 0.001);
        assertTrue(churn.since(mark, io.meshwatch.event.BgpUpdateEvent.class, u -> (u.router().equals("cx-ash")
                && u.peer().equals("169.254.10.2")) || (u.router().equals("tr-use1") && u.peer().equals("169.254.10.1")))
                .isEmpty(), "no update over the cut circuit");
        assertFalse(churn.since(mark, io.meshwatch.event.BgpUpdateEvent.class, u -> u.router().equals("cx-ash")
                && u.peer().equals("169.254.110.2")).isEmpty(), "churn goes on over the backup");
        assertEquals(BgpState.ESTABLISHED, churn.session("cx-ash", "169.254.10.2").state(), "hold time 90 s");
        int repaired = churn.mark();
        churn.atSeconds(t(32));
        assertFalse(churn.since(repaired, io.meshwatch.event.BgpUpdateEvent.class, u -> u.router().equals("cx-ash")
                && u.peer().equals("169.254.10.2")).isEmpty(), "the held updates arrive once the path is back");
    }
}
