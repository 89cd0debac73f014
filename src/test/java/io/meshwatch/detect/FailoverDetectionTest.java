package io.meshwatch.detect;

import static io.meshwatch.detect.Scenario.assertSeconds;
import static io.meshwatch.detect.Scenario.t;
import static io.meshwatch.detect.TestNetwork.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.inventory.Severity;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FailoverDetectionTest {

    @Test
    void steadyGroupIsNormalOnItsPrimary() {
        TunnelGroupView g = Scenario.steady().group(GROUP);
        assertEquals(GroupPhase.NORMAL, g.phase());
        assertEquals(PRIMARY, g.carrying());
        assertFalse(g.allDown());
        assertEquals(List.of(TunnelStatus.UP, TunnelStatus.UP), g.tunnels().stream().map(t -> t.status()).toList());
    }

    @Test
    void failoverWithinObjectiveIsNotSlow() {
        Scenario s = Scenario.steady();
        s.at(100).tunnelDown(PRIMARY).silent();
        TunnelGroupView during = s.group(GROUP);
        assertEquals(GroupPhase.FAILING_OVER, during.phase());
        assertNull(during.carrying(), "nothing carries traffic while failing over");
        assertEquals(t(100), during.inProgress().start());
        assertEquals(Optional.of(t(130)), s.engine.nextDeadline(), "objective 30 s, clock time");

        s.at(129).bestVia(CX, VPCS, INET_PEER);
        Signal f = s.fired(SignalType.IPSEC_FAILOVER);
        s.fired(SignalType.BEST_PATH_ON_BACKUP, "prefix", VPCS);
        s.silent();
        assertEquals(Map.of("tunnel_group", GROUP), f.labels());
        assertEquals(Severity.WARNING, f.severity());
        assertEquals("29.0", f.annotation("failover_seconds"));
        assertEquals("30.0", f.annotation("objective_seconds"));
        assertEquals(PRIMARY, f.annotation("from"));
        assertEquals(BACKUP, f.annotation("to"));
        assertEquals("route", f.annotation("completed_by"));
        assertEquals("vpn-ash-use1 failed over from vpn-ash-use1-dx to vpn-ash-use1-inet in 29.0 s (objective 30.0 s,"
                + " best path via it); cause: tunnel vpn-ash-use1-dx down (ike)", f.summary());
        assertEquals(t(129), f.startedAt());

        TunnelGroupView after = s.group(GROUP);
        assertEquals(GroupPhase.ON_BACKUP, after.phase());
        assertEquals(BACKUP, after.carrying());
        assertSeconds(29, after.lastFailover().duration());
        assertEquals(CompletedBy.ROUTE, after.lastFailover().completedBy());
        assertEquals(t(100), after.lastFailover().start());
        assertEquals(1, s.failovers.size());
        assertSeconds(29, s.failovers.get(0).duration());

        s.at(130).tick().at(200).tick().silent();
        assertEquals(Optional.empty(), s.engine.nextDeadline());
    }

    @Test
    void aNewPrefixOverTheBackupWhileThePrimarySessionStandsDoesNotCompleteTheFailover() {
        Scenario s = Scenario.steady();
        s.at(100).tunnelDown(PRIMARY);
        s.at(100.2).bestVia(CX, "10.1.77.0/24", INET_PEER).silent();
        assertEquals(GroupPhase.FAILING_OVER, s.group(GROUP).phase(), "only a prefix new to the router moved");
        s.at(106).bestVia(CX, VPCS, INET_PEER);
        assertEquals("6.0", s.fired(SignalType.IPSEC_FAILOVER).annotation("failover_seconds"));
    }

    @Test
    void failoverCompletedAfterObjectiveIsSlow() {
        Scenario s = Scenario.steady();
        s.at(100).tunnelDown(PRIMARY);
        s.at(131).bestVia(CX, VPCS, INET_PEER);
        Signal f = s.fired(SignalType.IPSEC_FAILOVER);
        Signal slow = s.fired(SignalType.IPSEC_FAILOVER_SLOW);
        s.fired(SignalType.BEST_PATH_ON_BACKUP);
        s.silent();
        assertEquals("31.0", f.annotation("failover_seconds"));
        assertEquals(Severity.MAJOR, slow.severity());
        assertEquals("31.0", slow.annotation("failover_seconds"));
        assertEquals("30.0", slow.annotation("objective_seconds"));
        assertEquals(t(130), slow.startedAt(), "slow from the moment the objective passed");
        assertTrue(slow.summary().startsWith("vpn-ash-use1 failover took 31.0 s, over its 30.0 s objective"),
                slow.summary());
        Signal raised = s.transitions.stream().filter(x -> x.type() == SignalType.IPSEC_FAILOVER_SLOW).findFirst()
                .orElseThrow();
        assertNull(raised.annotation("failover_seconds"), "raised by the due deadline before the route was applied");
        assertEquals(t(131), raised.raisedAt(), "no tick at 130 s: raised by the next input");
        assertEquals("31.0", s.lastUpdate(SignalType.IPSEC_FAILOVER_SLOW).annotation("failover_seconds"));
    }

    @Test
    void failoverCompletedExactlyAtObjectiveIsWithinIt() {
        Scenario s = Scenario.steady();
        s.at(100).tunnelDown(PRIMARY);
        s.at(129.999).tick().silent();
        s.at(130).bestVia(CX, VPCS, INET_PEER);
        Signal slow = s.fired(SignalType.IPSEC_FAILOVER_SLOW);
        assertEquals(t(130), slow.raisedAt(), "the deadline came first: nothing carried traffic before 130 s");
        assertEquals("30.0", s.fired(SignalType.IPSEC_FAILOVER).annotation("failover_seconds"));
        Signal withdrawn = s.resolved(SignalType.IPSEC_FAILOVER_SLOW);
        s.fired(SignalType.BEST_PATH_ON_BACKUP);
        s.silent();
        assertEquals("30.0", withdrawn.annotation("failover_seconds"), "30.0 s is within a 30 s objective");
        assertTrue(s.transitions.indexOf(slow) < s.transitions.indexOf(withdrawn));
    }

    @Test
    void slowRaisedByTheClockResolvesWhenEventTimesShowTheObjectiveMet() {
        Scenario s = Scenario.steady();
        s.at(100).tunnelDown(PRIMARY);
        s.at(130).tick().fired(SignalType.IPSEC_FAILOVER_SLOW);
        s.at(140).eventAt(120).bestVia(CX, VPCS, INET_PEER);
        assertEquals("20.0", s.fired(SignalType.IPSEC_FAILOVER).annotation("failover_seconds"));
        Signal withdrawn = s.resolved(SignalType.IPSEC_FAILOVER_SLOW);
        s.fired(SignalType.BEST_PATH_ON_BACKUP);
        s.silent();
        assertEquals("20.0", withdrawn.annotation("failover_seconds"));
        assertEquals(t(120), withdrawn.endedAt());
    }

    @Test
    void failoverNotCompleteByObjectiveFiresSlowAtObjective() {
        Scenario s = Scenario.steady();
        s.at(100).tunnelDown(PRIMARY);
        s.at(129).tick().silent();
        s.at(130).tick();
        Signal slow = s.fired(SignalType.IPSEC_FAILOVER_SLOW);
        s.silent();
        assertNull(slow.annotation("failover_seconds"), "not measured yet");
        assertEquals(t(130), slow.startedAt());
        assertEquals(t(130), slow.raisedAt());
        assertEquals("vpn-ash-use1 failover not complete after its 30.0 s objective: no backup carries traffic since"
                + " vpn-ash-use1-dx went down; cause: tunnel vpn-ash-use1-dx down (ike)", slow.summary());
        assertEquals(GroupPhase.FAILING_OVER, s.group(GROUP).phase());

        s.at(140).bestVia(CX, VPCS, INET_PEER);
        assertEquals("40.0", s.fired(SignalType.IPSEC_FAILOVER).annotation("failover_seconds"));
        s.fired(SignalType.BEST_PATH_ON_BACKUP);
        s.silent();
        Signal measured = s.lastUpdate(SignalType.IPSEC_FAILOVER_SLOW);
        assertEquals("40.0", measured.annotation("failover_seconds"));
        assertEquals(slow.fingerprint(), measured.fingerprint());
        assertEquals(t(130), measured.startedAt());
    }

    @Test
    void failoverCompletesWhenBackupBytesGrowByTheThreshold() {
        Scenario s = Scenario.steady();
        s.at(50).tunnel(BACKUP, "up", 1_000_000L);
        s.at(100).tunnelDown(PRIMARY);
        s.at(105).tunnel(BACKUP, "up", 1_000_000L + 65_535).silent();
        assertEquals(GroupPhase.FAILING_OVER, s.group(GROUP).phase(), "one byte short of 64 KiB");
        s.at(110).tunnel(BACKUP, "up", 1_000_000L + 65_536);
        Signal f = s.fired(SignalType.IPSEC_FAILOVER);
        s.silent();
        assertEquals("10.0", f.annotation("failover_seconds"));
        assertEquals("traffic", f.annotation("completed_by"));
        assertEquals(CompletedBy.TRAFFIC, s.group(GROUP).lastFailover().completedBy());
    }

    @Test
    void tunnelStateByAliasAndUnknownTunnels() {
        Scenario s = Scenario.steady();
        s.at(10).tunnel(BACKUP_ALIAS, "down", null).silent();
        assertEquals(TunnelStatus.DOWN, s.group(GROUP).tunnels().get(1).status());
        s.at(11).tunnel("vpn-nobody-knows", "down", null).silent();
        assertEquals(1, s.engine.unmatchedEvents());
    }

    @Test
    void failoverStartsAtTheFirstPrimaryDownEvidence() {
        Scenario s = Scenario.steady();
        s.at(100).sessionDown(CX, DX_PEER).fired(SignalType.BGP_SESSION_DOWN);
        s.at(103).tunnelDown(PRIMARY).silent();
        s.at(110).bestVia(CX, SHARED, INET_PEER);
        Signal f = s.fired(SignalType.IPSEC_FAILOVER);
        assertEquals("10.0", f.annotation("failover_seconds"));
        assertEquals("BGP session cx-ash -> 169.254.10.2 down", f.annotation("cause"));
    }

    @Test
    void reportedLocRibPathViaBackupNextHopCompletesFailover() {
        Scenario s = Scenario.steady();
        s.at(100).tunnelDown(PRIMARY);
        s.at(104.5).bestReported(CX, VPCS, INET_PEER);
        assertEquals("4.5", s.fired(SignalType.IPSEC_FAILOVER).annotation("failover_seconds"));
        s.fired(SignalType.BEST_PATH_ON_BACKUP, "prefix", VPCS);
        s.silent();
    }

    @Test
    void bothTunnelsDownIsGroupDownCritical() {
        Scenario s = Scenario.steady();
        s.at(100).tunnelDown(PRIMARY).at(105).tunnelDown(BACKUP);
        Signal down = s.fired(SignalType.IPSEC_TUNNEL_GROUP_DOWN);
        s.silent();
        assertEquals(Severity.CRITICAL, down.severity());
        assertEquals(t(105), down.startedAt());
        assertEquals("vpn-ash-use1: all 2 tunnels down (vpn-ash-use1-dx, vpn-ash-use1-inet); traffic has no path;"
                + " last: tunnel vpn-ash-use1-inet down (ike)", down.summary());
        TunnelGroupView g = s.group(GROUP);
        assertTrue(g.allDown());
        assertNull(g.carrying());

        s.at(120).tunnelUp(BACKUP);
        assertFalse(s.group(GROUP).allDown());
        s.heldDown();
        Signal back = s.resolved(SignalType.IPSEC_TUNNEL_GROUP_DOWN);
        assertEquals(t(120), back.endedAt());
        assertFalse(s.group(GROUP).allDown());
    }

    @Test
    void oneTunnelDownIsNotGroupDown() {
        Scenario s = Scenario.steady();
        s.at(100).tunnelDown(BACKUP).silent();
        assertFalse(s.group(GROUP).allDown());
        assertEquals(GroupPhase.NORMAL, s.group(GROUP).phase(), "a backup down is no failover");
    }

    @Test
    void failbackResolvesFailoverAndRecordsFailbackTime() {
        Scenario s = Scenario.steady();
        s.at(100).tunnelDown(PRIMARY).at(112).bestVia(CX, VPCS, INET_PEER).drop();
        s.at(300).tunnelUp(PRIMARY).silent();
        assertEquals(GroupPhase.FAILING_BACK, s.group(GROUP).phase());
        assertEquals(BACKUP, s.group(GROUP).carrying(), "the backup carries until the primary is best again");
        s.at(307.5).bestVia(CX, VPCS, DX_PEER);
        Signal resolved = s.resolved(SignalType.IPSEC_FAILOVER);
        s.resolved(SignalType.BEST_PATH_ON_BACKUP);
        s.silent();
        assertEquals("7.5", resolved.annotation("failback_seconds"));
        assertEquals("12.0", resolved.annotation("failover_seconds"), "the failover's own figure is kept");
        assertEquals(t(307.5), resolved.endedAt());
        TunnelGroupView g = s.group(GROUP);
        assertEquals(GroupPhase.NORMAL, g.phase());
        assertEquals(PRIMARY, g.carrying());
        assertSeconds(7.5, g.lastFailback().duration());
        assertEquals(t(300), g.lastFailback().start());
        assertEquals(BACKUP, g.lastFailback().from());
        assertEquals(PRIMARY, g.lastFailback().to());
        assertSeconds(12, g.lastFailover().duration());
        assertEquals(1, s.failbacks.size());
    }

    @Test
    void failbackCompletesWhenPrimaryBytesGrow() {
        Scenario s = Scenario.steady();
        s.at(50).tunnel(PRIMARY, "up", 5_000_000L);
        s.at(100).tunnel(PRIMARY, "down", 5_000_000L).at(110).bestVia(CX, VPCS, INET_PEER).drop();
        s.at(300).tunnel(PRIMARY, "up", 5_000_100L).silent();
        assertEquals(GroupPhase.FAILING_BACK, s.group(GROUP).phase());
        s.at(303).tunnel(PRIMARY, "up", 5_000_100L + 65_536);
        assertEquals("3.0", s.resolved(SignalType.IPSEC_FAILOVER).annotation("failback_seconds"));
        s.silent();
        assertEquals(CompletedBy.TRAFFIC, s.group(GROUP).lastFailback().completedBy());
        assertEquals(GroupPhase.NORMAL, s.group(GROUP).phase());
    }

    @Test
    void bestPathBackOnThePrimaryDuringFailoverAbandonsIt() {
        Scenario s = Scenario.steady();
        s.at(100).sessionDown(CX, DX_PEER).drop();
        s.at(105).bestVia(CX, "192.0.2.0/24", DX_PEER).silent();
        TunnelGroupView g = s.group(GROUP);
        assertEquals(GroupPhase.NORMAL, g.phase());
        assertEquals(CompletedBy.ABANDONED, g.lastFailover().completedBy());
        assertEquals(Optional.empty(), s.engine.nextDeadline(), "no slow deadline left");
    }

    @Test
    void failbackAlsoResolvesSlow() {
        Scenario s = Scenario.steady();
        s.at(100).tunnelDown(PRIMARY).at(135).bestVia(CX, VPCS, INET_PEER).drop();
        s.at(300).tunnelUp(PRIMARY).at(302).bestVia(CX, VPCS, DX_PEER);
        assertEquals("2.0", s.resolved(SignalType.IPSEC_FAILOVER_SLOW).annotation("failback_seconds"));
        s.resolved(SignalType.IPSEC_FAILOVER);
        s.resolved(SignalType.BEST_PATH_ON_BACKUP);
        s.silent();
    }

    @Test
    void primaryRecoveringBeforeCompletionAbandonsFailover() {
        Scenario s = Scenario.steady();
        s.at(100).tunnelDown(PRIMARY).at(130).tick().fired(SignalType.IPSEC_FAILOVER_SLOW);
        s.at(140).tunnelUp(PRIMARY);
        Signal r = s.resolved(SignalType.IPSEC_FAILOVER_SLOW);
        s.silent();
        assertEquals("primary recovered before a backup carried traffic", r.annotation("cause"));
        TunnelGroupView g = s.group(GROUP);
        assertEquals(GroupPhase.NORMAL, g.phase());
        assertEquals(CompletedBy.ABANDONED, g.lastFailover().completedBy());
        assertSeconds(40, g.lastFailover().duration());
        assertNull(g.lastFailover().to());
    }

    @Test
    void primaryDownBeforeItWasEverUpIsNoFailover() {
        Scenario s = Scenario.with(inventory()).at(0).tunnelDown(PRIMARY).tunnelUp(BACKUP);
        s.at(100).tick().silent();
        assertEquals(GroupPhase.UNKNOWN, s.group(GROUP).phase());
        assertEquals(Optional.empty(), s.engine.nextDeadline());
    }
}
