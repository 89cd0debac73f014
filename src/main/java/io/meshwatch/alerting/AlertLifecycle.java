package io.meshwatch.alerting;

import io.meshwatch.detect.Signal;
import java.time.Instant;
import java.util.Optional;

/**
 * The alert lifecycle rules, as pure functions: given the stored alert (or none) and what
 * happened, the alert after, the transition to record (if the state changed) and what to notify.
 *
 * <ul>
 *   <li>A firing signal with a new fingerprint creates a firing alert (count 1). A firing signal for a
 *       resolved alert re-opens it as a new occurrence: count + 1, acknowledgement cleared. A firing
 *       signal for an open alert is a repeat: count + 1, details refreshed, no transition, no
 *       notification; when it names the alert's own start ({@code startedAt}), it is the same
 *       occurrence stated again (a detection owner replaying facts after a take-over) and the count
 *       stays.</li>
 *   <li>A resolved signal resolves an open alert ({@code meshwatch}, "signal cleared"). For an alert
 *       already resolved by hand it only records the end time.</li>
 *   <li>An {@code update} re-statement refreshes incident, inhibition and annotations only.</li>
 *   <li>A person may acknowledge a firing alert, and resolve an open one; anything else is refused
 *       with {@link Refused}.</li>
 *   <li>Notifications go out for raise and resolve only, and only when the alert is neither
 *       inhibited nor silenced.</li>
 * </ul>
 */
public final class AlertLifecycle {

    /** What a change asks the notifiers to send. */
    public enum Notify { NONE, FIRING, RESOLVED }

    /**
     * The result of one change.
     *
     * @param alert      the alert after; empty when the input changed nothing (unknown alert)
     * @param transition the state change to record, if any
     * @param send       what to send to receivers
     */
    public record Outcome(Optional<Alert> alert, Optional<Transition> transition, Notify send) {
        static final Outcome NOTHING = new Outcome(Optional.empty(), Optional.empty(), Notify.NONE);

        static Outcome of(Alert a, Transition t, Notify n) {
            return new Outcome(Optional.of(a), Optional.ofNullable(t), n);
        }
    }

