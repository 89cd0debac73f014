package io.meshwatch.exabgp;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshwatch.event.BgpAttributes;
import io.meshwatch.event.BgpState;
import io.meshwatch.event.BgpUpdateEvent;
import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.event.EndOfRibEvent;
import io.meshwatch.event.Nlri;
import io.meshwatch.event.PeerStateEvent;
import io.meshwatch.routing.Addresses;
import io.meshwatch.routing.Afi;
import io.meshwatch.routing.IpAddress;
import io.meshwatch.routing.Prefix;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns ExaBGP's JSON API messages ({@code encoder json}, one object per line) into canonical
 * events of one router. Plain Java, no I/O.
 *
 * <ul>
 *   <li>{@code state}: {@code up} is {@code established}, {@code down} is {@code idle} with
 *       ExaBGP's reason, {@code connected} (TCP up, OPEN sent) is {@code opensent}.</li>
 *   <li>{@code update} received: {@code bgp.update} {@code adj-in-post} (ExaBGP applies no import
 *       policy, so what it receives is its Adj-RIB-In); sent: {@code adj-out-post}. One event per
 *       withdrawn family, then one per announced family and next hop. IPv4/IPv6 unicast only.</li>
 *   <li>{@code update} with {@code eor} received: {@code bgp.end_of_rib}.</li>
 *   <li>{@code open}, {@code keepalive}, {@code notification} (its text comes with the following
 *       {@code state down}) and anything else: no event.</li>
 * </ul>
 *
 * <p>A line that is not such an object, or a field that does not parse, is refused with a
 * {@link IllegalArgumentException} naming it; the caller counts it and goes on. Not thread-safe.
 */
public final class ExaBgpMapper {

    private static final String VRF = "default";

    private final String configuredRouter;

    /** @param router router id for every event; null: ExaBGP's {@code host} field */
    public ExaBgpMapper(String router) {
        this.configuredRouter = router;
    }

    /** Maps one JSON API message; events go to {@code out} in order. */
    public void map(JsonNode m, Consumer<CanonicalEvent> out) {
        if (m == null || !m.isObject() || !m.path("type").isTextual() || !m.has("exabgp")) {
            throw new IllegalArgumentException("not an ExaBGP JSON API message");
        }
        JsonNode n = m.path("neighbor");
        String type = m.get("type").asText();
        if (!type.equals("state") && !type.equals("update")) {
            return;
        }
        String router = configuredRouter != null ? configuredRouter : text(m, "host");
        Instant time = time(m);
        String peer = IpAddress.parse(text(n.path("address"), "peer")).toString();
        long peerAs = n.path("asn").path("peer").asLong(-1);
        if (peerAs < 0 || peerAs > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("neighbor.asn.peer is missing or not an AS number");
        }
        if (type.equals("state")) {
            BgpState s = switch (text(n, "state")) {
                case "up" -> BgpState.ESTABLISHED;
                case "down" -> BgpState.IDLE;
                case "connected" -> BgpState.OPENSENT;
                default -> null;
            };
            if (s != null) {
                JsonNode local = n.path("asn").path("local");
                out.accept(new PeerStateEvent(router, time, VRF, peer, peerAs, local.canConvertToLong()
                        ? local.asLong() : null, s, n.path("reason").isTextual() ? n.get("reason").asText() : null));
            }
            return;
        }
        boolean received = "receive".equals(n.path("direction").asText());
        JsonNode message = n.path("message");
        if (message.has("eor")) {
            Afi afi = unicast(message.path("eor").path("afi").asText() + " " + message.path("eor").path("safi").asText());
            if (received && afi != null) {
                out.accept(new EndOfRibEvent(router, time, VRF, peer, peerAs, afi));
            }
            return;
        }
        JsonNode u = message.path("update");
        String rib = received ? "adj-in-post" : "adj-out-post";
        for (Iterator<Map.Entry<String, JsonNode>> it = u.path("withdraw").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> family = it.next();
            Afi afi = unicast(family.getKey());
            if (afi != null) {
                out.accept(new BgpUpdateEvent(router, time, VRF, peer, peerAs, rib, null, List.of(),
                        nlri(family.getValue(), afi)));
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = u.path("announce").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> family = it.next();
            Afi afi = unicast(family.getKey());
            if (afi == null) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> hops = family.getValue().fields(); hops.hasNext(); ) {
                Map.Entry<String, JsonNode> hop = hops.next();
                String nextHop = IpAddress.parse(hop.getKey().trim().split("\\s+")[0]).toString();
                out.accept(new BgpUpdateEvent(router, time, VRF, peer, peerAs, rib,
                        ExaBgpAttributes.of(u.path("attribute"), nextHop), nlri(hop.getValue(), afi), List.of()));
            }
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException("field '" + field + "' is missing");
        }
        return v.asText();
    }

