package io.meshwatch.detect;

import static io.meshwatch.detect.Scenario.assertSeconds;
import static io.meshwatch.detect.Scenario.t;
import static io.meshwatch.detect.TestNetwork.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.event.BgpState;
import io.meshwatch.event.DownCause;
import org.junit.jupiter.api.Test;

/**
 * The failover clock starts at the earliest evidence of the failure: exact evidence (an interface, a
 * tunnel's own state, a session closed by a NOTIFICATION) gives an instant; a session closed by its
 * hold timer, when it is the only witness, gives an interval one keepalive wide, one hold time before
 * the close; evidence that arrives later but dates the failure earlier moves the start back.
 */
class FailoverClockTest {

    /** The steady test network whose primary tunnel's session negotiated a 9 s hold time. */
    private static Scenario steadyWithHold9() {
        Scenario s = Scenario.steady();
        s.at(0).sessionUpHold(CX, DX_PEER, 9).silent();
        return s;
    }

    @Test
    void aHoldTimerExpiryAloneBoundsTheFailoverToOneKeepaliveBeforeTheHoldTime() {
        Scenario s = steadyWithHold9();
        s.at(100).holdTimerExpired(CX, DX_PEER);
        s.fired(SignalType.BGP_SESSION_DOWN);
        TunnelGroupView during = s.group(GROUP);
        assertEquals(GroupPhase.FAILING_OVER, during.phase());
        assertEquals(t(91), during.inProgress().start(), "one hold time before the close");
        assertEquals(t(94), during.inProgress().startLatest(), "one keepalive (a third of the hold time) later");
        assertEquals("bgp-hold-timer", during.inProgress().clock());

        s.at(100.3).bestVia(CX, VPCS, INET_PEER);
        Signal f = s.fired(SignalType.IPSEC_FAILOVER);
        s.drop();
        assertEquals("10.3", f.annotation("failover_seconds"),
                "the longest it can have taken: 9.3 s and the 1 s the router may take to select the backup");
        assertEquals("6.3", f.annotation("failover_min_seconds"));
        assertEquals("10.3", f.annotation("failover_max_seconds"));
        assertEquals("bgp-hold-timer", f.annotation("failover_clock"));
        assertEquals(t(94).toString(), f.annotation("failover_started_latest"));
        assertTrue(f.summary().contains(" in 6.3-10.3 s "), f.summary());
        assertTrue(f.summary().contains("with up to 1.0 s the router may take to select the backup"), f.summary());
        String title = s.engine.incidents().get(0).title();
        assertTrue(title.contains("failed over to vpn-ash-use1-inet in 6.3-10.3 s"), title);
        assertTrue(f.summary().contains("hold time 9 s, keepalive 3 s (a third)"), f.summary());
        Switchover last = s.group(GROUP).lastFailover();
        assertTrue(last.bounded());
        assertSeconds(10.3, last.duration());
        assertSeconds(6.3, last.minDuration());
    }

    @Test
    void withoutAPathSelectionAllowanceTheBoundEndsAtTheClose() {
        Scenario s = Scenario.steady(DetectionSettings.defaults().withPathSelectionAllowance(java.time.Duration.ZERO));
        s.at(0).sessionUpHold(CX, DX_PEER, 9).silent();
        s.at(100).holdTimerExpired(CX, DX_PEER).at(100.3).bestVia(CX, VPCS, INET_PEER);
        Signal f = s.fired(SignalType.IPSEC_FAILOVER);
        assertEquals("6.3", f.annotation("failover_min_seconds"));
        assertEquals("9.3", f.annotation("failover_max_seconds"));
    }

    @Test
    void aCompletionThatIsNotTheClosesFlushGetsNoAllowance() {
        Scenario s = steadyWithHold9();
        s.at(90).tunnel(BACKUP, "up", 1_000L).silent();
        s.at(100).holdTimerExpired(CX, DX_PEER).at(102).tunnel(BACKUP, "up", 200_000L);
        Signal f = s.fired(SignalType.IPSEC_FAILOVER);
        assertEquals("traffic", f.annotation("completed_by"));
        assertEquals("11.0", f.annotation("failover_max_seconds"), "91..94 to 102, the traffic itself");
    }

