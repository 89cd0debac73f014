package io.meshwatch.inventory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * Writes an {@link Inventory} in the document form {@link InventoryReader} reads: the same
 * kebab-case field names, enums as their YAML spelling, durations as {@code 30s}. What it writes
 * reads back to an equal inventory. Optional fields that are unset are left out, except the
 * thresholds, which are written in full (null means "not checked", which is not the default for
 * {@code loss-pct}). Plain Java; thread-safe.
 */
public final class InventoryWriter {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build());

    private InventoryWriter() {
    }

    /** The document as a JSON tree (what the API serialises). */
    public static ObjectNode tree(Inventory inv) {
        ObjectNode root = NODES.objectNode();
        root.put("version", InventoryReader.VERSION);
        ArrayNode routers = root.putArray("routers");
        for (Router r : inv.routers()) {
            ObjectNode n = routers.addObject();
            n.put("id", r.id());
            optional(n, "site", r.site());
            optional(n, "region", r.region());
            n.put("asn", r.asn());
            n.put("role", InventoryReader.spell(r.role()));
        }
        ArrayNode circuits = root.putArray("circuits");
        for (Circuit c : inv.circuits()) {
            ObjectNode n = circuits.addObject();
            n.put("id", c.id());
            n.put("kind", InventoryReader.spell(c.kind()));
            optional(n, "provider", c.provider());
            endpoint(n, "a", c.a());
            endpoint(n, "z", c.z());
            ArrayNode sessions = n.putArray("sessions");
            c.sessions().forEach(s -> session(sessions.addObject(), s));
            thresholds(n.putObject("thresholds"), c.thresholds());
        }
        ArrayNode groups = root.putArray("tunnel-groups");
        for (TunnelGroup g : inv.tunnelGroups()) {
            ObjectNode n = groups.addObject();
            n.put("id", g.id());
            n.put("failover-objective", duration(g.failoverObjective()));
            ArrayNode tunnels = n.putArray("tunnels");
            for (Tunnel t : g.tunnels()) {
                ObjectNode tn = tunnels.addObject();
                tn.put("id", t.id());
                tn.put("router", t.router());
                optional(tn, "remote-gateway", t.remoteGateway());
                tn.put("role", InventoryReader.spell(t.role()));
                optional(tn, "circuit", t.circuit());
                if (t.session() != null) {
                    session(tn.putObject("session"), t.session());
                }
                if (!t.aliases().isEmpty()) {
                    ArrayNode aliases = tn.putArray("aliases");
                    t.aliases().forEach(aliases::add);
                }
            }
        }
        ArrayNode prefixes = root.putArray("prefixes");
        for (WatchedPrefix w : inv.prefixes()) {
            ObjectNode n = prefixes.addObject();
            n.put("prefix", w.prefix());
            n.put("vrf", w.vrf());
            optional(n, "name", w.name());
            n.put("severity", InventoryReader.spell(w.severity()));
            if (!w.routers().isEmpty()) {
                ArrayNode rs = n.putArray("routers");
                w.routers().forEach(rs::add);
            }
            RoutePolicy rp = w.policy();
            if (rp != null) {
                ObjectNode pn = n.putObject("policy");
                if (!rp.origins().isEmpty()) {
                    ArrayNode a = pn.putArray("origins");
                    rp.origins().forEach(a::add);
                }
                if (!rp.neighbours().isEmpty()) {
                    ArrayNode a = pn.putArray("neighbours");
                    rp.neighbours().forEach(a::add);
                }
                optional(pn, "as-path", rp.asPath());
                if (rp.maxLength() != null) {
                    pn.put("max-length", rp.maxLength());
                }
            }
        }
        return root;
    }

    public static String json(Inventory inv) {
        return write(JSON, inv);
    }

    public static String yaml(Inventory inv) {
        return write(YAML, inv);
    }

    private static String write(ObjectMapper mapper, Inventory inv) {
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(tree(inv));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void endpoint(ObjectNode parent, String field, Endpoint e) {
        if (e == null) {
            return;
        }
        ObjectNode n = parent.putObject(field);
        optional(n, "router", e.router());
        optional(n, "interface", e.iface());
    }

    private static void session(ObjectNode n, SessionRef s) {
        n.put("router", s.router());
        n.put("vrf", s.vrf());
        n.put("peer", s.peer());
    }

    private static void thresholds(ObjectNode n, CircuitThresholds t) {
        number(n, "latency-ms", t.latencyMs());
        number(n, "jitter-ms", t.jitterMs());
        number(n, "loss-pct", t.lossPct());
        number(n, "retransmit-pct", t.retransmitPct());
        number(n, "down-loss-pct", t.downLossPct());
        n.put("down-probes", t.downProbes());
        n.put("dwell", duration(t.dwell()));
        number(n, "clear-ratio", t.clearRatio());
    }

    /** Whole numbers without a fraction ({@code 15}, not {@code 15.0}); null written as null. */
    private static void number(ObjectNode n, String field, Double v) {
        if (v == null) {
            n.putNull(field);
        } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            n.put(field, v.longValue());
        } else {
            n.put(field, v);
        }
    }

    private static void optional(ObjectNode n, String field, String value) {
        if (value != null) {
            n.put(field, value);
        }
    }

    /** The shortest exact spelling the reader understands: {@code 2h}, {@code 5m}, {@code 30s}, {@code 1500ms}. */
    static String duration(Duration d) {
        if (d.getNano() % 1_000_000 != 0 || d.isNegative()) {
            return d.toString();
        }
        long ms = d.toMillis();
        if (ms != 0 && ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms != 0 && ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
