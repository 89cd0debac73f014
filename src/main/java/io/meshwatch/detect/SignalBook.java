package io.meshwatch.detect;

import io.meshwatch.inventory.Severity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The firing signals, by fingerprint, and the transitions made during the current engine call.
 * Detectors raise, refine and resolve through it; the engine drains the transitions through the
 * correlator at the end of each call and stores back the correlated signals.
 *
 * <p>Rules: raising a signal that already fires refines it (no second raise; an earlier start moves
 * its {@code startedAt} back, a later one leaves it); resolving one that
 * does not fire does nothing; a refinement of a signal raised in the same call is folded into that
 * raise, so a listener never sees a raise immediately followed by its own update; a signal raised
 * and resolved within one call is not emitted at all.
 *
 * <p><b>Hold-down.</b> {@link #resolveHeld} resolves a signal only once its condition has stayed
 * clear for a hold-down (clock): a {@link #fire} of the same signal meanwhile cancels the pending
 * resolution and refines the signal in place, so one outage whose evidence changes (another reason,
 * probes vetoing or ceasing to) is one raise and one resolution. The resolution, when it comes,
 * carries the event time at which the condition cleared.
 */
final class SignalBook {

    private final Clock clock;
    private final Map<String, Signal> firing = new LinkedHashMap<>();
    private final List<Signal> pending = new ArrayList<>();
    /** Resolutions waiting out their hold-down, by fingerprint. */
    private final Map<String, Held> held = new LinkedHashMap<>();
    private final Deadlines<String> holdDowns = new Deadlines<>();

    /** A resolution waiting out its hold-down. */
    private record Held(SignalType type, Map<String, String> labels, Instant endedAt, Map<String, String> extra) {
    }

    SignalBook(Clock clock) {
        this.clock = clock;
    }

    boolean isFiring(SignalType type, Map<String, String> labels) {
        return firing.containsKey(Signal.fingerprintOf(type, labels));
    }

    Signal get(SignalType type, Map<String, String> labels) {
        return firing.get(Signal.fingerprintOf(type, labels));
    }

    /**
     * Raises a signal, or refines it when it already fires (only if severity, summary or
     * annotations differ). Returns true when it was newly raised.
     */
    boolean fire(SignalType type, Severity severity, Map<String, String> labels, String summary,
                 Map<String, String> annotations, Instant startedAt) {
        String fp = Signal.fingerprintOf(type, labels);
        if (held.remove(fp) != null) {
            holdDowns.cancel(fp);
        }
        Signal old = firing.get(fp);
        if (old == null) {
            Signal s = Signal.firing(type, severity, labels, summary, annotations, startedAt, clock.instant());
            firing.put(fp, s);
            pending.add(s);
            return true;
        }
        // evidence that dates the condition earlier moves its start back; a later one never moves it on
        Instant start = startedAt != null && startedAt.isBefore(old.startedAt()) ? startedAt : old.startedAt();
        if (old.severity() == severity && old.summary().equals(summary) && old.annotations().equals(annotations)
                && start.equals(old.startedAt())) {
            return false;
        }
        Signal refined = old.refined(severity, summary, annotations, start);
        firing.put(fp, refined);
        for (int i = pending.size() - 1; i >= 0; i--) {
            Signal p = pending.get(i);
            if (p.isFiring() && p.fingerprint().equals(fp)) {
                pending.set(i, p.update() ? refined : refined.correlated(p.incidentId(), p.inhibited(), false));
                return false;
            }
        }
        pending.add(refined);
        return false;
    }

    /**
     * Resolves a firing signal; returns false when it did not fire. A signal raised during this same
     * call is withdrawn instead: neither its raise nor its resolve is emitted.
     */
    boolean resolve(SignalType type, Map<String, String> labels, Instant endedAt, Map<String, String> extra) {
        String fp = Signal.fingerprintOf(type, labels);
        if (held.remove(fp) != null) {
            holdDowns.cancel(fp);
        }
        Signal old = firing.remove(fp);
        if (old == null) {
            return false;
        }
        boolean raisedNow = false;
        for (int i = pending.size() - 1; i >= 0; i--) {
            Signal p = pending.get(i);
            if (p.isFiring() && p.fingerprint().equals(fp)) {
                raisedNow |= !p.update();
                pending.remove(i);
            }
        }
        if (!raisedNow) {
            pending.add(old.resolved(endedAt, clock.instant(), extra));
        }
        return true;
    }

    /**
     * Resolves a firing signal once its condition has stayed clear for {@code holdDown} (clock); a
     * {@link #fire} of it meanwhile keeps it firing, refined. A zero hold-down resolves at once.
     * Returns false when it does not fire; a resolution already waiting keeps its first clear time.
     */
    boolean resolveHeld(SignalType type, Map<String, String> labels, Instant endedAt, Map<String, String> extra,
                        Duration holdDown) {
        String fp = Signal.fingerprintOf(type, labels);
        if (!firing.containsKey(fp)) {
            return false;
        }
        if (holdDown.isZero()) {
            return resolve(type, labels, endedAt, extra);
        }
        if (!held.containsKey(fp)) {
            held.put(fp, new Held(type, Map.copyOf(labels), endedAt, extra));
            holdDowns.schedule(fp, clock.instant().plus(holdDown));
        }
        return true;
    }

    /** True while the signal fires but its resolution waits out a hold-down. */
    boolean isHeld(SignalType type, Map<String, String> labels) {
        return held.containsKey(Signal.fingerprintOf(type, labels));
    }

    /** Resolves the signals whose hold-down has passed. */
    void tick(Instant now) {
        for (String fp : holdDowns.due(now)) {
            Held h = held.remove(fp);
            if (h != null) {
                resolve(h.type(), h.labels(), h.endedAt(), h.extra());
            }
        }
    }

    Optional<Instant> nextDeadline() {
        return holdDowns.next();
    }

    /** Resolves every firing signal of a type whose labels {@code match}; for inventory removals. */
    void resolveWhere(Predicate<Signal> match, Instant endedAt, Map<String, String> extra) {
        for (Signal s : List.copyOf(firing.values())) {
            if (match.test(s)) {
                resolve(s.type(), s.labels(), endedAt, extra);
            }
        }
    }

    /** The transitions of this call, in order; clears them. */
    List<Signal> drain() {
        List<Signal> out = List.copyOf(pending);
        pending.clear();
        return out;
    }

    /** Copies the incident id and inhibition the correlator gave a signal onto its firing form. */
    void remember(Signal correlated) {
        if (correlated.isFiring()) {
            firing.computeIfPresent(correlated.fingerprint(),
                    (fp, cur) -> cur.correlated(correlated.incidentId(), correlated.inhibited(), cur.update()));
        }
    }

    Collection<Signal> firing() {
        return firing.values();
    }
}