    @Test
    void aCloseTheRouterDidNotExplainIsBoundedByOneHoldTimeBeforeIt() {
        // FRR 8.4 reports its hold-timer expiry as BMP Peer Down reason 2, FSM event 0: no reason given
        Scenario s = steadyWithHold9();
        s.at(100).session(CX, DX_PEER, BgpState.IDLE, null, null, DownCause.LOCAL_CLOSE)
                .at(100.1).bestVia(CX, VPCS, INET_PEER);
        Signal f = s.fired(SignalType.IPSEC_FAILOVER);
        assertEquals("0.1", f.annotation("failover_min_seconds"), "a clear or a shutdown: lost at the close");
        assertEquals("10.1", f.annotation("failover_max_seconds"),
                "a hold-timer expiry: lost up to 9 s before, plus up to 1 s for the router to select the backup");
        assertEquals("bgp-local-close", f.annotation("failover_clock"));
        assertTrue(f.summary().contains("without saying why"), f.summary());
    }

    @Test
    void aKnownKeepaliveNarrowsTheBound() {
        Scenario s = Scenario.steady();
        s.at(0).session(CX, DX_PEER, BgpState.ESTABLISHED, 9, 1, null).silent();
        s.at(100).holdTimerExpired(CX, DX_PEER).at(100.5).bestVia(CX, VPCS, INET_PEER);
        Switchover last = s.group(GROUP).lastFailover();
        assertEquals(t(91), last.start());
        assertEquals(t(92), last.startLatest());
        assertSeconds(8.5, last.minDuration());
        assertSeconds(10.5, last.duration());
    }

    @Test
    void theBoundNeverStartsBeforeTheSessionCameUp() {
        Scenario s = Scenario.steady();
        s.at(95).session(CX, DX_PEER, BgpState.IDLE, null, null, DownCause.ADMINISTRATIVE).drop();
        s.at(97).sessionUpHold(CX, DX_PEER, 9).drop();
        s.at(100).holdTimerExpired(CX, DX_PEER).drop();
        assertEquals(t(97), s.group(GROUP).inProgress().start(), "the path worked when the session came up");
        assertFalse(s.group(GROUP).inProgress().bounded(), "91..94, clamped to 97");
    }

    @Test
    void aCloseByNotificationIsExactAndNamesTheSession() {
        Scenario s = steadyWithHold9();
        s.at(100).session(CX, DX_PEER, BgpState.IDLE, null, null, DownCause.NOTIFICATION_RECEIVED)
                .at(100.4).bestVia(CX, VPCS, INET_PEER);
        Signal f = s.fired(SignalType.IPSEC_FAILOVER);
        assertEquals("0.4", f.annotation("failover_seconds"));
        assertNull(f.annotation("failover_min_seconds"));
        assertEquals("bgp-session", f.annotation("failover_clock"));
        assertFalse(s.group(GROUP).lastFailover().bounded());
    }

    @Test
    void withoutAHoldTimeTheCloseIsTakenAsTheStart() {
        Scenario s = Scenario.steady();
        s.at(100).holdTimerExpired(CX, DX_PEER).at(100.3).bestVia(CX, VPCS, INET_PEER);
        Signal f = s.fired(SignalType.IPSEC_FAILOVER);
        assertEquals("0.3", f.annotation("failover_seconds"), "nothing says how long before the close");
        assertEquals("bgp-session", f.annotation("failover_clock"));
    }

