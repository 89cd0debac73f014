package io.meshwatch.detect;

/** Where a tunnel group's traffic is. */
public enum GroupPhase {
    /** The primary has not been seen up yet. */
    UNKNOWN,
    /** The primary is up and carries traffic. */
    NORMAL,
    /** The primary went down; no backup carries traffic yet. */
    FAILING_OVER,
    /** A backup carries traffic. */
    ON_BACKUP,
    /** The primary is back up; it does not carry traffic yet. */
    FAILING_BACK
}
