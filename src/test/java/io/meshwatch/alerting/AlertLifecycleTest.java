package io.meshwatch.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.alerting.AlertLifecycle.Notify;
import io.meshwatch.alerting.AlertLifecycle.Outcome;
import io.meshwatch.detect.Signal;
import io.meshwatch.detect.SignalType;
import io.meshwatch.inventory.Severity;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertLifecycleTest {

    static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    static final Signal DOWN = Signals.firing(SignalType.BGP_SESSION_DOWN, Severity.MAJOR,
            Map.of("router", "cx-ash", "peer", "169.254.10.2"), "BGP session cx-ash -> 169.254.10.2 down", T0,
            "inc-1", false);

    static Alert raise() {
        return AlertLifecycle.onSignal(null, DOWN, null, T0).alert().orElseThrow();
    }

    @Test
    void newFingerprintFiresAndNotifies() {
        Outcome o = AlertLifecycle.onSignal(null, DOWN, null, T0);
        Alert a = o.alert().orElseThrow();
        assertEquals(AlertState.FIRING, a.state());
        assertEquals(DOWN.fingerprint(), a.fingerprint());
        assertEquals(1, a.count());
        assertEquals(Notify.FIRING, o.send());
        Transition t = o.transition().orElseThrow();
        assertNull(t.from());
        assertEquals(Transition.SYSTEM, t.actor());
        assertTrue(t.reason().contains("down"), t.reason());
    }

    @Test
    void repeatWhileOpenBumpsTheCounterWithoutTransitionOrNotification() {
        Alert acked = AlertLifecycle.acknowledge(raise(), "alice", "looking", T0.plusSeconds(5)).alert().orElseThrow();
        Signal later = Signals.firing(SignalType.BGP_SESSION_DOWN, Severity.MAJOR,
                Map.of("router", "cx-ash", "peer", "169.254.10.2"), "BGP session cx-ash -> 169.254.10.2 down",
                T0.plusSeconds(8), "inc-1", false);
        Outcome o = AlertLifecycle.onSignal(acked, later, null, T0.plusSeconds(10));
        Alert a = o.alert().orElseThrow();
        assertEquals(2, a.count());
        assertEquals(T0.plusSeconds(10), a.lastRaisedAt());
        assertEquals(AlertState.ACKNOWLEDGED, a.state());
        assertEquals("alice", a.acknowledgedBy());
        assertTrue(o.transition().isEmpty());
        assertEquals(Notify.NONE, o.send());
    }

    @Test
    void theSameOccurrenceStatedAgainCountsOnce() {
        // a new detection owner replays the facts after its checkpoint and raises what is already open
        Outcome o = AlertLifecycle.onSignal(raise(), DOWN, null, T0.plusSeconds(40));
        Alert a = o.alert().orElseThrow();
        assertEquals(1, a.count());
        assertEquals(AlertState.FIRING, a.state());
        assertEquals(T0, a.lastRaisedAt());
        assertEquals(T0, a.startedAt());
        assertTrue(o.transition().isEmpty());
        assertEquals(Notify.NONE, o.send());
    }

    @Test
    void clearedSignalResolvesAndNotifies() {
        Outcome o = AlertLifecycle.onSignal(raise(), Signals.resolved(DOWN, T0.plusSeconds(30)), null, T0.plusSeconds(31));
        Alert a = o.alert().orElseThrow();
        assertEquals(AlertState.RESOLVED, a.state());
        assertEquals(T0.plusSeconds(30), a.endedAt());
        assertEquals(T0.plusSeconds(31), a.resolvedAt());
        assertEquals(Notify.RESOLVED, o.send());
        assertEquals(AlertState.FIRING, o.transition().orElseThrow().from());
        assertEquals(Transition.SYSTEM, o.transition().orElseThrow().actor());
    }

    @Test
    void firingAgainAfterResolveIsANewOccurrenceOfTheSameAlert() {
        Alert acked = AlertLifecycle.acknowledge(raise(), "alice", null, T0.plusSeconds(5)).alert().orElseThrow();
        Alert resolved = AlertLifecycle.onSignal(acked, Signals.resolved(DOWN, T0.plusSeconds(30)), null,
                T0.plusSeconds(30)).alert().orElseThrow();
        Outcome o = AlertLifecycle.onSignal(resolved, DOWN, null, T0.plusSeconds(60));
        Alert a = o.alert().orElseThrow();
        assertEquals(AlertState.FIRING, a.state());
        assertEquals(2, a.count());
        assertNull(a.acknowledgedBy());
        assertNull(a.resolvedAt());
        assertEquals(T0, a.firstRaisedAt());
        assertEquals(AlertState.RESOLVED, o.transition().orElseThrow().from());
        assertEquals(Notify.FIRING, o.send());
    }

    @Test
    void inhibitedOrSilencedIsRecordedButNotNotified() {
        Signal child = Signals.firing(SignalType.BGP_SESSION_DOWN, Severity.MAJOR, Map.of("router", "r"), "x", T0,
                "inc-1", true);
        Outcome inhibited = AlertLifecycle.onSignal(null, child, null, T0);
        assertTrue(inhibited.transition().isPresent());
        assertEquals(Notify.NONE, inhibited.send());
        Outcome silenced = AlertLifecycle.onSignal(null, DOWN, "silence-1", T0);
        assertEquals("silence-1", silenced.alert().orElseThrow().silencedBy());
        assertEquals(Notify.NONE, silenced.send());
        Outcome resolvedSilenced = AlertLifecycle.onSignal(raise(), Signals.resolved(DOWN, T0), "silence-1", T0);
        assertEquals(Notify.NONE, resolvedSilenced.send());
    }

    @Test
    void updateRefreshesCorrelationAndAnnotationsOnly() {
        Outcome o = AlertLifecycle.onSignal(raise(), Signals.update(DOWN, "inc-2", true, Map.of("cause", "circuit")),
                null, T0.plusSeconds(3));
        Alert a = o.alert().orElseThrow();
        assertEquals("inc-2", a.incidentId());
        assertTrue(a.inhibited());
        assertEquals(Map.of("cause", "circuit"), a.annotations());
        assertEquals(1, a.count());
        assertTrue(o.transition().isEmpty());
        assertEquals(Notify.NONE, o.send());
        assertTrue(AlertLifecycle.onSignal(null, Signals.update(DOWN, "i", false, Map.of()), null, T0).alert().isEmpty());
    }

    @Test
    void acknowledgeRecordsWhoAndWhy() {
        Outcome o = AlertLifecycle.acknowledge(raise(), "alice", " on it ", T0.plusSeconds(5));
        Alert a = o.alert().orElseThrow();
        assertEquals(AlertState.ACKNOWLEDGED, a.state());
        assertEquals("alice", a.acknowledgedBy());
        assertEquals(T0.plusSeconds(5), a.acknowledgedAt());
        assertEquals("alice", o.transition().orElseThrow().actor());
        assertEquals("acknowledged: on it", o.transition().orElseThrow().reason());
        assertEquals(Notify.NONE, o.send());
    }

    @Test
    void refusedChangesSayWhy() {
        Alert acked = AlertLifecycle.acknowledge(raise(), "alice", null, T0).alert().orElseThrow();
        assertTrue(assertThrows(AlertLifecycle.Refused.class, () -> AlertLifecycle.acknowledge(acked, "bob", null, T0))
                .getMessage().contains("already acknowledged by alice"));
        Alert resolved = AlertLifecycle.resolve(acked, "bob", "fixed", null, T0).alert().orElseThrow();
        assertThrows(AlertLifecycle.Refused.class, () -> AlertLifecycle.acknowledge(resolved, "bob", null, T0));
        assertThrows(AlertLifecycle.Refused.class, () -> AlertLifecycle.resolve(resolved, "bob", null, null, T0));
    }

    @Test
    void resolveByHandNotifiesAndLaterClearOnlyRecordsTheEnd() {
        Outcome byHand = AlertLifecycle.resolve(raise(), "bob", "fixed the patch", null, T0.plusSeconds(20));
        Alert a = byHand.alert().orElseThrow();
        assertEquals(Notify.RESOLVED, byHand.send());
        assertEquals("resolved by hand: fixed the patch", byHand.transition().orElseThrow().reason());
        Outcome cleared = AlertLifecycle.onSignal(a, Signals.resolved(DOWN, T0.plusSeconds(40)), null, T0.plusSeconds(41));
        assertEquals(T0.plusSeconds(40), cleared.alert().orElseThrow().endedAt());
        assertEquals(T0.plusSeconds(20), cleared.alert().orElseThrow().resolvedAt());
        assertTrue(cleared.transition().isEmpty());
        assertEquals(Notify.NONE, cleared.send());
    }
}
