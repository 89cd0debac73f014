package io.meshwatch.inventory;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an inventory document (YAML or JSON; JSON is YAML) into an {@link Inventory}, collecting
 * every problem with its path instead of stopping at the first, then checks it with
 * {@link InventoryValidator}. Unknown fields are problems too: a misspelt threshold must not be
 * silently ignored. Plain Java; thread-safe.
 */
public final class InventoryReader {

    /** The document version this reader understands. */
    public static final int VERSION = 1;

    // A key given twice is an error, not "the last one wins": a second thresholds block must not
    // silently replace the first.
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    /**
     * Parses a YAML document (JSON without tabs and {@code \/} escapes is YAML too) and validates
     * it; throws with every problem when it is not a usable inventory.
     */
    public static Inventory read(String document) throws InvalidInventoryException {
        return read(document, DocumentFormat.YAML);
    }

    /** Parses a document of the given format and validates it, as {@link #read(String)}. */
    public static Inventory read(String document, DocumentFormat format) throws InvalidInventoryException {
        JsonNode root;
        try {
            root = (format == DocumentFormat.JSON ? JSON : YAML).readTree(document);
        } catch (JsonProcessingException e) {
            throw InvalidInventoryException.malformed((format == DocumentFormat.JSON ? "not valid JSON"
                    : "not valid YAML or JSON") + SyntaxErrors.describe(e));
        }
        Problems p = new Problems();
        Inventory inventory = new InventoryReader(p).inventory(root);
        p.throwIfAny();
        InventoryValidator.validate(inventory, p);
        p.throwIfAny();
        return inventory;
    }

    /** Problems found so far, in document order. */
    static final class Problems {
        final List<String> list = new ArrayList<>();

        void add(String path, String message) {
            list.add(path + ": " + message);
        }

        void throwIfAny() throws InvalidInventoryException {
            if (!list.isEmpty()) {
                throw new InvalidInventoryException(list);
            }
        }
    }

    private final Problems p;

    private InventoryReader(Problems p) {
        this.p = p;
    }

    private Inventory inventory(JsonNode root) {
        if (root == null || root.isMissingNode() || root.isNull()) {
            p.add("(document)", "empty; expected a mapping with routers, circuits, tunnel-groups and prefixes");
            return Inventory.empty();
        }
        if (!root.isObject()) {
            p.add("(document)", "expected a mapping, got " + kind(root));
            return Inventory.empty();
        }
        fields(root, "", Set.of("version", "routers", "circuits", "tunnel-groups", "prefixes"));
        JsonNode version = root.get("version");
        if (version != null && (!version.canConvertToInt() || version.asInt() != VERSION || !version.isIntegralNumber())) {
            p.add("version", "unsupported version " + version + "; this Meshwatch reads version " + VERSION);
        }
        List<Router> routers = new ArrayList<>();
        each(root, "routers", (n, path) -> keep(routers, router(n, path)));
        List<Circuit> circuits = new ArrayList<>();
        each(root, "circuits", (n, path) -> keep(circuits, circuit(n, path)));
        List<TunnelGroup> groups = new ArrayList<>();
        each(root, "tunnel-groups", (n, path) -> keep(groups, group(n, path)));
        List<WatchedPrefix> prefixes = new ArrayList<>();
        each(root, "prefixes", (n, path) -> keep(prefixes, prefix(n, path)));
        return new Inventory(routers, circuits, groups, prefixes);
    }

    private Router router(JsonNode n, String path) {
        if (!mapping(n, path)) {
            return null;
        }
        fields(n, path, Set.of("id", "site", "region", "asn", "role"));
        return new Router(text(n, path, "id", true), text(n, path, "site", false), text(n, path, "region", false),
                asn(n, path, "asn", true), choice(n, path, "role", RouterRole.class, RouterRole.EDGE));
    }

    private Circuit circuit(JsonNode n, String path) {
        if (!mapping(n, path)) {
            return null;
        }
        fields(n, path, Set.of("id", "kind", "provider", "a", "z", "sessions", "thresholds"));
        List<SessionRef> sessions = new ArrayList<>();
        each(n, path, "sessions", (s, sp) -> keep(sessions, session(s, sp)));
        JsonNode t = n.get("thresholds");
        return new Circuit(text(n, path, "id", true), choice(n, path, "kind", CircuitKind.class, null),
                text(n, path, "provider", false), endpoint(n.get("a"), path + ".a", true),
                endpoint(n.get("z"), path + ".z", false), sessions,
                t == null || t.isNull() ? CircuitThresholds.defaults() : thresholds(t, path + ".thresholds"));
    }

    private Endpoint endpoint(JsonNode n, String path, boolean routerRequired) {
        if (n == null || n.isNull()) {
            if (routerRequired) {
                p.add(path, "missing; expected { router: ..., interface: ... }");
            }
            return null;
        }
        if (!n.isObject()) {
            p.add(path, "expected a mapping, got " + kind(n));
            return null;
        }
        fields(n, path, Set.of("router", "interface"));
        return new Endpoint(text(n, path, "router", routerRequired), text(n, path, "interface", true));
    }