    private static Instant time(JsonNode m) {
        JsonNode t = m.path("time");
        if (!t.isNumber()) {
            throw new IllegalArgumentException("field 'time' is missing");
        }
        double seconds = t.asDouble();
        long whole = (long) Math.floor(seconds);
        return Instant.ofEpochSecond(whole, Math.round((seconds - whole) * 1e6) * 1000);
    }

    /** {@code ipv4 unicast} / {@code ipv6 unicast}; null for other families. */
    private static Afi unicast(String family) {
        return switch (family) {
            case "ipv4 unicast" -> Afi.IPV4;
            case "ipv6 unicast" -> Afi.IPV6;
            default -> null;
        };
    }

    /** {@code [{"nlri": "10.0.0.0/8", "path-information": "0.0.0.1"}, ...]}. */
    private static List<Nlri> nlri(JsonNode list, Afi afi) {
        List<Nlri> out = new ArrayList<>(list.size());
        for (JsonNode e : list) {
            Prefix p = Prefix.parse(e.isTextual() ? e.asText() : text(e, "nlri"));
            if (p.afi() != afi) {
                throw new IllegalArgumentException("prefix " + p + " in the " + afi.wireName() + " family");
            }
            JsonNode id = e.path("path-information");
            out.add(new Nlri(p, id.isTextual() ? Integer.toUnsignedLong(Addresses.parseIpv4(id.asText())) : 0));
        }
        return out;
    }

    /** Attributes as ExaBGP names them. */
    static final class ExaBgpAttributes {
        private ExaBgpAttributes() {
        }

        static BgpAttributes of(JsonNode a, String nextHop) {
            List<Object> path = new ArrayList<>();
            for (JsonNode as : a.path("as-path")) {
                if (as.isArray()) {
                    List<Long> set = new ArrayList<>();
                    as.forEach(x -> set.add(x.asLong()));
                    if (!set.isEmpty()) {
                        path.add(List.copyOf(set));
                    }
                } else {
                    path.add(as.asLong());
                }
            }
            List<Long> asSet = new ArrayList<>();
            a.path("as-set").forEach(x -> asSet.add(x.asLong()));
            if (!asSet.isEmpty()) {
                path.add(List.copyOf(asSet));
            }
            List<String> communities = new ArrayList<>();
            a.path("community").forEach(c -> communities.add(c.path(0).asLong() + ":" + c.path(1).asLong()));
            List<String> large = new ArrayList<>();
            a.path("large-community").forEach(c -> large.add(c.path(0).asLong() + ":" + c.path(1).asLong() + ":"
                    + c.path(2).asLong()));
            List<String> ext = new ArrayList<>();
            a.path("extended-community").forEach(c -> ext.add(extended(c)));
            List<String> clusters = new ArrayList<>();
            a.path("cluster-list").forEach(c -> clusters.add(IpAddress.parse(c.asText()).toString()));
            String origin = a.path("origin").asText("incomplete");
            return new BgpAttributes(origin.isEmpty() ? "incomplete" : origin, path, nextHop,
                    a.has("local-preference") ? a.get("local-preference").asLong() : null,
                    a.has("med") ? a.get("med").asLong() : null, communities, large, ext,
                    a.path("originator-id").isTextual() ? IpAddress.parse(a.get("originator-id").asText()).toString()
                            : null, clusters, a.has("atomic-aggregate"));
        }

        /** {@code target:65000:1} as {@code rt:65000:1}, {@code origin:...} as {@code soo:...}, else the raw value. */
        private static String extended(JsonNode c) {
            String s = c.path("string").asText("");
            if (s.startsWith("target:")) {
                return "rt:" + s.substring(7);
            }
            if (s.startsWith("origin:")) {
                return "soo:" + s.substring(7);
            }
            return c.path("value").canConvertToLong() ? String.format("0x%016x", c.get("value").asLong()) : s;
        }
    }
}
