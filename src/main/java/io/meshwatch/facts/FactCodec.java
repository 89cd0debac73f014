package io.meshwatch.facts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshwatch.event.BgpState;
import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.event.DownCause;
import io.meshwatch.event.EventCodec;
import io.meshwatch.event.EventType;
import io.meshwatch.event.FeedStateEvent;
import io.meshwatch.event.RejectedRecordException;
import io.meshwatch.network.BgpSession;
import io.meshwatch.routing.BestPathReason;
import io.meshwatch.routing.IpAddress;
import io.meshwatch.routing.Path;
import io.meshwatch.routing.PathAttributes;
import io.meshwatch.routing.Peer;
import io.meshwatch.routing.Prefix;
import io.meshwatch.routing.RouteDelta;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * JSON of the facts topic, version 1 ({@code docs/events.md}, "Facts"): one object per record,
 * {@code {"v":1,"kind":"session"|"routes"|"telemetry", ...}}. A telemetry fact embeds the canonical
 * event as the input topic carried it. Stateless and thread-safe.
 */
public final class FactCodec {

    public static final int VERSION = 1;

    /**
     * How every telemetry fact this codec writes begins: the event's own JSON follows, then one
     * closing brace. Telemetry is most of the facts (probe rounds), so {@link #encode} writes it
     * around the event's bytes and {@link #decode} reads the event's bytes in place when a fact has
     * exactly this shape, instead of building and re-serialising a tree twice (a hot path: about 3x
     * fewer allocations per fact); any other shape takes the general path.
     */
    private static final byte[] TELEMETRY_HEAD = ("{\"v\":" + VERSION + ",\"kind\":\"telemetry\",\"event\":")
            .getBytes(StandardCharsets.UTF_8);

    private final ObjectMapper json;
    private final EventCodec events;

    public FactCodec(ObjectMapper json) {
        this.json = json;
        this.events = new EventCodec(json);
    }

