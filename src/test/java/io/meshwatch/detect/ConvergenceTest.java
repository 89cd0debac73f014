package io.meshwatch.detect;

import static io.meshwatch.detect.Scenario.t;
import static io.meshwatch.detect.TestNetwork.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.event.BgpState;
import io.meshwatch.event.DownCause;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Routers joining page nobody, and one outage is one occurrence of each signal however its evidence
 * changes: sessions that never came up are coming up, not down; a best path on a backup whose group
 * never had its primary up is not yet a failover; CircuitDown and IpsecTunnelGroupDown are refined
 * in place through a resolve hold-down.
 */
class ConvergenceTest {

    /** The test network, empty: nothing heard yet. */
    private static Scenario joining() {
        return Scenario.with(inventory());
    }

    private static long count(Scenario s, SignalType type, SignalStatus status) {
        return s.transitions.stream().filter(x -> x.type() == type && x.status() == status).count();
    }

    @Test
    void sessionsHeardOfFirstDownAreComingUpNotDown() {
        Scenario s = joining();
        // FRR reports every backward step of a session still trying to connect as a BMP peer down
        s.at(0).session(CX, DX_PEER, AWS_AS, BgpState.IDLE, "BMP peer down 2")
                .session(TR, DX_PEER_TR, AWS_AS, BgpState.IDLE, "BMP peer down 2")
                .session(CX, INET_PEER, AWS_AS, BgpState.ACTIVE, null)
                .tunnel(PRIMARY, "up", null).iface(CX, "eth1", "up");
        s.at(0.5).session(CX, DX_PEER, AWS_AS, BgpState.CONNECT, null).session(CX, DX_PEER, AWS_AS, BgpState.IDLE, null);
        s.silent();
        assertEquals(CircuitState.UP, s.circuit(DX).state(), "sessions coming up are not all down");
        assertEquals(TunnelStatus.UNKNOWN, s.group(GROUP).tunnels().get(1).status(), "the backup is coming up");
        assertTrue(!s.group(GROUP).allDown());

        s.at(1).sessionUp(CX, INET_PEER).bestVia(CX, VPCS, INET_PEER);
        s.at(2).sessionUp(CX, DX_PEER).sessionUp(TR, DX_PEER_TR).bestVia(CX, VPCS, DX_PEER);
        s.silent();
        assertEquals(GroupPhase.NORMAL, s.group(GROUP).phase());
        assertEquals(0L, s.sessionView(CX, DX_PEER).flaps(), "coming up is no flap");

        // once up, a down is a down
        s.at(100).sessionDown(CX, DX_PEER);
        s.fired(SignalType.BGP_SESSION_DOWN);
    }

    @Test
    void aRouterRejoiningReportsItsSessionsComingUpAgainAndThatIsNoOutage() {
        Scenario s = Scenario.steady();
        // the router restarted and its BMP session is back: its sessions are still connecting
        s.at(100).session(CX, DX_PEER, BgpState.IDLE, null, null, DownCause.COMING_UP)
                .session(CX, INET_PEER, BgpState.IDLE, null, null, DownCause.COMING_UP);
        s.silent();
        s.at(102).sessionUp(CX, INET_PEER).sessionUp(CX, DX_PEER).silent();
        s.at(140).tick().silent();
        // it did leave established (its router restarted): the owner of session state counts the drop;
        // that it was no outage is detection's judgement, and nothing fired
        assertEquals(1L, s.sessionView(CX, DX_PEER).flaps(), "the drop is counted, as the router would");
        assertEquals(GroupPhase.NORMAL, s.group(GROUP).phase());
    }

    @Test
    void aSessionThatDoesNotComeBackWithinTheConvergencePeriodAfterItsRouterRejoinedWasDown() {
        Scenario s = Scenario.steady();
        s.at(100).session(CX, DX_PEER, BgpState.IDLE, null, null, DownCause.COMING_UP).silent();
        s.at(129.9).tick().silent();
        s.at(130).tick();
        Signal down = s.fired(SignalType.BGP_SESSION_DOWN, "peer", DX_PEER);
        assertEquals(t(100), down.startedAt(), "down since its router reported it still connecting");
        assertEquals(1L, s.sessionView(CX, DX_PEER).flaps());
        s.drop();
        s.at(150).sessionUp(CX, DX_PEER);
        s.resolved(SignalType.BGP_SESSION_DOWN, "peer", DX_PEER);
    }

    @Test
    void theBackupComingUpFirstIsNoBestPathOnBackup() {
        Scenario s = joining();
        s.at(0).tunnel(PRIMARY, "up", null).tunnel(BACKUP, "up", null);
        s.at(1).sessionUp(CX, INET_PEER).bestVia(CX, VPCS, INET_PEER).silent();
        assertEquals(GroupPhase.NORMAL, s.group(GROUP).phase(), "the primary tunnel reports up");
        s.drop();
    }

