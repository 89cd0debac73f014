package io.meshwatch.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.meshwatch.detect.Signal;
import io.meshwatch.detect.SignalType;
import io.meshwatch.inventory.Severity;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which lifecycle event (Kafka topic, live stream) each outcome announces. */
class AlertChangeTest {

    static final Instant T = Instant.parse("2026-11-26T10:00:00Z");

    final Signal s = Signals.firing(SignalType.CIRCUIT_DOWN, Severity.CRITICAL, Map.of("circuit", "c1"), "down", T,
            null, false);

    @Test
    void raisedRepeatedAcknowledgedResolvedAndNothingForAnUpdate() {
        AlertLifecycle.Outcome raised = AlertLifecycle.onSignal(null, s, null, T);
        assertEquals(AlertChange.Event.RAISED, AlertChange.of(raised, 0));
        Alert a = raised.alert().orElseThrow();

        assertEquals(null, AlertChange.of(AlertLifecycle.onSignal(a, s, null, T.plusSeconds(1)), a.count()),
                "the same occurrence stated again is no change");
        Signal later = Signals.firing(SignalType.CIRCUIT_DOWN, Severity.CRITICAL, Map.of("circuit", "c1"), "down",
                T.plusSeconds(1), null, false);
        AlertLifecycle.Outcome repeat = AlertLifecycle.onSignal(a, later, null, T.plusSeconds(1));
        assertEquals(AlertChange.Event.REPEATED, AlertChange.of(repeat, a.count()));
        AlertChange change = new AlertChange(AlertChange.Event.REPEATED, repeat.alert().orElseThrow(), null, T);
        assertEquals(a.fingerprint() + "-2-repeated", change.key());
        assertEquals(Transition.SYSTEM, change.actor());

        AlertLifecycle.Outcome ack = AlertLifecycle.acknowledge(a, "noc", "mine", T.plusSeconds(2));
        assertEquals(AlertChange.Event.ACKNOWLEDGED, AlertChange.of(ack, a.count()));
        Alert acked = ack.alert().orElseThrow();

        AlertLifecycle.Outcome resolved = AlertLifecycle.onSignal(acked, Signals.resolved(s, T.plusSeconds(3)), null,
                T.plusSeconds(3));
        assertEquals(AlertChange.Event.RESOLVED, AlertChange.of(resolved, acked.count()));
        Alert r = resolved.alert().orElseThrow();

        AlertLifecycle.Outcome again = AlertLifecycle.onSignal(r, s, null, T.plusSeconds(4));
        assertEquals(AlertChange.Event.RAISED, AlertChange.of(again, r.count()));

        assertNull(AlertChange.of(AlertLifecycle.onSignal(a, Signals.update(s, "inc-9", true, Map.of()), null,
                T.plusSeconds(5)), a.count()));
        // the end time recorded for an alert a person resolved first is no event
        Alert byHand = AlertLifecycle.resolve(a, "noc", "done", null, T.plusSeconds(6)).alert().orElseThrow();
        assertNull(AlertChange.of(AlertLifecycle.onSignal(byHand, Signals.resolved(s, T.plusSeconds(7)), null,
                T.plusSeconds(7)), byHand.count()));
    }
}
