package io.meshwatch.detect;

import io.meshwatch.testing.ManualClock;
import static io.meshwatch.detect.Scenario.t;
import static io.meshwatch.detect.TestNetwork.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.event.BgpState;
import io.meshwatch.event.PeerStateEvent;
import io.meshwatch.inventory.Inventory;
import io.meshwatch.network.NetworkState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DetectionEngineTest {

    @Test
    void nextDeadlineIsTheEarliestPendingTimer() {
        Scenario s = Scenario.steady(DetectionSettings.defaults().withFeeds(Duration.ZERO, Duration.ZERO)
                .withSessionDownDwell(Duration.ofSeconds(20)));
        assertEquals(Optional.empty(), s.engine.nextDeadline());
        s.at(100).tunnelDown(PRIMARY);
        assertEquals(Optional.of(t(130)), s.engine.nextDeadline(), "failover objective");
        s.at(105).withdrawn(CX, PRIVATELINK);
        assertEquals(Optional.of(t(108)), s.engine.nextDeadline(), "prefix debounce");
        s.at(106).sessionDown(TR, DX_PEER_TR);
        assertEquals(Optional.of(t(108)), s.engine.nextDeadline());
        s.at(108).tick().fired(SignalType.PREFIX_UNREACHABLE);
        assertEquals(Optional.of(t(126)), s.engine.nextDeadline(), "session dwell");
    }

    @Test
    void theFeedWatchesAreTimersToo() {
        Scenario s = Scenario.steady(DetectionSettings.defaults().withFeeds(Duration.ofMinutes(5), Duration.ofMinutes(10)));
        assertEquals(Optional.of(t(300)), s.engine.nextDeadline(), "telemetry silence, 5 min after cx-ash's last");
        s.at(100).iface(CX, "eth1", "up");
        assertEquals(Optional.of(t(400)), s.engine.nextDeadline());
    }

    @Test
    void inputsFireTimersAlreadyDueBeforeApplyingThemselves() {
        Scenario s = Scenario.steady();
        s.at(10).withdrawn(CX, PRIVATELINK);
        s.at(20).bestVia(CX, PRIVATELINK, DX_PEER);
        Signal lost = s.fired(SignalType.PREFIX_UNREACHABLE);
        Signal back = s.resolved(SignalType.PREFIX_UNREACHABLE);
        assertEquals(t(20), lost.raisedAt(), "raised late (no tick), but raised");
        assertEquals(t(20), back.endedAt());
        assertTrue(s.transitions.indexOf(lost) < s.transitions.indexOf(back));
    }

    @Test
    void sameInventoryAgainKeepsStateAndRaisesNothing() {
        Scenario s = Scenario.steady();
        s.at(100).iface(CX, "eth1", "down").fired(SignalType.CIRCUIT_DOWN);
        s.at(101).tunnelDown(BACKUP).fired(SignalType.IPSEC_TUNNEL_GROUP_DOWN);
        s.engine.inventory(inventory());
        s.silent();
        assertEquals(CircuitState.DOWN, s.circuit(DX).state());
        assertTrue(s.group(GROUP).allDown());
        assertEquals(GroupPhase.FAILING_OVER, s.group(GROUP).phase());
    }

    @Test
    void removingThingsFromTheInventoryResolvesTheirSignals() {
        Scenario s = Scenario.steady();
        s.at(100).iface(CX, "eth1", "down").fired(SignalType.CIRCUIT_DOWN);
        s.at(101).tunnelDown(BACKUP).fired(SignalType.IPSEC_TUNNEL_GROUP_DOWN);
        s.at(102).withdrawn(CX, PRIVATELINK).at(105).tick().fired(SignalType.PREFIX_UNREACHABLE);
        s.at(110);
        s.engine.inventory(Inventory.empty());
        for (SignalType type : List.of(SignalType.CIRCUIT_DOWN, SignalType.IPSEC_TUNNEL_GROUP_DOWN,
                SignalType.PREFIX_UNREACHABLE)) {
            Signal r = s.resolved(type);
            assertTrue(r.annotation("cause").contains("inventory") || r.annotation("cause").contains("watched"),
                    r.annotations().toString());
            assertEquals(t(110), r.endedAt());
        }
        s.silent();
        assertTrue(s.engine.firing().isEmpty());
        assertEquals(List.of(), s.engine.circuits());
        assertEquals(List.of(), s.engine.tunnelGroups());
        assertEquals(Optional.empty(), s.engine.nextDeadline(), "the group's objective timer went with it");
    }

    @Test
    void sessionChangesFromNetworkStateAreAcceptedAsInputs() {
        Scenario s = Scenario.with(inventory());
        NetworkState ns = new NetworkState(s.clock);
        ns.apply(new PeerStateEvent(TR, t(0), "default", "10.0.0.9", 65002, 65001L, BgpState.ESTABLISHED, null))
                .ifPresent(s.engine::session);
        s.at(10);
        ns.apply(new PeerStateEvent(TR, t(10), "default", "10.0.0.9", 65002, 65001L, BgpState.ACTIVE, "reset"))
                .ifPresent(s.engine::session);
        Signal down = s.fired(SignalType.BGP_SESSION_DOWN);
        assertEquals("active", down.annotation("state"));
        assertEquals("reset", down.annotation("reason"));
        assertEquals(t(10), down.startedAt());
    }

    @Test
    void firingReadModelCarriesTheCorrelation() {
        Scenario s = Scenario.steady();
        s.at(100).iface(CX, "eth1", "down").at(101).sessionDown(CX, DX_PEER).drop();
        List<Signal> firing = s.engine.firing();
        assertEquals(List.of(SignalType.BGP_SESSION_DOWN, SignalType.CIRCUIT_DOWN),
                firing.stream().map(Signal::type).toList());
        assertTrue(firing.get(0).inhibited());
        assertEquals(firing.get(1).incidentId(), firing.get(0).incidentId());
        assertEquals(1, s.engine.incidents().size());
        assertEquals(s.engine.incidents().get(0), s.engine.incident(firing.get(1).incidentId()).orElseThrow());
    }

    @Test
    void sessionViewShowsWhatRidesWhat() {
        Scenario s = Scenario.steady();
        SessionView v = s.engine.sessions().stream().filter(x -> x.peer().equals(DX_PEER)).findFirst().orElseThrow();
        assertEquals(DX, v.circuit());
        assertEquals(PRIMARY, v.tunnel());
        assertEquals(BgpState.ESTABLISHED, v.state());
        assertEquals(6, s.engine.sessions().size());
    }

    @Test
    void listenerSeesSignalsBeforeTheIncidentsTheyChanged() {
        List<String> order = new ArrayList<>();
        DetectionEngine e = new DetectionEngine(new ManualClock(t(0)), DetectionSettings.defaults(),
                new DetectionListener() {
                    @Override
                    public void signal(Signal signal) {
                        order.add("signal " + signal.type().alertName());
                    }

                    @Override
                    public void incident(Incident incident) {
                        order.add("incident " + incident.status());
                    }
                });
        NetworkState shard = new NetworkState(new ManualClock(t(0)));
        for (int i = 0; i < 3; i++) {
            shard.apply(new PeerStateEvent(TR, t(i), "default", "10.0.0.9", 65002, null,
                    i == 1 ? BgpState.IDLE : BgpState.ESTABLISHED, null)).ifPresent(e::session);
        }
        assertEquals(List.of("signal BgpSessionDown", "incident OPEN", "signal BgpSessionDown", "incident RESOLVED"),
                order);
    }

    @Test
    void settingsRejectNonsense() {
        DetectionSettings d = DetectionSettings.defaults();
        assertThrows(IllegalArgumentException.class, () -> d.withSessionDownDwell(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> d.withFlapping(1, Duration.ofMinutes(1),
                Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class, () -> d.withBackupTrafficBytes(0));
    }

    @Test
    void documentedDefaults() {
        DetectionSettings d = DetectionSettings.defaults();
        assertEquals(Duration.ZERO, d.sessionDownDwell());
        assertEquals(4, d.flapTransitions());
        assertEquals(Duration.ofMinutes(5), d.flapWindow());
        assertEquals(Duration.ofMinutes(5), d.flapQuiet());
        assertEquals(Duration.ofSeconds(3), d.prefixDebounce());
        assertEquals(false, d.anyPrefixUnreachable());
        assertEquals(10_000, d.maxAnyPrefixTracked());
        assertEquals(65_536, d.backupTrafficBytes());
        assertEquals(Duration.ofSeconds(30), d.defaultFailoverObjective());
        assertEquals(Duration.ofMinutes(5), d.correlationWindow());
        assertEquals(500, d.incidentHistory());
    }
}