    @Test
    void theInterfaceGoingDownStartsTheClockExactly() {
        Scenario s = steadyWithHold9();
        s.at(100).iface(CX, "eth1", "down");
        s.fired(SignalType.CIRCUIT_DOWN);
        s.at(109).holdTimerExpired(CX, DX_PEER).at(109.2).bestVia(CX, VPCS, INET_PEER);
        Signal f = s.fired(SignalType.IPSEC_FAILOVER);
        assertEquals("9.2", f.annotation("failover_seconds"));
        assertEquals("interface", f.annotation("failover_clock"));
        assertNull(f.annotation("failover_min_seconds"), "the hold-timer bound [100, 103] contains the interface's 100");
    }

    @Test
    void evidenceArrivingLaterThatDatesTheFailureEarlierMovesTheStartBackAndRefinesTheSignal() {
        Scenario s = steadyWithHold9();
        // the BGP channel is ahead: the session's close and the flush to the backup come first
        s.at(109).holdTimerExpired(CX, DX_PEER).at(109.2).bestVia(CX, VPCS, INET_PEER);
        Signal first = s.fired(SignalType.IPSEC_FAILOVER);
        s.drop();
        assertEquals("bgp-hold-timer", first.annotation("failover_clock"));
        assertEquals("10.2", first.annotation("failover_seconds"), "100..103 to 109.2, plus the allowance");
        assertEquals("6.2", first.annotation("failover_min_seconds"));
        // the telemetry channel catches up: the interface went down at 100
        s.at(110).eventAt(100).iface(CX, "eth1", "down");
        s.fired(SignalType.CIRCUIT_DOWN);
        Signal refined = s.lastUpdate(SignalType.IPSEC_FAILOVER);
        assertEquals(first.fingerprint(), refined.fingerprint());
        assertEquals("9.2", refined.annotation("failover_seconds"));
        assertNull(refined.annotation("failover_min_seconds"), "now exact");
        assertEquals("interface", refined.annotation("failover_clock"));
        Switchover last = s.group(GROUP).lastFailover();
        assertEquals(t(100), last.start());
        assertFalse(last.bounded());
        assertEquals(1, s.transitions.stream().filter(x -> x.type() == SignalType.IPSEC_FAILOVER).count(),
                "refined in place, not raised again");
    }

    @Test
    void laterEvidenceDuringTheFailoverMovesItsStartBack() {
        Scenario s = steadyWithHold9();
        s.at(100).tunnelDown(PRIMARY).drop();
        assertEquals(t(100), s.group(GROUP).inProgress().start());
        assertEquals("tunnel", s.group(GROUP).inProgress().clock());
        s.at(101).eventAt(98.5).iface(CX, "eth1", "down").drop();
        assertEquals(t(98.5), s.group(GROUP).inProgress().start());
        assertEquals("interface", s.group(GROUP).inProgress().clock());
        s.at(102).bestVia(CX, VPCS, INET_PEER);
        assertEquals("3.5", s.fired(SignalType.IPSEC_FAILOVER).annotation("failover_seconds"));
    }

    @Test
    void aRouteChangeSeenAfterATrafficCompletionButDatedEarlierEndsTheFailoverThen() {
        Scenario s = Scenario.steady();
        s.at(90).tunnel(BACKUP, "up", 1_000L).silent();
        s.at(100).tunnelDown(PRIMARY).at(104).tunnel(BACKUP, "up", 200_000L);
        Signal f = s.fired(SignalType.IPSEC_FAILOVER);
        assertEquals("4.0", f.annotation("failover_seconds"));
        assertEquals("traffic", f.annotation("completed_by"));
        // the BGP channel was behind: the best path had moved to the backup at 102
        s.at(105).eventAt(102).bestVia(CX, VPCS, INET_PEER);
        Signal refined = s.lastUpdate(SignalType.IPSEC_FAILOVER);
        assertEquals("2.0", refined.annotation("failover_seconds"));
        assertEquals("route", refined.annotation("completed_by"));
        assertEquals(t(102), s.group(GROUP).lastFailover().end());
        // a later one changes nothing
        s.at(106).eventAt(106).bestVia(CX, SHARED, INET_PEER);
        assertEquals(t(102), s.group(GROUP).lastFailover().end());
    }

