package io.meshwatch.event;

import static io.meshwatch.event.JsonFields.address;
import static io.meshwatch.event.JsonFields.asNumber;
import static io.meshwatch.event.JsonFields.decimal;
import static io.meshwatch.event.JsonFields.instant;
import static io.meshwatch.event.JsonFields.integer;
import static io.meshwatch.event.JsonFields.object;
import static io.meshwatch.event.JsonFields.oneOf;
import static io.meshwatch.event.JsonFields.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.meshwatch.routing.Afi;
import java.io.IOException;
import java.time.Instant;
import java.util.Set;

/**
 * JSON codec of canonical events, envelope version 1.
 *
 * <pre>{"version":1,"type":"bgp.peer_state","router":"aws-use1-tr1","time":"2026-11-26T08:00:00Z",
 *  "source":"bmp","payload":{...}}</pre>
 *
 * <p>Decoding validates everything a consumer relies on and reports the first problem as a
 * {@link RejectedRecordException} whose message names the field. Encoding is the inverse, used by
 * the simulator, the MRT replay and tests. Thread-safe: holds only an {@link ObjectMapper}.
 */
public final class EventCodec {

    /** The envelope version this codec reads and writes. */
    public static final int VERSION = 1;

    static final Set<String> ORIGINS = Set.of("igp", "egp", "incomplete");
    static final Set<String> RIBS = Set.of("adj-in-pre", "adj-in-post", "loc-rib", "adj-out-pre", "adj-out-post");
    static final Set<String> OPER = Set.of("up", "down", "testing", "dormant", "lower_layer_down", "not_present",
            "unknown");
    static final Set<String> ADMIN = Set.of("up", "down", "testing");
    static final Set<String> TUNNEL_STATES = Set.of("up", "down");
    static final Set<String> SIGNALS = Set.of("ike", "aws_tunnel_state", "azure_bgp_peer_status", "gcp_vpn_status",
            "other");
    static final Set<String> FEED_STATES = Set.of(FeedStateEvent.UP, FeedStateEvent.ENDED, FeedStateEvent.LOST);
    static final Set<String> AFIS = Set.of("ipv4", "ipv6");

    private final ObjectMapper mapper;
    private final ObjectReader reader;
    private final BgpUpdateCodec updates;

    public EventCodec(ObjectMapper mapper) {
        this.mapper = mapper;
        this.reader = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.updates = new BgpUpdateCodec();
    }

    /**
     * Decodes and validates one record value.
     *
     * @param expected the topic family the record arrived on; an event of another family is refused
     *                 as {@link RejectReason#UNKNOWN_TYPE}. Null accepts any family.
     */
    public CanonicalEvent decode(byte[] value, EventType.Family expected) throws RejectedRecordException {
        if (value == null || value.length == 0) {
            throw new RejectedRecordException(RejectReason.NOT_JSON, "record has no value");
        }
        JsonNode root;
        try {
            root = reader.readTree(value);
        } catch (IOException e) {
            throw new RejectedRecordException(RejectReason.NOT_JSON, "value is not JSON: " + firstLine(e));
        }
        if (root == null || !root.isObject()) {
            throw new RejectedRecordException(RejectReason.NOT_JSON, "value is JSON but not an object");
        }
        long version = integer(root, "", "version", true, Long.MIN_VALUE, Long.MAX_VALUE);
        if (version != VERSION) {
            throw new RejectedRecordException(RejectReason.UNSUPPORTED_VERSION,
                    "envelope version " + version + " is not supported (this build reads version " + VERSION + ")");
        }
        String typeName = text(root, "", "type", true);
        EventType type = EventType.fromWire(typeName);
        if (type == null) {
            throw new RejectedRecordException(RejectReason.UNKNOWN_TYPE, "unknown event type '" + typeName + "'");
        }
        if (expected != null && type.family() != expected) {
            throw new RejectedRecordException(RejectReason.UNKNOWN_TYPE, "event type '" + typeName
                    + "' belongs on the " + type.family().name().toLowerCase() + " topic, not this one");
        }
        String router = text(root, "", "router", true);
        Instant time = instant(root, "", "time");
        text(root, "", "source", false);
        JsonNode p = object(root, "", "payload", true);
        String at = "payload.";
        return switch (type) {
            case BGP_PEER_STATE -> new PeerStateEvent(router, time, vrf(p), address(p, at, "peer", true),
                    asNumber(p, at, "peer_as"), integer(p, at, "local_as", false, 0, JsonFields.MAX_AS),
                    state(p), text(p, at, "reason", false), intOrNull(p, at, "hold_time", 0, 65535),
                    intOrNull(p, at, "keepalive", 0, 65535), cause(p, at));
            case BGP_UPDATE -> updates.decode(router, time, vrf(p), p);
            case BGP_END_OF_RIB -> new EndOfRibEvent(router, time, vrf(p), address(p, at, "peer", true),
                    asNumber(p, at, "peer_as"), Afi.fromWire(oneOf(p, at, "afi", true, AFIS)));
            case BGP_FEED_STATE -> new FeedStateEvent(router, time, text(p, at, "feed", true),
                    oneOf(p, at, "state", true, FEED_STATES), text(p, at, "reason", false));
            case INTERFACE_STATE -> new InterfaceStateEvent(router, time, text(p, at, "interface", true),
                    oneOf(p, at, "oper_status", true, OPER), oneOf(p, at, "admin_status", false, ADMIN));
            case INTERFACE_COUNTERS -> new InterfaceCountersEvent(router, time, text(p, at, "interface", true),
                    counter(p, "in_octets"), counter(p, "out_octets"), counter(p, "in_packets"),
                    counter(p, "out_packets"), counter(p, "in_errors"), counter(p, "out_errors"),
                    counter(p, "in_discards"), counter(p, "out_discards"));
            case IPSEC_TUNNEL_STATE -> new TunnelStateEvent(router, time, text(p, at, "tunnel", true),
                    oneOf(p, at, "state", true, TUNNEL_STATES), oneOf(p, at, "signal", false, SIGNALS),
                    counter(p, "bytes_in"), counter(p, "bytes_out"));
            case PROBE_RESULT -> probe(router, time, p);
            case TCP_RETRANSMITS -> retransmits(router, time, p);
        };
    }

