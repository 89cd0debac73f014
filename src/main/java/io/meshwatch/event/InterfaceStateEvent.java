package io.meshwatch.event;

import java.time.Instant;

/**
 * Operational (and optionally administrative) state of a router interface.
 *
 * @param operStatus  {@code up}, {@code down}, {@code testing}, {@code dormant},
 *                    {@code lower_layer_down}, {@code not_present} or {@code unknown}
 * @param adminStatus {@code up}, {@code down}, {@code testing} or null when unknown
 */
public record InterfaceStateEvent(String router, Instant time, String iface, String operStatus, String adminStatus)
        implements CanonicalEvent {
    @Override
    public EventType type() {
        return EventType.INTERFACE_STATE;
    }
}
