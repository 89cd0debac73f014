package io.meshwatch.detect;

import static io.meshwatch.detect.Scenario.t;
import static io.meshwatch.detect.TestNetwork.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.event.BgpState;
import java.util.List;
import io.meshwatch.network.BgpSession;
import io.meshwatch.inventory.Severity;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SessionDetectionTest {

    /** tr-use1's eBGP sessions to tr-euw1 (AS 65002) over the AWS backbone: not in any circuit or group. */
    static final String EUW1_A = "10.0.0.9";
    static final String EUW1_B = "10.0.0.13";
    static final long EUW1_AS = 65002;

    static DetectionSettings dwell(int seconds) {
        return DetectionSettings.defaults().withFeeds(Duration.ZERO, Duration.ZERO).withSessionDownDwell(Duration.ofSeconds(seconds));
    }

    @Test
    void sessionDownFiresAtOnceByDefaultAndIsCriticalWithoutRedundancy() {
        Scenario s = Scenario.with(inventory()).at(0).sessionUp(TR, EUW1_A, EUW1_AS).silent();
        s.at(10).sessionDown(TR, EUW1_A, EUW1_AS);
        Signal down = s.fired(SignalType.BGP_SESSION_DOWN);
        s.silent();
        assertEquals(Map.of("router", TR, "vrf", "default", "peer", EUW1_A), down.labels());
        assertEquals(Severity.CRITICAL, down.severity());
        assertEquals("BGP session tr-use1 -> 10.0.0.9 (AS 65002) down: idle (Hold timer expired); "
                + "no redundant path up", down.summary());
        assertEquals(t(10), down.startedAt());
        assertEquals(t(10), down.raisedAt());
        assertEquals(Duration.ZERO, down.detectionLatency());
        assertEquals("none", down.annotation("redundancy"));
        assertTrue(down.incidentId().startsWith("inc-"));
        assertFalse(down.inhibited());
    }

    @Test
    void sessionDownIsMajorWhenAnotherSessionToTheSamePeerAsIsUp() {
        Scenario s = Scenario.with(inventory()).at(0).sessionUp(TR, EUW1_A, EUW1_AS).sessionUp(TR, EUW1_B, EUW1_AS);
        s.at(10).sessionDown(TR, EUW1_A, EUW1_AS);
        Signal down = s.fired(SignalType.BGP_SESSION_DOWN);
        assertEquals(Severity.MAJOR, down.severity());
        assertEquals("yes", down.annotation("redundancy"));
    }

    @Test
    void sessionToAnotherAsOrVrfIsNoRedundancy() {
        Scenario s = Scenario.with(inventory()).at(0).sessionUp(TR, EUW1_A, EUW1_AS).sessionUp(TR, EUW1_B, 65003);
        s.at(10).sessionDown(TR, EUW1_A, EUW1_AS);
        assertEquals(Severity.CRITICAL, s.fired(SignalType.BGP_SESSION_DOWN).severity());
    }

    @Test
    void tunnelSessionDownIsMajorWhileAnotherTunnelOfItsGroupIsUp() {
        Scenario s = Scenario.steady();
        s.at(10).sessionDown(CX, DX_PEER);
        Signal down = s.fired(SignalType.BGP_SESSION_DOWN, "peer", DX_PEER);
        assertEquals(Severity.MAJOR, down.severity());
        assertEquals(PRIMARY, down.annotation("tunnel"));
        assertEquals(DX, down.annotation("circuit"));
        s.silent();
    }

    @Test
    void tunnelSessionDownIsCriticalWhenNoOtherTunnelOfItsGroupIsUp() {
        Scenario s = Scenario.steady();
        s.at(5).tunnelDown(BACKUP).silent();
        s.at(10).sessionDown(CX, DX_PEER);
        Signal down = s.fired(SignalType.BGP_SESSION_DOWN, "peer", DX_PEER);
        assertEquals(Severity.CRITICAL, down.severity());
        s.fired(SignalType.IPSEC_TUNNEL_GROUP_DOWN);
        s.silent();
    }

    @Test
    void circuitSessionIsRedundantWhileABackupOfTheCircuitsGroupIsUp() {
        Scenario s = Scenario.steady();
        s.at(10).sessionDown(TR, DX_PEER_TR);
        assertEquals(Severity.MAJOR, s.fired(SignalType.BGP_SESSION_DOWN).severity(), "vpn-ash-use1-inet is up");
        s.at(20).sessionUp(TR, DX_PEER_TR).drop();
        s.at(30).tunnelDown(BACKUP).at(40).sessionDown(TR, DX_PEER_TR);
        assertEquals(Severity.CRITICAL, s.fired(SignalType.BGP_SESSION_DOWN).severity(), "the backup is down too");
    }

    @Test
    void sessionDownResolvesWhenReestablished() {
        Scenario s = Scenario.with(inventory()).at(0).sessionUp(TR, EUW1_A, EUW1_AS);
        s.at(10).sessionDown(TR, EUW1_A, EUW1_AS).fired(SignalType.BGP_SESSION_DOWN);
        s.at(20).session(TR, EUW1_A, EUW1_AS, BgpState.CONNECT, null).silent();
        s.at(25).sessionUp(TR, EUW1_A, EUW1_AS);
        Signal up = s.resolved(SignalType.BGP_SESSION_DOWN);
        assertEquals(t(25), up.endedAt());
        assertEquals(t(25), up.resolvedAt());
        assertEquals(t(10), up.startedAt());
        assertTrue(s.engine.firing().isEmpty());
    }

    @Test
    void downBeforeDwellIsSilentAndFiresAtDwell() {
        Scenario s = Scenario.with(inventory(), dwell(5)).at(0).sessionUp(TR, EUW1_A, EUW1_AS);
        s.at(10).sessionDown(TR, EUW1_A, EUW1_AS).silent();
        assertEquals(Optional.of(t(15)), s.engine.nextDeadline());
        s.at(14).tick().silent();
        s.at(15).tick();
        Signal down = s.fired(SignalType.BGP_SESSION_DOWN);
        assertEquals(t(10), down.startedAt(), "the condition began with the event");
        assertEquals(t(15), down.raisedAt());
        assertEquals(Duration.ofSeconds(5), down.detectionLatency());
        assertEquals(Optional.empty(), s.engine.nextDeadline());
    }

    @Test
    void reestablishedWithinDwellIsSilent() {
        Scenario s = Scenario.with(inventory(), dwell(5)).at(0).sessionUp(TR, EUW1_A, EUW1_AS);
        s.at(10).sessionDown(TR, EUW1_A, EUW1_AS);
        s.at(14).sessionUp(TR, EUW1_A, EUW1_AS);
        s.at(15).tick().at(60).tick().silent();
        assertEquals(Optional.empty(), s.engine.nextDeadline());
    }

    @Test
    void staleAndRepeatedEventsChangeNothing() {
        Scenario s = Scenario.with(inventory()).at(0).sessionUp(TR, EUW1_A, EUW1_AS);
        s.at(10).sessionUp(TR, EUW1_A, EUW1_AS).silent();
        s.at(20).eventAt(5).sessionDown(TR, EUW1_A, EUW1_AS).silent();
        SessionView v = s.engine.sessions().get(0);
        assertEquals(BgpState.ESTABLISHED, v.state());
        assertEquals(t(0), v.since());
        assertEquals(0, v.flaps());
    }

    @Test
    void detectionTakesTheOwnersReportsAsTheyAreAndAnOlderReportChangesNothing() {
        Scenario s = Scenario.with(inventory()).at(0).sessionUp(TR, EUW1_A, EUW1_AS);
        s.at(10).sessionDown(TR, EUW1_A, EUW1_AS).fired(SignalType.BGP_SESSION_DOWN);
        BgpSession held = s.shard.sessions(TR).orElseThrow().get(0);
        assertEquals(1, held.flaps());
        // the facts after a take-over replay an older report (established at 0): no change, no signal
        BgpSession older = new BgpSession(TR, "default", EUW1_A, EUW1_AS, 65010L, BgpState.ESTABLISHED, t(0), t(0), 0,
                null, t(0));
        s.at(15);
        s.engine.session(older);
        s.silent();
        SessionView v = s.engine.sessions().get(0);
        assertEquals(BgpState.IDLE, v.state());
        assertEquals(t(10), v.since());
        assertEquals(1, v.flaps(), "the owner's count, not one of detection's own");
        // the same report again (a fact delivered twice) changes nothing either
        s.engine.session(held);
        s.silent();
        assertEquals(List.of(SignalType.BGP_SESSION_DOWN), s.engine.firing().stream().map(Signal::type).toList());
    }

    @Test
    void threeTransitionsAreNotFlappingFourAre() {
        Scenario s = Scenario.with(inventory()).at(0).sessionUp(TR, EUW1_A, EUW1_AS);
        s.at(10).sessionDown(TR, EUW1_A, EUW1_AS).fired(SignalType.BGP_SESSION_DOWN);
        s.at(20).sessionUp(TR, EUW1_A, EUW1_AS).resolved(SignalType.BGP_SESSION_DOWN);
        s.at(30).sessionDown(TR, EUW1_A, EUW1_AS).fired(SignalType.BGP_SESSION_DOWN);
        s.silent();
        assertFalse(s.engine.sessions().get(0).flapping(), "3 transitions < 4");
        s.at(40).sessionUp(TR, EUW1_A, EUW1_AS);
        s.resolved(SignalType.BGP_SESSION_DOWN);
        Signal flap = s.fired(SignalType.BGP_SESSION_FLAPPING);
        s.silent();
        assertEquals(Severity.MAJOR, flap.severity());
        assertEquals(t(10), flap.startedAt(), "first transition in the window");
        assertEquals("4", flap.annotation("transitions"));
        assertEquals("BGP session tr-use1 -> 10.0.0.9 flapping: 4 up/down transitions in 5 min (2 drops so far)",
                flap.summary());
        assertTrue(s.engine.sessions().get(0).flapping());
    }

    @Test
    void transitionsOlderThanTheWindowDoNotCount() {
        Scenario s = Scenario.with(inventory()).at(0).sessionUp(TR, EUW1_A, EUW1_AS);
        s.at(0).sessionDown(TR, EUW1_A, EUW1_AS).drop();
        s.at(100).sessionUp(TR, EUW1_A, EUW1_AS).drop();
        s.at(200).sessionDown(TR, EUW1_A, EUW1_AS).drop();
        s.at(301).sessionUp(TR, EUW1_A, EUW1_AS);
        s.resolved(SignalType.BGP_SESSION_DOWN);
        s.silent();
        assertFalse(s.engine.sessions().get(0).flapping(), "the transition at 0 s fell out of the 5 min window");
    }

    @Test
    void flappingSuppressesDownsAndResolvesAfterQuietPeriod() {
        Scenario s = Scenario.with(inventory()).at(0).sessionUp(TR, EUW1_A, EUW1_AS);
        s.at(10).sessionDown(TR, EUW1_A, EUW1_AS).at(20).sessionUp(TR, EUW1_A, EUW1_AS)
                .at(30).sessionDown(TR, EUW1_A, EUW1_AS).at(40).sessionUp(TR, EUW1_A, EUW1_AS).drop();
        s.at(50).sessionDown(TR, EUW1_A, EUW1_AS).silent();
        s.at(60).sessionUp(TR, EUW1_A, EUW1_AS).at(70).sessionDown(TR, EUW1_A, EUW1_AS).silent();
        assertEquals(Optional.of(t(370)), s.engine.nextDeadline(), "quiet period runs from the last transition");
        s.at(369).tick().silent();
        s.at(370).tick();
        Signal calm = s.resolved(SignalType.BGP_SESSION_FLAPPING);
        assertEquals(t(370), calm.endedAt());
        Signal down = s.fired(SignalType.BGP_SESSION_DOWN);
        assertEquals(t(70), down.startedAt(), "still down after the quiet period: a real outage");
        s.silent();
    }

    @Test
    void flappingResolvesAFiringDownAndStopsNewOnes() {
        Scenario s = Scenario.with(inventory(), DetectionSettings.defaults()
                .withFlapping(3, Duration.ofMinutes(5), Duration.ofMinutes(5))).at(0).sessionUp(TR, EUW1_A, EUW1_AS);
        s.at(10).sessionDown(TR, EUW1_A, EUW1_AS).fired(SignalType.BGP_SESSION_DOWN);
        s.at(20).sessionUp(TR, EUW1_A, EUW1_AS).resolved(SignalType.BGP_SESSION_DOWN);
        s.at(30).sessionDown(TR, EUW1_A, EUW1_AS);
        s.fired(SignalType.BGP_SESSION_FLAPPING);
        s.silent();
        assertEquals(2, s.engine.sessions().get(0).flaps());
    }
}
