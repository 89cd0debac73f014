package io.meshwatch.sim;

import io.meshwatch.inventory.CircuitKind;
import io.meshwatch.inventory.CircuitThresholds;
import io.meshwatch.inventory.TunnelRole;
import io.meshwatch.routing.Prefix;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The simulated network, derived once from an inventory by {@link NetworkBuilder}: BGP speakers
 * (the inventory's routers plus the clouds and internet transit providers they peer with), the
 * sessions between them, circuits, tunnels, interfaces, and the prefix groups each speaker
 * originates. Immutable; shared freely between threads.
 */
public final class SimNetwork {

    /** What a BGP speaker is. Only {@link #ROUTER}s report events; the others are their neighbours. */
    public enum NodeKind { ROUTER, CLOUD, INTERNET }

    /**
     * A BGP speaker.
     *
     * @param role    the inventory role of a router ({@code transit}, {@code cloud-exchange}, ...), else the kind
     * @param origins indexes of the {@link PrefixGroup}s it originates
     */
    public record Node(int index, String id, long asn, NodeKind kind, String role, String description,
                       List<Integer> origins) {
        public boolean reports() {
            return kind == NodeKind.ROUTER;
        }
    }

    /** Where a session runs. */
    public enum SessionKind {
        /** Over a circuit (and the primary tunnel that rides it, when there is one). */
        CIRCUIT,
        /** Over an IPSec tunnel across the internet (a group's backup). */
        INTERNET_TUNNEL,
        /** Between two transit routers over the cloud backbone. */
        MESH,
        /** To an internet transit provider; only the full-table scenario brings it up. */
        TRANSIT
    }

    /** One end of a session: the speaker and its own address on the session. */
    public record Side(int node, String address) {
    }

    /**
     * A BGP session between two speakers.
     *
     * @param circuit the circuit it rides, or null
     * @param tunnel  the tunnel it rides, or null
     * @param prepend how many extra times each end prepends its AS when advertising over it
     * @param ibgp    both ends in one AS
     */
    public record Session(int index, SessionKind kind, Side a, Side b, String circuit, String tunnel, int prepend,
                          boolean ibgp) {
        /** The end on {@code node}. */
        public Side side(int node) {
            return a.node == node ? a : b;
        }

        /** The end that is not {@code node}. */
        public Side other(int node) {
            return a.node == node ? b : a;
        }
    }

    /** A router interface the simulator reports state and counters for. */
    public record Iface(String router, String name, String circuit) {
        /** The internet uplink (no circuit): carries the backup tunnels. */
        public boolean uplink() {
            return circuit == null;
        }
    }

    /**
     * A circuit, with the path characteristics its probes show.
     *
     * @param zRouter     the far end when it is one of the routers, else null
     * @param probeTarget what the a-end router probes across it
     */
    public record CircuitDef(String id, CircuitKind kind, String aRouter, String aIface, String zRouter, String zIface,
                             String probeTarget, double latencyMs, double jitterMs, CircuitThresholds thresholds,
                             List<Integer> sessions, List<String> tunnels) {
    }

    /** An IPSec tunnel; {@code circuit} null means it rides the internet. */
    public record TunnelDef(String id, String group, String router, TunnelRole role, String circuit, Integer session,
                            String remoteGateway, double latencyMs, double jitterMs) {
    }

    /** A tunnel group: the primary and the backups that take over from it. */
    public record GroupDef(String id, Duration objective, String primary, List<String> backups) {
    }

    /** What a prefix group holds. */
    public enum PrefixKind { WATCHED, EXTRA }

    /** Prefixes one speaker originates with one set of attributes. */
    public record PrefixGroup(int index, String name, PrefixKind kind, List<Prefix> prefixes,
                              List<String> communities) {
    }

    private final List<Node> nodes;
    private final List<Session> sessions;
    private final Map<String, CircuitDef> circuits;
    private final Map<String, TunnelDef> tunnels;
    private final Map<String, GroupDef> groups;
    private final List<PrefixGroup> prefixGroups;
    private final List<Iface> interfaces;

    SimNetwork(List<Node> nodes, List<Session> sessions, List<CircuitDef> circuits, List<TunnelDef> tunnels,
               List<GroupDef> groups, List<PrefixGroup> prefixGroups, List<Iface> interfaces) {
        this.nodes = List.copyOf(nodes);
        this.sessions = List.copyOf(sessions);
        this.circuits = index(circuits, CircuitDef::id);
        this.tunnels = index(tunnels, TunnelDef::id);
        this.groups = index(groups, GroupDef::id);
        this.prefixGroups = List.copyOf(prefixGroups);
        this.interfaces = List.copyOf(interfaces);
    }

    private static <T> Map<String, T> index(List<T> items, java.util.function.Function<T, String> id) {
        Map<String, T> m = new LinkedHashMap<>();
        items.forEach(i -> m.put(id.apply(i), i));
        return java.util.Collections.unmodifiableMap(m);
    }

    public List<Node> nodes() {
        return nodes;
    }

    public Node node(int index) {
        return nodes.get(index);
    }

    /** The node of a router id, if the network has one. */
    public Optional<Node> router(String id) {
        return nodes.stream().filter(n -> n.reports() && n.id().equals(id)).findFirst();
    }

    /** The routers that report events, in inventory order. */
    public List<Node> routers() {
        return nodes.stream().filter(Node::reports).toList();
    }

    public List<Session> sessions() {
        return sessions;
    }

    public Session session(int index) {
        return sessions.get(index);
    }

    /** The session a router reports with {@code peer} as neighbour address. */
    public Optional<Session> session(String router, String peer) {
        for (Session s : sessions) {
            for (Side me : List.of(s.a(), s.b())) {
                Node n = nodes.get(me.node());
                if (n.reports() && n.id().equals(router) && s.other(me.node()).address().equals(peer)) {
                    return Optional.of(s);
                }
            }
        }
        return Optional.empty();
    }

    /** The internet transit session of a router (full-table scenario). */
    public Session transitSession(String router) {
        int node = router(router).orElseThrow().index();
        return sessions.stream().filter(s -> s.kind() == SessionKind.TRANSIT && s.a().node() == node).findFirst()
                .orElseThrow();
    }

    /** {@code router/peer} names of every session end a router reports, e.g. {@code cx-ash/169.254.10.2}. */
    public List<String> sessionNames() {
        List<String> out = new ArrayList<>();
        for (Session s : sessions) {
            if (s.kind() == SessionKind.TRANSIT) {
                continue;
            }
            for (Side me : List.of(s.a(), s.b())) {
                if (nodes.get(me.node()).reports()) {
                    out.add(nodes.get(me.node()).id() + "/" + s.other(me.node()).address());
                }
            }
        }
        return out;
    }

    public Map<String, CircuitDef> circuits() {
        return circuits;
    }

    public Map<String, TunnelDef> tunnels() {
        return tunnels;
    }

    public Map<String, GroupDef> groups() {
        return groups;
    }

    public List<PrefixGroup> prefixGroups() {
        return prefixGroups;
    }

    public PrefixGroup prefixGroup(int index) {
        return prefixGroups.get(index);
    }

    /** The group of extra prefixes a router originates, if any. */
    public Optional<PrefixGroup> extras(String router) {
        return router(router).flatMap(n -> n.origins().stream().map(prefixGroups::get)
                .filter(g -> g.kind() == PrefixKind.EXTRA).findFirst());
    }

    public List<Iface> interfaces() {
        return interfaces;
    }
}
