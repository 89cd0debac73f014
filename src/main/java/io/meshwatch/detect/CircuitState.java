package io.meshwatch.detect;

/** A circuit's state as detection sees it. */
public enum CircuitState {
    /** Nothing has been heard about it yet. */
    UNKNOWN,
    UP,
    /** {@code CircuitDegraded} fires. */
    DEGRADED,
    /** {@code CircuitDown} fires. */
    DOWN
}
