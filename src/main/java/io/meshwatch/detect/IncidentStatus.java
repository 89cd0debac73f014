package io.meshwatch.detect;

/** Lifecycle of an {@link Incident}. */
public enum IncidentStatus {
    /** At least one of its signals (root or child) is firing. */
    OPEN,
    /** Its root and every child have resolved. */
    RESOLVED,
    /** A later root turned out to explain it: its signals moved to the incident in {@code mergedInto}. */
    MERGED
}
