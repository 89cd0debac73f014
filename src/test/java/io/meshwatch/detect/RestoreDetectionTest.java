package io.meshwatch.detect;

import static io.meshwatch.detect.Scenario.assertSeconds;
import static io.meshwatch.detect.Scenario.restoredSession;
import static io.meshwatch.detect.Scenario.t;
import static io.meshwatch.detect.TestNetwork.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.event.BgpState;
import io.meshwatch.inventory.Severity;
import io.meshwatch.network.BgpSession;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Sessions restored from the database at start-up, handed to the engine with
 * {@link DetectionEngine#restore}: known at once, as already so (no signal, no transition), and
 * followed from there as if the engine had seen them all along.
 */
class RestoreDetectionTest {

    static final BgpState UP = BgpState.ESTABLISHED;
    static final BgpState IDLE = BgpState.IDLE;

    /** Every session of the test network, established since T0 - 3600 s except where {@code down} names it. */
    static BgpSession[] network(String... down) {
        List<String> downPeers = List.of(down);
        return List.of(
                restoredSession(CX, DX_PEER, AWS_AS, UP, -3600), restoredSession(TR, DX_PEER_TR, AWS_AS, UP, -3600),
                restoredSession(CX, INET_PEER, AWS_AS, UP, -3600), restoredSession(CX, ER_PEER, AZURE_AS, UP, -3600),
                restoredSession(CX, AZ_INET_PEER, AZURE_AS, UP, -3600), restoredSession(CX, IC_PEER, GCP_AS, UP, -3600))
                .stream()
                .map(b -> downPeers.contains(b.peer()) ? restoredSession(b.router(), b.peer(), b.peerAs(), IDLE, -60) : b)
                .toArray(BgpSession[]::new);
    }

    /** A service just restarted: the inventory, then the restored sessions, at T0. */
    static Scenario restarted(DetectionSettings settings, String... down) {
        Scenario s = Scenario.with(inventory(), settings).at(0);
        List<BgpSession> saved = List.of(network(down));
        s.shard.restore(saved); // as the service: its sessions restored from the database, detection seeded from them
        assertEquals(6, s.engine.restore(saved), "every restored session taken");
        return s;
    }

    static Scenario restarted(String... down) {
        return restarted(DetectionSettings.defaults().withFeeds(Duration.ZERO, Duration.ZERO), down);
    }

    static SessionView view(Scenario s, String peer) {
        return s.engine.sessions().stream().filter(v -> v.peer().equals(peer)).findFirst().orElseThrow();
    }

    @Test
    void restoredSessionsRaiseNothingAndAreKnownWithTheirState() {
        Scenario s = restarted(DX_PEER_TR);
        s.silent();
        assertTrue(s.transitions.isEmpty(), "no signal from the restore");
        assertTrue(s.incidentEmissions.isEmpty(), "no incident from the restore");
        assertTrue(s.failovers.isEmpty() && s.failbacks.isEmpty(), "nothing measured");
        assertTrue(s.engine.firing().isEmpty());
        assertEquals(Optional.empty(), s.engine.nextDeadline(), "no timer started");

        List<SessionView> views = s.engine.sessions();
        assertEquals(6, views.size());
        SessionView dx = views.stream().filter(v -> v.peer().equals(DX_PEER)).findFirst().orElseThrow();
        assertEquals(UP, dx.state());
        assertEquals(t(-3600), dx.since());
        assertEquals(AWS_AS, dx.peerAs());
        assertEquals(3, dx.flaps(), "the drops counted before the restart");
        assertFalse(dx.flapping());
        assertEquals(DX, dx.circuit());
        assertEquals(PRIMARY, dx.tunnel());
        SessionView tr = view(s, DX_PEER_TR);
        assertEquals(IDLE, tr.state(), "a session restored down is known as down");
        assertEquals(t(-60), tr.since());

        TunnelGroupView g = s.group(GROUP);
        assertEquals(GroupPhase.NORMAL, g.phase(), "the primary's session is established");
        assertEquals(PRIMARY, g.carrying());
        assertEquals(List.of(TunnelStatus.UP, TunnelStatus.UP), g.tunnels().stream().map(t -> t.status()).toList());
        assertEquals(GroupPhase.NORMAL, s.group(AZ_GROUP).phase());
    }

    @Test
    void restoredEstablishedThenDownFiresSessionDownAndFailsOverFromThatDown() {
        Scenario s = restarted();
        s.at(100).sessionDown(CX, DX_PEER);
        Signal down = s.fired(SignalType.BGP_SESSION_DOWN, "peer", DX_PEER);
        s.silent();
        assertEquals(t(100), down.startedAt());
        assertEquals(Severity.MAJOR, down.severity(), "the restored backup session is up");
        assertEquals("yes", down.annotation("redundancy"));
        TunnelGroupView during = s.group(GROUP);
        assertEquals(GroupPhase.FAILING_OVER, during.phase());
        assertEquals(t(100), during.inProgress().start(), "the failover starts at the session's down");

        s.at(106).bestVia(CX, VPCS, INET_PEER);
        Signal f = s.fired(SignalType.IPSEC_FAILOVER);
        s.fired(SignalType.BEST_PATH_ON_BACKUP, "prefix", VPCS);
        s.silent();
        assertEquals("6.0", f.annotation("failover_seconds"));
        assertEquals("BGP session cx-ash -> 169.254.10.2 down", f.annotation("cause"));
        assertEquals(1, s.failovers.size());
        assertSeconds(6, s.failovers.get(0).duration());
        assertEquals(4, view(s, DX_PEER).flaps(), "one drop more than the 3 restored");
    }

    /**
     * The dev-mode restart seen in the field: the simulator restates tunnels up (telemetry is not
     * deduplicated) but not the sessions; the circuit is cut, a prefix churns in over the backup
     * while the primary's session still stands, and the session drops at the 6 s hold time.
     */
    @Test
    void aCutJustAfterARestartWaitsForTheRestoredSessionAndMeasuresFromTheCut() {
        Scenario s = restarted().at(1).tunnelUp(PRIMARY).tunnelUp(BACKUP).iface(CX, "eth1", "up")
                .bestVia(CX, VPCS, DX_PEER).silent();

        s.at(100).iface(CX, "eth1", "down");
        Signal cut = s.fired(SignalType.CIRCUIT_DOWN, "circuit", DX);
        s.silent();
        assertEquals(GroupPhase.FAILING_OVER, s.group(GROUP).phase());

        s.at(100.4).bestVia(CX, "10.1.77.0/24", INET_PEER).silent();
        assertEquals(GroupPhase.FAILING_OVER, s.group(GROUP).phase(),
                "a churned prefix over the backup while the restored primary session stands is no failover");

        s.at(106).sessionDown(CX, DX_PEER);
        Signal down = s.fired(SignalType.BGP_SESSION_DOWN, "peer", DX_PEER);
        s.silent();
        assertTrue(down.inhibited(), "explained by the cut");
        assertEquals(cut.incidentId(), down.incidentId());

        s.at(106.2).bestVia(CX, VPCS, INET_PEER);
        Signal f = s.fired(SignalType.IPSEC_FAILOVER);
        s.fired(SignalType.BEST_PATH_ON_BACKUP, "prefix", VPCS);
        s.silent();
        assertEquals("6.2", f.annotation("failover_seconds"), "from the cut to the best path via the backup");
        assertEquals(t(100), s.group(GROUP).lastFailover().start());
    }

    @Test
    void restoredDownSessionComingUpResolvesNothingAndIsNoFlap() {
        // two transitions would make a session flapping: the restore must not count one
        Scenario s = restarted(DetectionSettings.defaults().withFlapping(2, Duration.ofMinutes(5),
                Duration.ofMinutes(5)), DX_PEER);
        s.silent();
        TunnelGroupView onBackup = s.group(GROUP);
        assertEquals(GroupPhase.ON_BACKUP, onBackup.phase(), "primary restored down, backup up");
        assertEquals(BACKUP, onBackup.carrying());
        assertFalse(onBackup.allDown());
        assertNull(onBackup.lastFailover(), "no failover measured from restored state");

        s.at(100).sessionUp(CX, DX_PEER).silent();
        SessionView dx = view(s, DX_PEER);
        assertEquals(UP, dx.state());
        assertEquals(t(100), dx.since());
        assertFalse(dx.flapping(), "one transition since the restart");
        assertEquals(GroupPhase.FAILING_BACK, s.group(GROUP).phase());

        s.at(101.5).bestVia(CX, VPCS, DX_PEER).silent();
        assertEquals(GroupPhase.NORMAL, s.group(GROUP).phase());
        assertEquals(1, s.failbacks.size());
        assertSeconds(1.5, s.failbacks.get(0).duration());
        assertTrue(s.transitions.isEmpty(), "nothing resolved that never fired");

        s.at(200).sessionDown(CX, DX_PEER);
        s.fired(SignalType.BGP_SESSION_FLAPPING, "peer", DX_PEER);
        s.drop();
    }

    @Test
    void restatingTheRestoredStateChangesNothingAndOlderEventsAreStale() {
        Scenario s = restarted(DX_PEER_TR);
        s.at(100).sessionUp(CX, DX_PEER).sessionDown(TR, DX_PEER_TR).silent();
        assertEquals(t(-3600), view(s, DX_PEER).since(), "a restatement is no change");
        assertEquals(t(-60), view(s, DX_PEER_TR).since(), "a restated down is no change either");
        assertEquals(GroupPhase.NORMAL, s.group(GROUP).phase());

        s.at(110).eventAt(-4000).sessionDown(CX, DX_PEER).silent();
        assertEquals(UP, view(s, DX_PEER).state(), "older than the restored newest event: stale");
        assertTrue(s.incidentEmissions.isEmpty());
    }

    @Test
    void aCircuitCountsTheRestoredSessionsOnIt() {
        // dx-ash-use1 carries two sessions: one going down leaves the other, restored established
        Scenario s = restarted();
        s.at(100).sessionDown(TR, DX_PEER_TR);
        s.fired(SignalType.BGP_SESSION_DOWN, "peer", DX_PEER_TR);
        s.silent();
        assertFalse(s.engine.firing().stream().anyMatch(x -> x.type() == SignalType.CIRCUIT_DOWN));

        s.at(101).sessionDown(CX, DX_PEER);
        s.fired(SignalType.CIRCUIT_DOWN, "circuit", DX);
        assertEquals("all 2 BGP sessions on it down", s.engine.circuit(DX).orElseThrow().reasons().get(0));
        s.drop();
    }

    @Test
    void aGroupRestoredAllDownRaisesNothingThenOrWhenATunnelReturns() {
        Scenario s = restarted(DX_PEER, INET_PEER);
        s.silent();
        TunnelGroupView g = s.group(GROUP);
        assertTrue(g.allDown());
        assertEquals(GroupPhase.UNKNOWN, g.phase(), "nothing carried traffic that detection could tell");
        assertNull(g.carrying());

        s.at(50).tunnelDown(PRIMARY).silent();
        s.at(100).sessionUp(CX, INET_PEER).silent();
        assertFalse(s.group(GROUP).allDown());
        assertTrue(s.transitions.isEmpty(), "no IpsecTunnelGroupDown raised for, nor resolved from, restored state");

        s.at(110).sessionDown(CX, INET_PEER);
        s.fired(SignalType.BGP_SESSION_DOWN, "peer", INET_PEER);
        s.fired(SignalType.IPSEC_TUNNEL_GROUP_DOWN);
        s.silent();
    }

    @Test
    void aSessionTheEngineAlreadyFollowsIsNotOverwritten() {
        Scenario s = Scenario.with(inventory()).at(0).sessionUp(CX, DX_PEER).at(5).sessionDown(CX, DX_PEER);
        s.fired(SignalType.BGP_SESSION_DOWN);
        s.fired(SignalType.CIRCUIT_DOWN, "circuit", DX);
        s.silent();
        assertEquals(5, s.engine.restore(List.of(network())), "the session already followed is skipped");
        s.silent();
        SessionView dx = view(s, DX_PEER);
        assertEquals(IDLE, dx.state());
        assertEquals(t(5), dx.since());
        assertTrue(s.engine.firing().stream().anyMatch(x -> x.type() == SignalType.BGP_SESSION_DOWN),
                "its BgpSessionDown still fires");
    }
}
