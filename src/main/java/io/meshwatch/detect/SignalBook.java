package io.meshwatch.detect;

import io.meshwatch.inventory.Severity;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The firing signals, by fingerprint, and the transitions made during the current engine call.
 * Detectors raise, refine and resolve through it; the engine drains the transitions through the
 * correlator at the end of each call and stores back the correlated signals.
 *
 * <p>Rules: raising a signal that already fires refines it (no second raise); resolving one that
 * does not fire does nothing; a refinement of a signal raised in the same call is folded into that
 * raise, so a listener never sees a raise immediately followed by its own update; a signal raised
 * and resolved within one call is not emitted at all.
 */
final class SignalBook {

    private final Clock clock;
    private final Map<String, Signal> firing = new LinkedHashMap<>();
    private final List<Signal> pending = new ArrayList<>();

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
        Signal old = firing.get(fp);
        if (old == null) {
            Signal s = Signal.firing(type, severity, labels, summary, annotations, startedAt, clock.instant());
            firing.put(fp, s);
            pending.add(s);
            return true;
        }
        if (old.severity() == severity && old.summary().equals(summary) && old.annotations().equals(annotations)) {
            return false;
        }
        Signal refined = old.refined(severity, summary, annotations);
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