    public byte[] encode(Fact fact) {
        if (fact instanceof Fact.TelemetryFact f) {
            byte[] event = events.encode(f.event(), null);
            byte[] out = Arrays.copyOf(TELEMETRY_HEAD, TELEMETRY_HEAD.length + event.length + 1);
            System.arraycopy(event, 0, out, TELEMETRY_HEAD.length, event.length);
            out[out.length - 1] = '}';
            return out;
        }
        ObjectNode o = json.createObjectNode();
        o.put("v", VERSION);
        if (fact instanceof Fact.SessionFact f) {
            o.put("kind", "session");
            session(o, f.session());
        } else if (fact instanceof Fact.FeedFact f) {
            o.put("kind", "feed");
            o.set("event", tree(f.event()));
        } else if (fact instanceof Fact.RouteFact f) {
            o.put("kind", "routes");
            o.put("router", f.router());
            o.put("time", f.time().toString());
            var list = o.putArray("deltas");
            for (RouteDelta d : f.deltas()) {
                ObjectNode n = list.addObject();
                n.put("vrf", d.vrf());
                n.put("prefix", d.prefix().toString());
                path(n, "old", d.oldBest());
                path(n, "new", d.newBest());
                n.put("reason", d.reason().name().toLowerCase(Locale.ROOT));
            }
        }
        try {
            return json.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public Fact decode(byte[] value) throws FactFormatException {
        if (value != null && value.length > TELEMETRY_HEAD.length + 1 && value[value.length - 1] == '}'
                && Arrays.equals(value, 0, TELEMETRY_HEAD.length, TELEMETRY_HEAD, 0, TELEMETRY_HEAD.length)) {
            return new Fact.TelemetryFact(telemetry(Arrays.copyOfRange(value, TELEMETRY_HEAD.length,
                    value.length - 1)));
        }
        JsonNode o;
        try {
            o = value == null ? null : json.readTree(value);
        } catch (IOException e) {
            throw new FactFormatException("not JSON: " + e.getMessage(), e);
        }
        if (o == null || !o.isObject()) {
            throw new FactFormatException("not a JSON object");
        }
        if (o.path("v").asInt(-1) != VERSION) {
            throw new FactFormatException("fact version " + o.path("v") + " is not " + VERSION);
        }
        try {
            return switch (o.path("kind").asText()) {
                case "session" -> new Fact.SessionFact(session(o));
                case "routes" -> routes(o);
                case "telemetry" -> new Fact.TelemetryFact(telemetry(tree(o.path("event"))));
                case "feed" -> new Fact.FeedFact(feed(tree(o.path("event"))));
                default -> throw new FactFormatException("unknown fact kind '" + o.path("kind").asText() + "'");
            };
        } catch (IllegalArgumentException | NullPointerException | java.time.DateTimeException e) {
            throw new FactFormatException("malformed " + o.path("kind").asText() + " fact: " + e.getMessage(), e);
        }
    }

    private byte[] tree(JsonNode event) throws FactFormatException {
        try {
            return json.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new FactFormatException("telemetry fact: " + e.getMessage(), e);
        }
    }

    private JsonNode tree(CanonicalEvent event) {
        try {
            return json.readTree(events.encode(event, null));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private FeedStateEvent feed(byte[] event) throws FactFormatException {
        try {
            if (events.decode(event, EventType.Family.BGP) instanceof FeedStateEvent f) {
                return f;
            }
            throw new FactFormatException("feed fact: not a bgp.feed_state event");
        } catch (RejectedRecordException e) {
            throw new FactFormatException("feed fact: " + e.getMessage(), e);
        }
    }

    private CanonicalEvent telemetry(byte[] event) throws FactFormatException {
        try {
            return events.decode(event, EventType.Family.TELEMETRY);
        } catch (RejectedRecordException e) {
            throw new FactFormatException("telemetry fact: " + e.getMessage(), e);
        }
    }

    private static void session(ObjectNode o, BgpSession s) {
        o.put("router", s.router());
        o.put("vrf", s.vrf());
        o.put("peer", s.peer());
        o.put("peer_as", s.peerAs());
        if (s.localAs() != null) {
            o.put("local_as", s.localAs());
        }
        o.put("state", s.state().wire());
        o.put("since", s.since().toString());
        o.put("last_event", s.lastEvent().toString());
        o.put("flaps", s.flaps());
        if (s.lastReason() != null) {
            o.put("reason", s.lastReason());
        }
        if (s.observedAt() != null) {
            o.put("observed_at", s.observedAt().toString());
        }
        if (s.holdTime() != null) {
            o.put("hold_time", s.holdTime());
        }
        if (s.keepalive() != null) {
            o.put("keepalive", s.keepalive());
        }
        if (s.cause() != null) {
            o.put("cause", s.cause().wire());
        }
    }

    private static BgpSession session(JsonNode o) throws FactFormatException {
        BgpState state = BgpState.fromWire(o.path("state").asText());
        if (state == null) {
            throw new FactFormatException("session fact with state '" + o.path("state").asText() + "'");
        }
        return new BgpSession(text(o, "router"), text(o, "vrf"), text(o, "peer"), o.path("peer_as").asLong(),
                o.hasNonNull("local_as") ? o.get("local_as").asLong() : null, state,
                Instant.parse(text(o, "since")), Instant.parse(text(o, "last_event")), o.path("flaps").asLong(),
                o.hasNonNull("reason") ? o.get("reason").asText() : null,
                o.hasNonNull("observed_at") ? Instant.parse(o.get("observed_at").asText()) : null,
                o.hasNonNull("hold_time") ? o.get("hold_time").asInt() : null,
                o.hasNonNull("keepalive") ? o.get("keepalive").asInt() : null,
                o.hasNonNull("cause") ? DownCause.fromWire(o.get("cause").asText()) : null);
    }

    private static Fact.RouteFact routes(JsonNode o) throws FactFormatException {
        List<RouteDelta> deltas = new ArrayList<>();
        for (JsonNode n : o.path("deltas")) {
            deltas.add(new RouteDelta(n.path("vrf").asText(""), Prefix.parse(text(n, "prefix")), path(n.get("old")),
                    path(n.get("new")), BestPathReason.valueOf(text(n, "reason").toUpperCase(Locale.ROOT))));
        }
        return new Fact.RouteFact(text(o, "router"), Instant.parse(text(o, "time")), deltas);
    }

    private static void path(ObjectNode n, String field, Path p) {
        if (p == null) {
            n.putNull(field);
            return;
        }
        ObjectNode o = n.putObject(field);
        if (p.peer() != null) {
            o.put("peer", p.peer().address().toString());
        }
        o.put("next_hop", p.attributes().nextHop().toString());
    }

    private static Path path(JsonNode o) {
        if (o == null || o.isNull()) {
            return null;
        }
        Peer peer = o.hasNonNull("peer") ? new Peer("", IpAddress.parse(o.get("peer").asText()), 0, 0) : null;
        return new Path(peer, 0, PathAttributes.builder().nextHop(IpAddress.parse(o.path("next_hop").asText()))
                .build());
    }

    private static String text(JsonNode o, String field) throws FactFormatException {
        JsonNode n = o.get(field);
        if (n == null || n.isNull() || !n.isTextual()) {
            throw new FactFormatException("fact without '" + field + "'");
        }
        return n.asText();
    }
}
