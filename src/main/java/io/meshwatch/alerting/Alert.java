package io.meshwatch.alerting;

import io.meshwatch.inventory.Severity;
import java.time.Instant;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An alert: the persistent, user-facing state of one {@link io.meshwatch.detect.Signal} identity
 * (its fingerprint). Immutable; {@link AlertLifecycle} returns a new one for every change.
 *
 * @param fingerprint    identity: {@link io.meshwatch.detect.Signal#fingerprint()}
 * @param alertName      the signal type's alert name, e.g. {@code CircuitDown}
 * @param state          firing, acknowledged or resolved
 * @param severity       latest severity
 * @param labels         identifying labels (sorted)
 * @param annotations    latest detail (sorted)
 * @param summary        latest one-line summary
 * @param incidentId     the incident it belongs to, when correlated
 * @param inhibited      true when a root cause explains it: recorded, not notified on its own
 * @param silencedBy     id of the silence that muted its latest notification, else null
 * @param startedAt      router event time the current occurrence began
 * @param endedAt        router event time it cleared; null while open or resolved by hand
 * @param firstRaisedAt  clock time it was first raised (first occurrence)
 * @param lastRaisedAt   clock time of the latest raise
 * @param resolvedAt     clock time it was resolved; null while open
 * @param acknowledgedBy who acknowledged the current occurrence; null unless acknowledged
 * @param acknowledgedAt when
 * @param ackComment     what they said
 * @param count          how many times it was raised (a repeat bumps it, never a new alert)
 * @param updatedAt      clock time of the latest change of any kind
 */
public record Alert(String fingerprint, String alertName, AlertState state, Severity severity,
                    SortedMap<String, String> labels, SortedMap<String, String> annotations, String summary,
                    String incidentId, boolean inhibited, String silencedBy, Instant startedAt, Instant endedAt,
                    Instant firstRaisedAt, Instant lastRaisedAt, Instant resolvedAt, String acknowledgedBy,
                    Instant acknowledgedAt, String ackComment, int count, Instant updatedAt) {

    public Alert {
        labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
        annotations = Collections.unmodifiableSortedMap(new TreeMap<>(annotations));
    }

    /** The labels a receiver sees: the identifying labels plus {@code alertname} and {@code severity}. */
    public SortedMap<String, String> notificationLabels() {
        TreeMap<String, String> l = new TreeMap<>(labels);
        l.put("alertname", alertName);
        l.put("severity", severity.name().toLowerCase(java.util.Locale.ROOT));
        return l;
    }

    Alert with(AlertState newState, Instant now) {
        return new Alert(fingerprint, alertName, newState, severity, labels, annotations, summary, incidentId,
                inhibited, silencedBy, startedAt, endedAt, firstRaisedAt, lastRaisedAt, resolvedAt, acknowledgedBy,
                acknowledgedAt, ackComment, count, now);
    }

    Alert acknowledged(String who, String comment, Instant now) {
        return new Alert(fingerprint, alertName, AlertState.ACKNOWLEDGED, severity, labels, annotations, summary,
                incidentId, inhibited, silencedBy, startedAt, endedAt, firstRaisedAt, lastRaisedAt, resolvedAt, who,
                now, comment, count, now);
    }

    Alert resolved(Instant ended, Instant now, String silence) {
        return new Alert(fingerprint, alertName, AlertState.RESOLVED, severity, labels, annotations, summary,
                incidentId, inhibited, silence, startedAt, ended, firstRaisedAt, lastRaisedAt, now, acknowledgedBy,
                acknowledgedAt, ackComment, count, now);
    }
}
