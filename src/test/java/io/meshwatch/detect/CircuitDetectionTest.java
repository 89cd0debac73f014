package io.meshwatch.detect;

import static io.meshwatch.detect.Scenario.t;
import static io.meshwatch.detect.TestNetwork.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.event.InterfaceCountersEvent;
import io.meshwatch.event.ProbeResultEvent;
import io.meshwatch.inventory.Severity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CircuitDetectionTest {

    @Test
    void aEndInterfaceDownIsCircuitDown() {
        Scenario s = Scenario.steady();
        s.at(100).iface(CX, "eth1", "down");
        Signal down = s.fired(SignalType.CIRCUIT_DOWN);
        s.silent();
        assertEquals(Map.of("circuit", DX), down.labels());
        assertEquals("Circuit dx-ash-use1 (AWS Direct Connect 10G (Equinix DC2)) down: interface cx-ash eth1 oper-down",
                down.summary());
        assertEquals(Severity.MAJOR, down.severity(), "a tunnel group's primary rides it: there is a backup");
        assertEquals(t(100), down.startedAt());
        CircuitView v = s.circuit(DX);
        assertEquals(CircuitState.DOWN, v.state());
        assertEquals(List.of("interface cx-ash eth1 oper-down"), v.reasons());

        s.at(160).iface(CX, "eth1", "up");
        assertEquals(CircuitState.UP, s.circuit(DX).state(), "up at once");
        s.heldDown();
        assertEquals(t(160), s.resolved(SignalType.CIRCUIT_DOWN).endedAt(), "after the hold-down, at the clear time");
        assertEquals(CircuitState.UP, s.circuit(DX).state());
    }

    @Test
    void circuitWithoutBackupIsCriticalAndLowerLayerDownCounts() {
        Scenario s = Scenario.steady();
        s.at(100).iface(CX, "eth3", "lower_layer_down");
        Signal down = s.fired(SignalType.CIRCUIT_DOWN, "circuit", IC);
        assertEquals(Severity.CRITICAL, down.severity());
        assertEquals("Circuit ic-ash-gcp (Google Partner Interconnect 1G via Equinix DC2) down: "
                + "interface cx-ash eth3 oper-lower_layer_down", down.summary());
        s.at(101).iface(CX, "eth3", "testing").silent();
        assertEquals(CircuitState.DOWN, s.circuit(IC).state(), "testing/dormant/unknown leave the state as it was");
    }

    @Test
    void otherInterfacesAreIgnored() {
        Scenario s = Scenario.steady();
        s.at(100).iface(CX, "eth9", "down").iface(TR, "eth1", "down").silent();
        assertEquals(CircuitState.UP, s.circuit(DX).state(), "only the A end is watched");
    }

    @Test
    void everySessionOnTheCircuitDownIsCircuitDown() {
        Scenario s = Scenario.steady();
        s.at(100).sessionDown(CX, DX_PEER).fired(SignalType.BGP_SESSION_DOWN);
        s.silent();
        assertEquals(CircuitState.UP, s.circuit(DX).state(), "one of two sessions still up");
        s.at(101).sessionDown(TR, DX_PEER_TR);
        s.fired(SignalType.BGP_SESSION_DOWN, "router", TR);
        Signal down = s.fired(SignalType.CIRCUIT_DOWN);
        s.silent();
        assertEquals("all 2 BGP sessions on it down", down.annotation("cause"));
        s.at(120).sessionUp(TR, DX_PEER_TR);
        s.resolved(SignalType.BGP_SESSION_DOWN, "router", TR);
        s.heldDown();
        s.resolved(SignalType.CIRCUIT_DOWN);
        s.silent();
    }

    @Test
    void aTunnelFailingOverAHealthyCircuitIsNotACircuitOutage() {
        Scenario s = Scenario.steady();
        s.at(0).probe(DX, 2, 0.2, 0).tunnelProbe(PRIMARY, 2.3, 0.2, 0);
        s.at(5).probe(DX, 2, 0.2, 0).tunnelProbe(PRIMARY, 2.3, 0.2, 0).silent();
        // the far gateway deletes the primary's IKE SA: the tunnel and both ends of its session drop,
        // the circuit's interface stays up and its own probes are answered
        s.at(10).tunnelDown(PRIMARY).probe(DX, 2, 0.2, 0).tunnelProbe(PRIMARY, 0, 0, 100);
        s.at(11).sessionDown(CX, DX_PEER).sessionDown(TR, DX_PEER_TR).bestVia(CX, VPCS, INET_PEER);
        s.at(15).probe(DX, 2, 0.2, 0).tunnelProbe(PRIMARY, 0, 0, 100);
        s.at(20).probe(DX, 2, 0.2, 0).tunnelProbe(PRIMARY, 0, 0, 100);
        s.at(25).probe(DX, 2, 0.2, 0).tunnelProbe(PRIMARY, 0, 0, 100);
        assertTrue(s.transitions.stream().noneMatch(x -> x.type() == SignalType.CIRCUIT_DOWN), s.transitions.toString());
        Signal failover = s.fired(SignalType.IPSEC_FAILOVER);
        assertEquals("1.0", failover.annotation("failover_seconds"));
        CircuitView v = s.circuit(DX);
        assertEquals(CircuitState.UP, v.state(), "all sessions down, but the circuit's own probes are answered");
        assertEquals(0.0, v.probe().lossPct(), "the tunnel's lost rounds do not speak for the circuit");
        assertEquals("probe-target", v.probe().target());
    }

    @Test
    void sessionsDownAreACircuitOutageWhenTheCircuitsOwnProbesAreLost() {
        Scenario s = Scenario.steady();
        s.at(0).probe(DX, 2, 0.2, 0).at(5).probe(DX, 2, 0.2, 0);
        // a cut beyond the interface, which stays up: the next round is lost, then the hold timer expires
        s.at(10).probe(DX, 0, 0, 100).silent();
        s.at(11).sessionDown(CX, DX_PEER).sessionDown(TR, DX_PEER_TR);
        Signal down = s.fired(SignalType.CIRCUIT_DOWN);
        assertEquals("all 2 BGP sessions on it down", down.annotation("cause"));
        assertEquals(t(11), down.startedAt());
    }

    @Test
    void answeredProbesVouchForTheCircuitOnlyWhileTheyAreCurrent() {
        Scenario s = Scenario.steady();
        s.at(0).probe(DX, 2, 0.2, 0).at(5).probe(DX, 2, 0.2, 0);
        // rounds every 5 s, 3 lost rounds make it down: the latest round is current for 4 intervals, to t=25
        s.at(24).sessionDown(CX, DX_PEER).fired(SignalType.BGP_SESSION_DOWN, "router", CX);
        s.at(25).sessionDown(TR, DX_PEER_TR).fired(SignalType.BGP_SESSION_DOWN, "router", TR);
        s.silent();
        assertEquals(CircuitState.UP, s.circuit(DX).state());
        s.at(26).retransmits(CX, DX_PEER, 1000, 0);
        assertEquals("all 2 BGP sessions on it down", s.fired(SignalType.CIRCUIT_DOWN).annotation("cause"),
                "the probes stopped: nothing shows the circuit healthy any more");
    }

    @Test
    void tunnelProbesStandInOnlyForACircuitWithoutCurrentProbesOfItsOwn() {
        Scenario own = Scenario.steady();
        own.at(0).probe(DX, 2, 0.2, 0).at(5).probe(DX, 2, 0.2, 0);
        own.at(6).tunnelProbe(PRIMARY, 0, 0, 100).at(7).tunnelProbe(PRIMARY, 0, 0, 100)
                .at(8).tunnelProbe(PRIMARY, 0, 0, 100).at(9).tunnelProbe(PRIMARY, 0, 0, 100).silent();
        assertEquals(CircuitState.UP, own.circuit(DX).state());
        assertEquals(Optional.empty(), own.engine.nextDeadline(), "no degradation dwell from the tunnel's loss");

        Scenario none = Scenario.steady();
        none.at(6).tunnelProbe(PRIMARY, 0, 0, 100).at(7).tunnelProbe(PRIMARY, 0, 0, 100).silent();
        none.at(8).tunnelProbe(PRIMARY, 0, 0, 100);
        assertEquals("probe loss >= 100% for 3 consecutive rounds through its tunnels",
                none.fired(SignalType.CIRCUIT_DOWN).annotation("cause"));
    }

    @Test
    void downProbesMinusOneLossRoundsAreNotDownTheNextIs() {
        Scenario s = Scenario.steady();
        s.at(0).probe(IC, 2, 0.5, 0);
        s.at(10).probe(IC, 0, 0, 100).at(20).probe(IC, 0, 0, 100).silent();
        assertEquals(CircuitState.UP, s.circuit(IC).state());
        s.at(30).probe(IC, 0, 0, 100);
        Signal down = s.fired(SignalType.CIRCUIT_DOWN);
        s.silent();
        assertEquals("probe loss >= 100% for 3 consecutive rounds", down.annotation("cause"));
        assertEquals(Optional.empty(), s.engine.nextDeadline(), "the degradation dwell is cancelled while down");
        s.at(40).probe(IC, 2, 0.5, 0).heldDown();
        s.resolved(SignalType.CIRCUIT_DOWN);
        s.silent();
    }

    @Test
    void aRoundBelowDownLossResetsTheCount() {
        Scenario s = Scenario.steady();
        s.at(10).probe(IC, 0, 0, 100).at(20).probe(IC, 0, 0, 100).at(25).probe(IC, 3, 1, 90);
        s.at(30).probe(IC, 0, 0, 100).silent();
        s.at(39).probe(IC, 0, 0, 100).silent();
        assertEquals(CircuitState.UP, s.circuit(IC).state(), "two rounds since the reset");
        s.at(55).probe(IC, 3, 1, 90);
        assertEquals("loss 90% > 1%", s.fired(SignalType.CIRCUIT_DEGRADED).annotation("cause"),
                "sustained loss short of down is a degradation once its rounds span the dwell");
        s.silent();
    }

    @Test
    void degradedFiresAtTheFirstRoundStillOverOnceTheDwellHasPassedNotBefore() {
        Scenario s = Scenario.steady();
        s.at(0).probe(DX, 20, 1, 0);
        assertEquals(Optional.empty(), s.engine.nextDeadline(), "no timer: the rounds themselves show the dwell");
        s.at(10).probe(DX, 21, 1, 0).at(29.9).probe(DX, 22, 1, 0).silent();
        s.at(45).tick().silent();
        assertEquals(CircuitState.UP, s.circuit(DX).state(), "no round since 29.9 s: the dwell is not yet shown");
        s.at(40).probe(DX, 21, 1, 0);
        Signal d = s.fired(SignalType.CIRCUIT_DEGRADED);
        s.silent();
        assertEquals(Severity.MINOR, d.severity());
        assertEquals("Circuit dx-ash-use1 (AWS Direct Connect 10G (Equinix DC2)) degraded: latency 21 ms > 15 ms",
                d.summary());
        assertEquals(t(0), d.startedAt(), "degraded since the first probe over the threshold");
        assertEquals(Duration.ofSeconds(40), d.detectionLatency(), "raised at the round that showed the dwell had passed");
        CircuitView v = s.circuit(DX);
        assertEquals(CircuitState.DEGRADED, v.state());
        assertEquals(21.0, v.probe().latencyMs());
    }

    @Test
    void aRoundExactlyTheDwellAfterTheStreakBeganConfirmsIt() {
        Scenario s = Scenario.steady();
        s.at(0).probe(DX, 20, 1, 0).at(30).probe(DX, 20, 1, 0);
        assertEquals(t(0), s.fired(SignalType.CIRCUIT_DEGRADED).startedAt());
    }

    @Test
    void atTheThresholdIsNotOverIt() {
        Scenario s = Scenario.steady();
        s.at(0).probe(DX, 15, 5, 1).at(30).probe(DX, 15, 5, 1).silent();
        s.at(40).probe(DX, 15.1, 5, 1).at(69).probe(DX, 15.1, 5, 1).silent();
        s.at(70).probe(DX, 15.1, 5, 1);
        assertEquals(t(40), s.fired(SignalType.CIRCUIT_DEGRADED).startedAt(), "over from the first round above 15 ms");
    }

    @Test
    void conditionClearingWithinDwellIsSilent() {
        Scenario s = Scenario.steady();
        s.at(0).probe(DX, 0, 9, 0).at(20).probe(DX, 0, 1, 0).at(30).probe(DX, 0, 9, 0).silent();
        s.at(59).probe(DX, 0, 9, 0).silent();
        s.at(60).probe(DX, 0, 9, 0);
        assertEquals(t(30), s.fired(SignalType.CIRCUIT_DEGRADED).startedAt(), "the streak began again at 30 s");
    }

    /**
     * The blip that a timer would have raised: one report over the threshold, and the next one, which
     * is under it, judged late (a consumer rebalance, a detection take-over replaying facts, or a
     * report interval equal to the dwell). Wall-clock time passing between them proves nothing.
     */
    @Test
    void aBlipIsNotADegradationHoweverLateTheNextReportIsJudged() {
        Scenario s = Scenario.steady();
        s.at(0).retransmits(CX, DX_PEER, 40, 1); // 2.5% > 2%: the odd retransmit on a quiet session
        s.at(30).tick().at(600).tick().silent();
        s.at(30).retransmits(CX, DX_PEER, 40, 0).silent();
        assertEquals(CircuitState.UP, s.circuit(DX).state());
    }

    @Test
    void oneFamilyStillOverDoesNotConfirmAnotherFamilysStreak() {
        Scenario s = Scenario.steady();
        s.at(0).retransmits(CX, DX_PEER, 1000, 30); // 3%, and no retransmit report since
        s.at(10).probe(DX, 2, 0.2, 0).at(40).probe(DX, 2, 0.2, 0).silent();
        assertEquals(CircuitState.UP, s.circuit(DX).state(), "healthy rounds say nothing of the retransmits");
        s.at(45).retransmits(CX, DX_PEER, 1000, 25);
        assertEquals("retransmits 2.5% > 2%", s.fired(SignalType.CIRCUIT_DEGRADED).annotation("cause"));
    }

    @Test
    void degradedClearsOnlyBelowClearRatioTimesThreshold() {
        Scenario s = Scenario.steady();
        s.at(0).probe(DX, 20, 1, 0).at(30).probe(DX, 20, 1, 0).fired(SignalType.CIRCUIT_DEGRADED);
        s.at(40).probe(DX, 14, 1, 0).at(50).probe(DX, 12, 1, 0).silent();
        assertEquals(CircuitState.DEGRADED, s.circuit(DX).state(), "12 ms is not below 0.8 x 15 ms");
        s.at(60).probe(DX, 11.9, 1, 0);
        Signal r = s.resolved(SignalType.CIRCUIT_DEGRADED);
        s.silent();
        assertEquals(t(60), r.endedAt());
        assertEquals(CircuitState.UP, s.circuit(DX).state());
    }

    @Test
    void clearingNeedsEveryMeasureBelowItsClearLevel() {
        Scenario s = Scenario.steady();
        s.at(0).probe(DX, 20, 4.5, 0).at(30).probe(DX, 20, 4.5, 0).fired(SignalType.CIRCUIT_DEGRADED);
        s.at(40).probe(DX, 5, 4.5, 0).silent();
        s.at(50).probe(DX, 5, 3.9, 0).resolved(SignalType.CIRCUIT_DEGRADED);
    }

    @Test
    void degradedIsNotRaisedWhileDownAndResolvesWhenTheCircuitGoesDown() {
        Scenario s = Scenario.steady();
        s.at(0).probe(DX, 20, 1, 0).at(30).probe(DX, 20, 1, 0).fired(SignalType.CIRCUIT_DEGRADED);
        s.at(40).iface(CX, "eth1", "down");
        s.fired(SignalType.CIRCUIT_DOWN);
        assertEquals("circuit down", s.resolved(SignalType.CIRCUIT_DEGRADED).annotation("cause"));
        s.at(50).probe(DX, 30, 9, 0).silent();
        assertEquals(Optional.of(t(70)), s.engine.nextDeadline(), "the failover objective only");
        s.at(69).tick().silent();
        s.at(85).probe(DX, 30, 9, 0).fired(SignalType.IPSEC_FAILOVER_SLOW);
        s.silent(); // rounds over the thresholds for 35 s, but the circuit is down
    }

    @Test
    void retransmitsMapToTheCircuitThroughTheSessionPeer() {
        Scenario s = Scenario.steady();
        s.at(0).retransmits(CX, DX_PEER, 1000, 20).at(30).retransmits(CX, DX_PEER, 1000, 20).silent();
        s.at(31).retransmits(CX, DX_PEER, 1000, 30).at(60).retransmits(CX, DX_PEER, 1000, 25).silent();
        s.at(61).retransmits(CX, DX_PEER, 1000, 30);
        Signal d = s.fired(SignalType.CIRCUIT_DEGRADED, "circuit", DX);
        assertEquals("retransmits 3% > 2%", d.annotation("cause"));
        assertEquals(3.0, s.circuit(DX).retransmitPct());
    }

    @Test
    void retransmitsMapByCircuitIdOrTunnelGatewayAndUnknownRemotesAreCounted() {
        Scenario s = Scenario.steady();
        s.at(0).retransmits(CX, ER, 100, 1).retransmits(CX, "10.1.255.10", 200, 1)
                .retransmits(CX, "198.51.100.7", 100, 50).silent();
        assertEquals(1.0, s.circuit(ER).retransmitPct());
        assertEquals(0.5, s.circuit(DX).retransmitPct(), "the primary tunnel's gateway rides dx-ash-use1");
        assertEquals(1, s.engine.unmatchedEvents());
    }

    @Test
    void probesNameTheirCircuitDirectlyOrThroughTheTunnelTheyRide() {
        Scenario s = Scenario.steady();
        s.engine.probe(new ProbeResultEvent(CX, t(5), "10.1.255.10", null, PRIMARY, 7.5, 0.4, 0, 10, 10));
        assertEquals(7.5, s.circuit(DX).probe().latencyMs());
        assertEquals("10.1.255.10", s.circuit(DX).probe().target());
        s.engine.probe(new ProbeResultEvent(CX, t(6), "52.23.10.10", null, BACKUP, 30, 3, 0, 10, 10));
        assertEquals(0, s.engine.unmatchedEvents(), "an internet tunnel's probe is known, just not used yet");
        s.engine.probe(new ProbeResultEvent(CX, t(7), "x", "no-such-circuit", null, 1, 1, 0, 10, 10));
        s.engine.probe(new ProbeResultEvent(CX, t(8), "x", null, "no-such-tunnel", 1, 1, 0, 10, 10));
        assertEquals(2, s.engine.unmatchedEvents());
    }

    @Test
    void aEndCountersAreShownInTheCircuitView() {
        Scenario s = Scenario.steady();
        s.engine.interfaceCounters(new InterfaceCountersEvent(CX, t(5), "eth1", 1000L, 2000L, 10L, 20L, 1L, 0L, null,
                null));
        s.engine.interfaceCounters(new InterfaceCountersEvent(CX, t(5), "eth7", 9L, 9L, 9L, 9L, 9L, 9L, 9L, 9L));
        CircuitView.Counters c = s.circuit(DX).counters();
        assertEquals(t(5), c.time());
        assertEquals(1000L, c.inOctets());
        assertEquals(2000L, c.outOctets());
        assertEquals(1L, c.inErrors());
        s.silent();
    }

    @Test
    void unknownBeforeAnythingIsHeard() {
        Scenario s = Scenario.with(inventory());
        CircuitView v = s.circuit(DX);
        assertEquals(CircuitState.UNKNOWN, v.state());
        assertNull(v.since());
        assertNull(v.probe());
        assertTrue(v.reasons().isEmpty());
    }
}
