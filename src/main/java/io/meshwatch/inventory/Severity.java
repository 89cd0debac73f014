package io.meshwatch.inventory;

/** Severity of an alert or of a prefix's loss, most severe first. */
public enum Severity {
    CRITICAL,
    MAJOR,
    MINOR,
    WARNING,
    INFO;

    /** True when this is at least as severe as {@code other}. */
    public boolean atLeast(Severity other) {
        return ordinal() <= other.ordinal();
    }
}