    @Test
    void aPrefixThePrimarysLiveSessionWithdrawsDuringTheCutDoesNotCompleteTheFailover() {
        // the dev-mode demo's missing IpsecFailover: a prefix flapping at the cut's instant was withdrawn
        // over the primary's session (still up, its hold timer running) and the backup's path was left
        Scenario s = steadyWithHold9();
        s.at(100).iface(CX, "eth1", "down").drop();
        s.at(100).onlyVia(CX, SHARED, INET_PEER).drop();
        assertEquals(GroupPhase.FAILING_OVER, s.group(GROUP).phase(), "not the traffic moving");
        s.at(109).holdTimerExpired(CX, DX_PEER).onlyVia(CX, VPCS, INET_PEER);
        Signal f = s.fired(SignalType.IPSEC_FAILOVER);
        assertEquals("9.0", f.annotation("failover_seconds"), "completed by the close's flush, from the interface");
    }

    @Test
    void aStalePrimaryPathOverADownCircuitBecomingBestIsNoRecovery() {
        Scenario s = steadyWithHold9();
        s.at(100).iface(CX, "eth1", "down").drop();
        // the backup's path of a flapping prefix goes; the primary's stale path is what is left
        s.at(103).onlyVia(CX, SHARED, DX_PEER).drop();
        assertEquals(GroupPhase.FAILING_OVER, s.group(GROUP).phase(), "the failover goes on");
        s.at(109).holdTimerExpired(CX, DX_PEER).onlyVia(CX, VPCS, INET_PEER);
        assertEquals("9.0", s.fired(SignalType.IPSEC_FAILOVER).annotation("failover_seconds"));
    }

    @Test
    void aStreakOfLostProbeRoundsDatesTheOutageBetweenTheLastAnsweredRoundAndTheFirstLostOne() {
        Scenario s = Scenario.steady();
        s.at(96).probe(DX, 2, 0.5, 0).at(97).probe(DX, 2, 0.5, 0);
        s.at(98).probe(DX, 0, 0, 100).at(99).probe(DX, 0, 0, 100).silent();
        s.at(100).probe(DX, 0, 0, 100);
        s.fired(SignalType.CIRCUIT_DOWN);
        TunnelGroupView g = s.group(GROUP);
        assertEquals(t(97), g.inProgress().start());
        assertEquals(t(98), g.inProgress().startLatest());
        assertEquals("circuit-probes", g.inProgress().clock());
        s.at(101).bestVia(CX, VPCS, INET_PEER);
        Signal f = s.fired(SignalType.IPSEC_FAILOVER);
        assertEquals("3.0", f.annotation("failover_min_seconds"));
        assertEquals("4.0", f.annotation("failover_max_seconds"));
    }

    @Test
    void combiningTakesThePieceThatShowsTheFailureEarliestNarrowedByThoseThatOverlapIt() {
        Evidence hold = new Evidence(Evidence.Kind.BGP_HOLD_TIMER, t(91), t(94));
        Evidence otherHold = new Evidence(Evidence.Kind.BGP_HOLD_TIMER, t(92), t(95));
        Evidence iface = Evidence.at(Evidence.Kind.INTERFACE, t(93));
        Evidence tunnel = Evidence.at(Evidence.Kind.TUNNEL, t(96));
        assertEquals(iface, Evidence.combine(java.util.List.of(hold, iface, tunnel)));
        assertEquals(new Evidence(Evidence.Kind.BGP_HOLD_TIMER, t(92), t(94)),
                Evidence.combine(java.util.List.of(hold, otherHold, tunnel)));
        assertEquals(Evidence.at(Evidence.Kind.TUNNEL, t(90)),
                Evidence.combine(java.util.List.of(hold, Evidence.at(Evidence.Kind.TUNNEL, t(90)))),
                "a piece outside the interval speaks of the failure earlier still");
        assertNull(Evidence.combine(java.util.Arrays.asList(null, null)));
    }
}