    private SessionRef session(JsonNode n, String path) {
        if (!n.isObject()) {
            p.add(path, "expected { router: ..., vrf: ..., peer: ... }, got " + kind(n));
            return null;
        }
        fields(n, path, Set.of("router", "vrf", "peer"));
        String vrf = text(n, path, "vrf", false);
        String peer = text(n, path, "peer", true);
        if (peer != null) {
            try {
                peer = io.meshwatch.routing.IpAddress.parse(peer).toString();
            } catch (IllegalArgumentException e) {
                p.add(path + ".peer", "not an IP address: '" + peer + "'");
            }
        }
        return new SessionRef(text(n, path, "router", true), vrf == null ? SessionRef.DEFAULT_VRF : vrf, peer);
    }

    private CircuitThresholds thresholds(JsonNode n, String path) {
        if (!n.isObject()) {
            p.add(path, "expected a mapping, got " + kind(n));
            return CircuitThresholds.defaults();
        }
        fields(n, path, Set.of("latency-ms", "jitter-ms", "loss-pct", "retransmit-pct", "down-loss-pct",
                "down-probes", "dwell", "clear-ratio"));
        CircuitThresholds d = CircuitThresholds.defaults();
        Double downLoss = number(n, path, "down-loss-pct", 0, 100);
        Double downProbes = number(n, path, "down-probes", 1, 1000);
        if (downProbes != null && downProbes != Math.rint(downProbes)) {
            p.add(path + ".down-probes", "expected a whole number of probe rounds, got " + n.get("down-probes"));
            downProbes = null;
        }
        Double clear = number(n, path, "clear-ratio", 0.01, 1);
        Duration dwell = duration(n, path, "dwell");
        Double loss = n.has("loss-pct") ? number(n, path, "loss-pct", 0, 100) : d.lossPct();
        return new CircuitThresholds(number(n, path, "latency-ms", 0, 1e6), number(n, path, "jitter-ms", 0, 1e6),
                loss, number(n, path, "retransmit-pct", 0, 100),
                downLoss == null ? d.downLossPct() : downLoss,
                downProbes == null ? d.downProbes() : downProbes.intValue(),
                dwell == null ? d.dwell() : dwell, clear == null ? d.clearRatio() : clear);
    }

    private TunnelGroup group(JsonNode n, String path) {
        if (!mapping(n, path)) {
            return null;
        }
        fields(n, path, Set.of("id", "failover-objective", "tunnels"));
        List<Tunnel> tunnels = new ArrayList<>();
        each(n, path, "tunnels", (t, tp) -> keep(tunnels, tunnel(t, tp)));
        Duration objective = duration(n, path, "failover-objective");
        return new TunnelGroup(text(n, path, "id", true), objective == null ? Duration.ofSeconds(60) : objective,
                tunnels);
    }

    private Tunnel tunnel(JsonNode n, String path) {
        if (!mapping(n, path)) {
            return null;
        }
        fields(n, path, Set.of("id", "router", "remote-gateway", "role", "circuit", "session", "aliases"));
        JsonNode s = n.get("session");
        List<String> aliases = new ArrayList<>();
        each(n, path, "aliases", (a, ap) -> {
            if (a.isTextual() && !a.asText().isBlank()) {
                aliases.add(a.asText());
            } else {
                p.add(ap, "expected a non-empty string, got " + kind(a));
            }
        });
        return new Tunnel(text(n, path, "id", true), text(n, path, "router", true),
                text(n, path, "remote-gateway", false), choice(n, path, "role", TunnelRole.class, null),
                text(n, path, "circuit", false), s == null || s.isNull() ? null : session(s, path + ".session"),
                aliases);
    }

    private WatchedPrefix prefix(JsonNode n, String path) {
        if (!mapping(n, path)) {
            return null;
        }
        fields(n, path, Set.of("prefix", "vrf", "name", "severity", "routers", "policy"));
        String prefix = text(n, path, "prefix", true);
        if (prefix != null) {
            try {
                prefix = io.meshwatch.routing.Prefix.parse(prefix).toString();
            } catch (IllegalArgumentException e) {
                p.add(path + ".prefix", "not a prefix: '" + prefix + "' (" + e.getMessage() + ")");
            }
        }
        List<String> routers = new ArrayList<>();
        each(n, path, "routers", (r, rp) -> {
            if (r.isTextual()) {
                routers.add(r.asText());
            } else {
                p.add(rp, "expected a router id, got " + kind(r));
            }
        });
        String vrf = text(n, path, "vrf", false);
        JsonNode policy = n.get("policy");
        return new WatchedPrefix(prefix, vrf == null ? SessionRef.DEFAULT_VRF : vrf, text(n, path, "name", false),
                choice(n, path, "severity", Severity.class, Severity.MAJOR), routers,
                policy == null || policy.isNull() ? null : policy(policy, path + ".policy"));
    }