    /** A person's change that the alert's state does not allow; the message says why. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    private AlertLifecycle() {
    }

    /**
     * Applies a detection signal.
     *
     * @param existing the stored alert with the signal's fingerprint, or null
     * @param silence  id of an active silence matching the signal's labels, or null
     * @param now      Meshwatch's clock
     */
    public static Outcome onSignal(Alert existing, Signal s, String silence, Instant now) {
        if (s.update()) {
            if (existing == null) {
                return Outcome.NOTHING;
            }
            Alert a = new Alert(existing.fingerprint(), existing.alertName(), existing.state(), existing.severity(),
                    existing.labels(), s.annotations(), existing.summary(), s.incidentId(), s.inhibited(),
                    existing.silencedBy(), existing.startedAt(), existing.endedAt(), existing.firstRaisedAt(),
                    existing.lastRaisedAt(), existing.resolvedAt(), existing.acknowledgedBy(),
                    existing.acknowledgedAt(), existing.ackComment(), existing.count(), now);
            return Outcome.of(a, null, Notify.NONE);
        }
        boolean notifiable = !s.inhibited() && silence == null;
        if (s.isFiring()) {
            if (existing == null) {
                Alert a = fresh(s, silence, now, now, 1);
                return Outcome.of(a, new Transition(a.fingerprint(), null, AlertState.FIRING, Transition.SYSTEM,
                        "raised: " + s.summary(), now), notifiable ? Notify.FIRING : Notify.NONE);
            }
            if (existing.state() == AlertState.RESOLVED) {
                Alert a = fresh(s, silence, existing.firstRaisedAt(), now, existing.count() + 1);
                return Outcome.of(a, new Transition(a.fingerprint(), AlertState.RESOLVED, AlertState.FIRING,
                        Transition.SYSTEM, "raised again (occurrence " + a.count() + "): " + s.summary(), now),
                        notifiable ? Notify.FIRING : Notify.NONE);
            }
            // the same occurrence stated again (a new detection owner replaying the facts after its
            // checkpoint) is not a repeat: it counts once
            boolean again = s.startedAt() != null && s.startedAt().equals(existing.startedAt());
            Alert a = new Alert(existing.fingerprint(), existing.alertName(), existing.state(), s.severity(),
                    existing.labels(), s.annotations(), s.summary(), s.incidentId(), s.inhibited(),
                    existing.silencedBy(), existing.startedAt(), null, existing.firstRaisedAt(),
                    again ? existing.lastRaisedAt() : now, null, existing.acknowledgedBy(), existing.acknowledgedAt(),
                    existing.ackComment(), again ? existing.count() : existing.count() + 1, now);
            return Outcome.of(a, null, Notify.NONE);
        }
        if (existing == null) {
            return Outcome.NOTHING;
        }
        if (existing.state() == AlertState.RESOLVED) {
            Alert a = existing.resolved(s.endedAt(), existing.resolvedAt(), existing.silencedBy());
            return Outcome.of(new Alert(a.fingerprint(), a.alertName(), a.state(), a.severity(), a.labels(),
                    a.annotations(), a.summary(), a.incidentId(), a.inhibited(), a.silencedBy(), a.startedAt(),
                    a.endedAt(), a.firstRaisedAt(), a.lastRaisedAt(), a.resolvedAt(), a.acknowledgedBy(),
                    a.acknowledgedAt(), a.ackComment(), a.count(), now), null, Notify.NONE);
        }
        Alert a = existing.resolved(s.endedAt(), now, silence);
        return Outcome.of(a, new Transition(a.fingerprint(), existing.state(), AlertState.RESOLVED,
                Transition.SYSTEM, "signal cleared: " + s.summary(), now), notifiable ? Notify.RESOLVED : Notify.NONE);
    }

    /** A person acknowledges a firing alert. */
    public static Outcome acknowledge(Alert existing, String who, String comment, Instant now) {
        if (existing.state() == AlertState.ACKNOWLEDGED) {
            throw new Refused("alert " + existing.fingerprint() + " is already acknowledged by "
                    + existing.acknowledgedBy() + " at " + existing.acknowledgedAt());
        }
        if (existing.state() == AlertState.RESOLVED) {
            throw new Refused("alert " + existing.fingerprint() + " is resolved; only a firing alert can be acknowledged");
        }
        Alert a = existing.acknowledged(who, comment, now);
        return Outcome.of(a, new Transition(a.fingerprint(), existing.state(), AlertState.ACKNOWLEDGED, who,
                reason("acknowledged", comment), now), Notify.NONE);
    }

    /**
     * A person resolves an open alert by hand; receivers hear of it unless it is inhibited or
     * {@code silence} (an active silence matching it) is set.
     */
    public static Outcome resolve(Alert existing, String who, String comment, String silence, Instant now) {
        if (existing.state() == AlertState.RESOLVED) {
            throw new Refused("alert " + existing.fingerprint() + " is already resolved (at " + existing.resolvedAt() + ")");
        }
        Alert a = existing.resolved(null, now, silence);
        boolean notifiable = !existing.inhibited() && silence == null;
        return Outcome.of(a, new Transition(a.fingerprint(), existing.state(), AlertState.RESOLVED, who,
                reason("resolved by hand", comment), now), notifiable ? Notify.RESOLVED : Notify.NONE);
    }

    private static String reason(String what, String comment) {
        return comment == null || comment.isBlank() ? what : what + ": " + comment.strip();
    }

    private static Alert fresh(Signal s, String silence, Instant first, Instant now, int count) {
        return new Alert(s.fingerprint(), s.type().alertName(), AlertState.FIRING, s.severity(), s.labels(),
                s.annotations(), s.summary(), s.incidentId(), s.inhibited(), silence, s.startedAt(), null, first,
                now, null, null, null, null, count, now);
    }
}
