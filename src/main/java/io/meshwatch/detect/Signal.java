package io.meshwatch.detect;

import io.meshwatch.inventory.Severity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An alert signal raised or resolved by a detector: the unit the alerting layer turns into an
 * alert. Immutable.
 *
 * <p>Identity is {@link #fingerprint()}: a hash of the type and the identifying labels only, so a
 * repeat of the same condition (or a later update of it) has the same fingerprint and updates the
 * alert rather than duplicating it. Severity, summary and annotations are not part of the identity.
 *
 * <p>Times: {@code startedAt} and {@code endedAt} are the routers' event times (when the condition
 * began and cleared, as observed by the routers); {@code raisedAt} and {@code resolvedAt} are
 * Meshwatch's clock when the engine decided. Their difference is the detection latency, dwell
 * and debounce included by design.
 *
 * <p>Correlation is delivered on the signal itself: every signal the engine emits carries the id
 * of the {@link Incident} it belongs to and whether it is {@code inhibited} (a child of a root cause:
 * the alerting layer records it but does not notify it on its own). When a later root re-parents an
 * earlier signal, or a detector refines a firing signal (for example the measured time added to a
 * slow failover), the engine emits the signal again with {@code update = true}; only emissions with
 * {@code update = false} are transitions (raise or resolve) and should be counted as such.
 *
 * @param type        what the signal is about
 * @param status      firing or resolved
 * @param severity    how bad it is
 * @param labels      identifying labels, sorted (e.g. {@code router}, {@code vrf}, {@code peer},
 *                    {@code circuit}, {@code tunnel_group}, {@code prefix})
 * @param summary     one line an on-call engineer understands at 3 a.m.
 * @param annotations further detail, sorted (e.g. {@code failover_seconds}, {@code objective_seconds},
 *                    {@code failback_seconds}, {@code cause})
 * @param startedAt   event time at which the condition began
 * @param endedAt     event time at which it cleared; null while firing
 * @param raisedAt    clock time at which the engine raised it
 * @param resolvedAt  clock time at which the engine resolved it; null while firing
 * @param incidentId  the incident it belongs to
 * @param inhibited   true when it is a child of another signal's incident and should not notify alone
 * @param update      true when this re-states a signal already emitted with the same status
 */
public record Signal(SignalType type, SignalStatus status, Severity severity, SortedMap<String, String> labels,
                     String summary, SortedMap<String, String> annotations, Instant startedAt, Instant endedAt,
                     Instant raisedAt, Instant resolvedAt, String incidentId, boolean inhibited, boolean update) {

    public Signal {
        labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
        annotations = Collections.unmodifiableSortedMap(new TreeMap<>(annotations));
    }

    /** A new firing signal, not yet correlated. */
    static Signal firing(SignalType type, Severity severity, Map<String, String> labels, String summary,
                         Map<String, String> annotations, Instant startedAt, Instant raisedAt) {
        return new Signal(type, SignalStatus.FIRING, severity, new TreeMap<>(labels), summary,
                new TreeMap<>(annotations), startedAt, null, raisedAt, null, null, false, false);
    }

    /**
     * Stable identity: the first 16 hex digits of SHA-256 over the alert name and the sorted labels
     * ({@code name\nkey=value\n...}).
     */
    public String fingerprint() {
        return fingerprintOf(type, labels);
    }

    /** The fingerprint a signal of this type with these labels has. */
    public static String fingerprintOf(SignalType type, Map<String, String> labels) {
        StringBuilder sb = new StringBuilder(type.alertName()).append('\n');
        new TreeMap<>(labels).forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** The event time of this transition: {@code startedAt} when firing, {@code endedAt} when resolved. */
    public Instant eventTime() {
        return status == SignalStatus.FIRING ? startedAt : endedAt;
    }

    /** Clock time of this transition minus its event time; dwell and debounce are included. */
    public Duration detectionLatency() {
        Instant decided = status == SignalStatus.FIRING ? raisedAt : resolvedAt;
        return Duration.between(eventTime(), decided);
    }

    public String label(String name) {
        return labels.get(name);
    }

    public String annotation(String name) {
        return annotations.get(name);
    }

    /** True when the condition still holds. */
    public boolean isFiring() {
        return status == SignalStatus.FIRING;
    }

    Signal resolved(Instant endedAt, Instant resolvedAt, Map<String, String> extra) {
        TreeMap<String, String> a = new TreeMap<>(annotations);
        a.putAll(extra);
        return new Signal(type, SignalStatus.RESOLVED, severity, labels, summary, a, startedAt, endedAt, raisedAt,
                resolvedAt, incidentId, inhibited, false);
    }

    Signal refined(Severity newSeverity, String newSummary, Map<String, String> newAnnotations, Instant newStart) {
        return new Signal(type, status, newSeverity, labels, newSummary, new TreeMap<>(newAnnotations), newStart,
                endedAt, raisedAt, resolvedAt, incidentId, inhibited, true);
    }

    Signal correlated(String incident, boolean isInhibited, boolean isUpdate) {
        return new Signal(type, status, severity, labels, summary, annotations, startedAt, endedAt, raisedAt,
                resolvedAt, incident, isInhibited, isUpdate);
    }
}
