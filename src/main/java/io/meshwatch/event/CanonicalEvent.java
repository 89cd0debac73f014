package io.meshwatch.event;

import java.time.Instant;

/**
 * A canonical Meshwatch event, version 1: what a router (or a collector near it) reported, already
 * decoded and validated. The JSON form is defined by {@link EventCodec} and documented in
 * {@code docs/events.md} and {@code src/main/resources/schemas/}.
 */
public sealed interface CanonicalEvent
        permits PeerStateEvent, BgpUpdateEvent, EndOfRibEvent, FeedStateEvent, InterfaceStateEvent, InterfaceCountersEvent,
                TunnelStateEvent, ProbeResultEvent, TcpRetransmitsEvent {

    /** Router the event is about; also the Kafka record key. */
    String router();

    /** When the router (or its collector) observed it. */
    Instant time();

    /** The event's {@code type} on the wire. */
    EventType type();
}