    private static Integer intOrNull(JsonNode p, String at, String field, long min, long max)
            throws RejectedRecordException {
        Long v = integer(p, at, field, false, min, max);
        return v == null ? null : v.intValue();
    }

    private static DownCause cause(JsonNode p, String at) throws RejectedRecordException {
        // an optional detail: a token this version does not know is kept as OTHER, not refused
        String token = text(p, at, "cause", false);
        DownCause c = token == null ? null : DownCause.fromWire(token);
        return c != null || token == null ? c : DownCause.OTHER;
    }

    private static ProbeResultEvent probe(String router, Instant time, JsonNode p) throws RejectedRecordException {
        String at = "payload.";
        long sent = integer(p, at, "sent", true, 1, 1_000_000);
        long received = integer(p, at, "received", true, 0, 1_000_000);
        if (received > sent) {
            throw new RejectedRecordException(RejectReason.INVALID_VALUE,
                    "field 'payload.received' is " + received + ", more than 'payload.sent' " + sent);
        }
        return new ProbeResultEvent(router, time, text(p, at, "target", true), text(p, at, "circuit", false),
                text(p, at, "tunnel", false), decimal(p, at, "latency_ms", true, 0, 600_000),
                decimal(p, at, "jitter_ms", true, 0, 600_000), decimal(p, at, "loss_pct", true, 0, 100),
                (int) sent, (int) received);
    }

    private static TcpRetransmitsEvent retransmits(String router, Instant time, JsonNode p)
            throws RejectedRecordException {
        String at = "payload.";
        long segments = integer(p, at, "segments_out", true, 0, Long.MAX_VALUE);
        long retransmits = integer(p, at, "retransmits", true, 0, Long.MAX_VALUE);
        if (retransmits > segments) {
            throw new RejectedRecordException(RejectReason.INVALID_VALUE, "field 'payload.retransmits' is "
                    + retransmits + ", more than 'payload.segments_out' " + segments);
        }
        return new TcpRetransmitsEvent(router, time, address(p, at, "remote", true),
                decimal(p, at, "interval_s", true, 0.001, 86_400), segments, retransmits);
    }

    static String vrf(JsonNode p) throws RejectedRecordException {
        String v = text(p, "payload.", "vrf", false);
        return v == null || v.isEmpty() ? "default" : v;
    }

    private static BgpState state(JsonNode p) throws RejectedRecordException {
        String s = text(p, "payload.", "state", true);
        BgpState st = BgpState.fromWire(s);
        if (st == null) {
            throw new RejectedRecordException(RejectReason.INVALID_VALUE,
                    "field 'payload.state' is '" + s + "', not a BGP state (idle, connect, active, opensent, "
                            + "openconfirm, established)");
        }
        return st;
    }

    private static Long counter(JsonNode p, String field) throws RejectedRecordException {
        return integer(p, "payload.", field, false, 0, Long.MAX_VALUE);
    }

    private static String firstLine(IOException e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** Encodes an event as its JSON envelope. */
    public byte[] encode(CanonicalEvent event, String source) {
        try {
            return mapper.writeValueAsBytes(EventEncoder.envelope(mapper, event, source));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + event.type().wire(), e);
        }
    }
}