    @Test
    void aBestPathOnTheBackupWhileThePrimaryNeverCameUpWaitsForTheConvergencePeriod() {
        Scenario s = joining();
        s.at(1).sessionUp(CX, INET_PEER).bestVia(CX, VPCS, INET_PEER).silent();
        assertEquals(GroupPhase.UNKNOWN, s.group(GROUP).phase());
        s.at(5).sessionUp(CX, DX_PEER).bestVia(CX, VPCS, DX_PEER).silent();
        s.at(40).tick().silent();
    }

    @Test
    void aBackupStillCarryingAfterTheConvergencePeriodIsOnBackupFromWhenItStarted() {
        Scenario s = joining();
        s.at(1).sessionUp(CX, INET_PEER).bestVia(CX, VPCS, INET_PEER).silent();
        s.at(30.9).tick().silent();
        s.at(31).tick();
        Signal b = s.fired(SignalType.BEST_PATH_ON_BACKUP, "prefix", VPCS);
        assertEquals(t(1), b.startedAt());
        s.silent();
    }

    @Test
    void aCircuitDownWhoseEvidenceChangesIsOneRaiseAndOneResolution() {
        Scenario s = Scenario.steady();
        s.at(95).probe(DX, 2, 0.5, 0).at(96).probe(DX, 2, 0.5, 0).silent();
        // both sessions drop while the underlay's rounds are current and answered: vetoed
        s.at(100).sessionDown(CX, DX_PEER).sessionDown(TR, DX_PEER_TR).drop();
        assertEquals(CircuitState.UP, s.circuit(DX).state());
        // the rounds stop being current: the sessions speak
        s.at(101).retransmits(CX, DX, 1000, 0);
        s.fired(SignalType.CIRCUIT_DOWN);
        // an answered round vetoes again, then the interface goes down
        s.at(101.5).probe(DX, 2, 0.5, 0).at(101.6).probe(DX, 2, 0.5, 0);
        assertEquals(CircuitState.UP, s.circuit(DX).state(), "vetoed: the signal waits out its hold-down");
        s.at(102).iface(CX, "eth1", "down");
        assertEquals(CircuitState.DOWN, s.circuit(DX).state());
        s.silent();
        Signal refined = s.lastUpdate(SignalType.CIRCUIT_DOWN);
        assertTrue(refined.summary().contains("interface cx-ash eth1 oper-down"), refined.summary());
        // the repair: one resolution, after the hold-down, at the time the condition cleared
        s.at(200).iface(CX, "eth1", "up").sessionUp(CX, DX_PEER).sessionUp(TR, DX_PEER_TR).drop();
        s.at(204.9).tick();
        assertEquals(0, count(s, SignalType.CIRCUIT_DOWN, SignalStatus.RESOLVED));
        s.at(205).tick();
        Signal resolved = s.resolved(SignalType.CIRCUIT_DOWN);
        assertEquals(t(200), resolved.endedAt());
        assertEquals(1, count(s, SignalType.CIRCUIT_DOWN, SignalStatus.FIRING));
        assertEquals(1, count(s, SignalType.CIRCUIT_DOWN, SignalStatus.RESOLVED));
    }

    @Test
    void withoutAHoldDownTheSameChangingEvidenceResolvesAndRaisesAgain() {
        Scenario s = Scenario.steady(DetectionSettings.defaults().withResolveHoldDown(Duration.ZERO));
        s.at(95).probe(DX, 2, 0.5, 0).at(96).probe(DX, 2, 0.5, 0);
        s.at(100).sessionDown(CX, DX_PEER).sessionDown(TR, DX_PEER_TR);
        s.at(101).retransmits(CX, DX, 1000, 0);
        s.at(101.5).probe(DX, 2, 0.5, 0).at(101.6).probe(DX, 2, 0.5, 0);
        s.at(102).iface(CX, "eth1", "down");
        assertEquals(2, count(s, SignalType.CIRCUIT_DOWN, SignalStatus.FIRING), "the wobble the hold-down removes");
        assertEquals(1, count(s, SignalType.CIRCUIT_DOWN, SignalStatus.RESOLVED));
    }

    @Test
    void aTunnelGroupBackWithinTheHoldDownAndDownAgainIsOneGroupDown() {
        Scenario s = Scenario.steady();
        s.at(100).tunnelDown(PRIMARY).tunnelDown(BACKUP);
        s.fired(SignalType.IPSEC_TUNNEL_GROUP_DOWN);
        s.drop();
        s.at(101).tunnelUp(BACKUP).at(102).tunnelDown(BACKUP);
        assertEquals(1, count(s, SignalType.IPSEC_TUNNEL_GROUP_DOWN, SignalStatus.FIRING));
        assertEquals(0, count(s, SignalType.IPSEC_TUNNEL_GROUP_DOWN, SignalStatus.RESOLVED));
        s.at(110).tunnelUp(BACKUP).heldDown();
        assertEquals(1, count(s, SignalType.IPSEC_TUNNEL_GROUP_DOWN, SignalStatus.RESOLVED));
    }
}
