package io.meshwatch.event;

import java.time.Instant;

/** TCP segments sent and retransmitted towards a remote address over an interval. */
public record TcpRetransmitsEvent(String router, Instant time, String remote, double intervalS, long segmentsOut,
                                  long retransmits) implements CanonicalEvent {
    @Override
    public EventType type() {
        return EventType.TCP_RETRANSMITS;
    }
}
