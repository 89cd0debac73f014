package io.meshwatch.bmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One shape for the routes of a router as FRR, GoBGP and Meshwatch's API each print them, so the
 * live test can compare them: per peer (or {@link #LOC_RIB} for the router's own best paths), per
 * prefix, the key attributes.
 */
final class RouterViews {

    /** The key under which a router's reported best paths are kept. */
    static final String LOC_RIB = "loc-rib";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The attributes compared: next hop, AS path as text ({@code 65001 {1,2}}), MED, standard communities. */
    record Attrs(String nextHop, String asPath, Long med, List<String> communities) {
        @Override
        public String toString() {
            return "nh=" + nextHop + " path=[" + asPath + "]" + (med == null ? "" : " med=" + med)
                    + (communities.isEmpty() ? "" : " comm=" + communities);
        }
    }

    /** peer (or {@link #LOC_RIB}) -> prefix -> attributes, both sorted for readable diffs. */
    static final class View {
        final Map<String, Map<String, Attrs>> peers = new TreeMap<>();

        void put(String peer, String prefix, Attrs attrs) {
            peers.computeIfAbsent(peer, p -> new TreeMap<>()).put(prefix, attrs);
        }

        Map<String, Attrs> peer(String peer) {
            return peers.getOrDefault(peer, Map.of());
        }

        /**
         * This view without the paths whose AS path holds {@code ownAs}: a router keeps those in its
         * Adj-RIB-In before policy but rejects them (RFC 4271 9.1.2, AS loop), so they are in no
         * post-policy view.
         */
        View withoutLoops(long ownAs) {
            View v = new View();
            String own = String.valueOf(ownAs);
            peers.forEach((peer, routes) -> routes.forEach((prefix, a) -> {
                if (!List.of(a.asPath().replaceAll("[{},]", " ").trim().split(" +")).contains(own)) {
                    v.put(peer, prefix, a);
                }
            }));
            return v;
        }

        @Override
        public String toString() {
            return peers.toString();
        }
    }

    private RouterViews() {
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + json, e);
        }
    }

    /** Differences between the router's view and Meshwatch's, one line each; empty when equal. */
    static List<String> diff(View router, View meshwatch) {
        List<String> out = new ArrayList<>();
        TreeSet<String> peers = new TreeSet<>(router.peers.keySet());
        peers.addAll(meshwatch.peers.keySet());
        for (String peer : peers) {
            Map<String, Attrs> r = router.peer(peer);
            Map<String, Attrs> m = meshwatch.peer(peer);
            TreeSet<String> prefixes = new TreeSet<>(r.keySet());
            prefixes.addAll(m.keySet());
            for (String prefix : prefixes) {
                Attrs a = r.get(prefix);
                Attrs b = m.get(prefix);
                if (b == null) {
                    out.add(peer + " " + prefix + ": router has " + a + ", Meshwatch has nothing");
                } else if (a == null) {
                    out.add(peer + " " + prefix + ": Meshwatch has " + b + ", router has nothing");
                } else if (!a.equals(b)) {
                    out.add(peer + " " + prefix + ": router has " + a + ", Meshwatch has " + b);
                }
            }
        }
        return out;
    }

    /**
     * FRR's {@code show bgp ipv4 unicast json detail}: every path of its table by the peer it came
     * from ({@code 0.0.0.0} for its own networks).
     */
    static View frr(String json) {
        View v = new View();
        JsonNode routes = parse(json).path("routes");
        routes.fields().forEachRemaining(e -> {
            for (JsonNode path : e.getValue()) {
                if (!path.has("peer")) {
                    continue; // the prefix's own entry (version, advertised-to)
                }
                StringBuilder asPath = new StringBuilder();
                for (JsonNode seg : path.path("aspath").path("segments")) {
                    List<String> asns = new ArrayList<>();
                    seg.path("list").forEach(n -> asns.add(n.asText()));
                    append(asPath, seg.path("type").asText().equals("as-set"), asns);
                }
                v.put(path.path("peer").path("peerId").asText(), e.getKey(), new Attrs(
                        path.path("nexthops").path(0).path("ip").asText(), asPath.toString(),
                        path.has("metric") ? path.get("metric").asLong() : null,
                        sorted(path.path("community").path("list"), false)));
            }
        });
        return v;
    }

    /**
     * GoBGP's {@code neighbor X adj-in -j} (under key {@code peer}) or {@code global rib -j} (its
     * best paths, under {@link #LOC_RIB}).
     */
    static View gobgp(String json, String peer) {
        View v = new View();
        parse(json).fields().forEachRemaining(e -> {
            for (JsonNode path : e.getValue()) {
                if (LOC_RIB.equals(peer) && !path.path("best").asBoolean()) {
                    continue;
                }
                String nextHop = null;
                StringBuilder asPath = new StringBuilder();
                Long med = null;
                List<String> communities = List.of();
                for (JsonNode a : path.path("attrs")) {
                    switch (a.path("type").asInt()) {
                        case 2 -> {
                            for (JsonNode seg : a.path("as_paths")) {
                                List<String> asns = new ArrayList<>();
                                seg.path("asns").forEach(n -> asns.add(n.asText()));
                                append(asPath, seg.path("segment_type").asInt() == 1, asns);
                            }
                        }
                        case 3 -> nextHop = a.path("nexthop").asText();
                        case 4 -> med = a.path("metric").asLong();
                        case 8 -> communities = sorted(a.path("communities"), true);
                        default -> {
                        }
                    }
                }
                v.put(peer, e.getKey(), new Attrs(nextHop, asPath.toString(), med, communities));
            }
        });
        return v;
    }

    /**
     * Meshwatch's {@code GET /api/v1/routers/{r}/routes} pages: every path of each route by its peer,
     * the router-reported best paths (no peer) under {@link #LOC_RIB}.
     */
    static void meshwatch(String json, View into) {
        for (JsonNode route : parse(json).path("routes")) {
            List<JsonNode> paths = new ArrayList<>();
            paths.add(route.get("best"));
            route.path("others").forEach(paths::add);
            for (JsonNode p : paths) {
                String peer = p.path("peer").isTextual() ? p.get("peer").asText() : LOC_RIB;
                into.put(peer, route.path("prefix").asText(), new Attrs(p.path("nextHop").asText(),
                        p.path("asPath").asText(), p.path("med").isNumber() ? p.get("med").asLong() : null,
                        sorted(p.path("communities"), false)));
            }
        }
    }

    private static void append(StringBuilder asPath, boolean set, List<String> asns) {
        if (asns.isEmpty()) {
            return;
        }
        if (asPath.length() > 0) {
            asPath.append(' ');
        }
        asPath.append(set ? "{" + String.join(",", asns) + "}" : String.join(" ", asns));
    }

    /** Communities as sorted {@code high:low} text; GoBGP gives them as 32-bit numbers. */
    private static List<String> sorted(JsonNode list, boolean numeric) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : list) {
            out.add(numeric ? (n.asLong() >>> 16) + ":" + (n.asLong() & 0xFFFF) : n.asText());
        }
        out.sort(null);
        return List.copyOf(out);
    }
}
