package io.meshwatch.event;

import java.time.Instant;

/** Cumulative interface counters; a field the source does not report is null. */
public record InterfaceCountersEvent(String router, Instant time, String iface, Long inOctets, Long outOctets,
                                     Long inPackets, Long outPackets, Long inErrors, Long outErrors,
                                     Long inDiscards, Long outDiscards) implements CanonicalEvent {
    @Override
    public EventType type() {
        return EventType.INTERFACE_COUNTERS;
    }
}
