package io.meshwatch.alerting;

import java.time.Instant;
import java.util.Locale;

/**
 * One committed change of an alert, as the Kafka topic and the live stream announce it.
 *
 * @param event      what happened
 * @param alert      the alert after the change
 * @param transition the recorded state change; null for a repeat
 * @param at         Meshwatch's clock time of the change
 */
public record AlertChange(Event event, Alert alert, Transition transition, Instant at) {

    /** The lifecycle events: a state change, or a repeat of an open alert (count + 1, no state change). */
    public enum Event {
        RAISED, REPEATED, ACKNOWLEDGED, RESOLVED;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Who made the change: the transition's actor, or {@code meshwatch} for a repeat. */
    public String actor() {
        return transition == null ? Transition.SYSTEM : transition.actor();
    }

    /** Why, in words. */
    public String reason() {
        return transition == null ? "repeated (count " + alert.count() + "): " + alert.summary() : transition.reason();
    }

    /** A key naming this change: the same for a replay of it, different for every other change. */
    public String key() {
        return alert.fingerprint() + "-" + alert.count() + "-" + event.wire();
    }

    /**
     * The event a lifecycle outcome announces, or null when it announces none (an {@code update}
     * re-statement, an end time recorded for an alert resolved by hand).
     *
     * @param countBefore the stored alert's count before the change (0 for a new alert)
     */
    static Event of(AlertLifecycle.Outcome o, int countBefore) {
        if (o.alert().isEmpty()) {
            return null;
        }
        if (o.transition().isPresent()) {
            return switch (o.transition().get().to()) {
                case FIRING -> Event.RAISED;
                case ACKNOWLEDGED -> Event.ACKNOWLEDGED;
                case RESOLVED -> Event.RESOLVED;
            };
        }
        Alert a = o.alert().get();
        return a.state().open() && a.count() > countBefore ? Event.REPEATED : null;
    }
}
