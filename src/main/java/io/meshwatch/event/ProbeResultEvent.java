package io.meshwatch.event;

import java.time.Instant;

/**
 * One round of active probes from the router to a target.
 *
 * @param circuit circuit the probe path rides, or null
 * @param tunnel  tunnel the probe path rides, or null
 */
public record ProbeResultEvent(String router, Instant time, String target, String circuit, String tunnel,
                               double latencyMs, double jitterMs, double lossPct, int sent, int received)
        implements CanonicalEvent {
    @Override
    public EventType type() {
        return EventType.PROBE_RESULT;
    }
}