    private RoutePolicy policy(JsonNode n, String path) {
        if (!mapping(n, path)) {
            return null;
        }
        fields(n, path, Set.of("origins", "neighbours", "as-path", "max-length"));
        String asPath = text(n, path, "as-path", false);
        if (asPath != null) {
            try {
                java.util.regex.Pattern.compile(asPath);
            } catch (java.util.regex.PatternSyntaxException e) {
                p.add(path + ".as-path", "not a regular expression: " + e.getDescription() + " near index "
                        + e.getIndex());
            }
        }
        Double max = number(n, path, "max-length", 0, 128);
        if (max != null && max != Math.rint(max)) {
            p.add(path + ".max-length", "expected a whole prefix length, got " + n.get("max-length"));
            max = null;
        }
        return new RoutePolicy(asns(n, path, "origins"), asns(n, path, "neighbours"), asPath,
                max == null ? null : max.intValue());
    }

    private List<Long> asns(JsonNode n, String path, String field) {
        List<Long> out = new ArrayList<>();
        each(n, path, field, (a, ap) -> {
            if (a.isIntegralNumber() && a.asLong() >= 0 && a.asLong() <= 4294967295L) {
                out.add(a.asLong());
            } else {
                p.add(ap, "expected an AS number 0..4294967295, got " + kind(a));
            }
        });
        return out;
    }

    private static <T> void keep(List<T> list, T item) {
        if (item != null) {
            list.add(item);
        }
    }

    // --- field helpers -------------------------------------------------------------------------

    private interface Item {
        void read(JsonNode node, String path);
    }

    private void each(JsonNode parent, String field, Item item) {
        each(parent, "", field, item);
    }

    private void each(JsonNode parent, String path, String field, Item item) {
        String at = path.isEmpty() ? field : path + "." + field;
        JsonNode list = parent.get(field);
        if (list == null || list.isNull()) {
            return;
        }
        if (!list.isArray()) {
            p.add(at, "expected a list, got " + kind(list));
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            item.read(list.get(i), at + "[" + i + "]");
        }
    }

    /** True when {@code n} is a mapping; otherwise records the problem. */
    private boolean mapping(JsonNode n, String path) {
        if (n.isObject()) {
            return true;
        }
        p.add(path, "expected a mapping, got " + kind(n));
        return false;
    }

    private void fields(JsonNode n, String path, Set<String> known) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                p.add(path.isEmpty() ? f : path + "." + f, "unknown field; expected one of " + known.stream().sorted().toList());
            }
        }
    }

    private String text(JsonNode n, String path, String field, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                p.add(path + "." + field, "missing");
            }
            return null;
        }
        if (!v.isValueNode() || v.asText().isBlank()) {
            p.add(path + "." + field, "expected a non-empty string, got " + kind(v));
            return null;
        }
        return v.asText();
    }

    private long asn(JsonNode n, String path, String field, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                p.add(path + "." + field, "missing");
            }
            return 0;
        }
        if (!v.isIntegralNumber() || v.asLong() < 1 || v.asLong() > 4294967295L) {
            p.add(path + "." + field, "expected an AS number 1..4294967295, got " + v);
            return 0;
        }
        return v.asLong();
    }

    private Double number(JsonNode n, String path, String field, double min, double max) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber() || v.asDouble() < min || v.asDouble() > max) {
            p.add(path + "." + field, "expected a number from " + plain(min) + " to " + plain(max) + ", got " + v);
            return null;
        }
        return v.asDouble();
    }

    private Duration duration(JsonNode n, String path, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        Matcher m = DURATION.matcher(v.asText());
        if (v.isTextual() && m.matches()) {
            double amount = Double.parseDouble(m.group(1));
            double ms = switch (m.group(2)) {
                case "ms" -> amount;
                case "s" -> amount * 1000;
                case "m" -> amount * 60_000;
                default -> amount * 3_600_000;
            };
            return Duration.ofMillis(Math.round(ms));
        }
        if (v.isTextual()) {
            try {
                return Duration.parse(v.asText());
            } catch (DateTimeParseException ignored) {
                // reported below
            }
        }
        p.add(path + "." + field, "expected a duration such as 30s, 500ms, 2m or PT30S, got " + v);
        return null;
    }

    private <E extends Enum<E>> E choice(JsonNode n, String path, String field, Class<E> type, E otherwise) {
        JsonNode v = n.get(field);
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(spell(e));
        }
        if (v == null || v.isNull()) {
            if (otherwise == null) {
                p.add(path + "." + field, "missing; expected one of " + names);
            }
            return otherwise;
        }
        for (E e : type.getEnumConstants()) {
            if (spell(e).equals(v.asText())) {
                return e;
            }
        }
        p.add(path + "." + field, "unknown value " + v + "; expected one of " + names);
        return otherwise;
    }

    /** The YAML spelling of an enum constant: lower case, {@code _} as {@code -}. */
    public static String spell(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String kind(JsonNode n) {
        return n.isObject() ? "a mapping" : n.isArray() ? "a list" : n.isTextual() ? "'" + n.asText() + "'" : String.valueOf(n);
    }

    private static String plain(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
