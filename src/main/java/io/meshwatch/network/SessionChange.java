package io.meshwatch.network;

/**
 * The delta of one applied peer-state event.
 *
 * @param before the session before, or null when it was first seen
 * @param after  the session after
 */
public record SessionChange(BgpSession before, BgpSession after) {

    /** True when the FSM state changed (not only the AS numbers or reason). */
    public boolean stateChanged() {
        return before == null || before.state() != after.state();
    }
}
