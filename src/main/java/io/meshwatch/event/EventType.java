package io.meshwatch.event;

import java.util.HashMap;
import java.util.Map;

/** Event types of the canonical envelope, with the topic family each belongs on. */
public enum EventType {
    BGP_PEER_STATE("bgp.peer_state", Family.BGP),
    BGP_UPDATE("bgp.update", Family.BGP),
    BGP_END_OF_RIB("bgp.end_of_rib", Family.BGP),
    BGP_FEED_STATE("bgp.feed_state", Family.BGP),
    INTERFACE_STATE("interface.state", Family.TELEMETRY),
    INTERFACE_COUNTERS("interface.counters", Family.TELEMETRY),
    IPSEC_TUNNEL_STATE("ipsec.tunnel_state", Family.TELEMETRY),
    PROBE_RESULT("probe.result", Family.TELEMETRY),
    TCP_RETRANSMITS("tcp.retransmits", Family.TELEMETRY);

    /** Which topic an event type travels on. */
    public enum Family { BGP, TELEMETRY }

    private static final Map<String, EventType> BY_WIRE = new HashMap<>();

    static {
        for (EventType t : values()) {
            BY_WIRE.put(t.wire, t);
        }
    }

    private final String wire;
    private final Family family;

    EventType(String wire, Family family) {
        this.wire = wire;
        this.family = family;
    }

    public String wire() {
        return wire;
    }

    public Family family() {
        return family;
    }

    /** The type for a wire name, or null when there is none. */
    public static EventType fromWire(String wire) {
        return BY_WIRE.get(wire);
    }
}
