package io.meshwatch.inventory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Constant-time lookups into one {@link Inventory}, built once when the inventory takes effect and
 * immutable after (safe to share between threads without locks). Keys are exact: router, VRF and
 * tunnel names as the inventory spells them, peers and prefixes in canonical text
 * ({@link io.meshwatch.routing.IpAddress#toString()}, {@link io.meshwatch.routing.Prefix#toString()}),
 * which is how the inventory reader stores them and how canonical events carry them.
 *
 * <p>On a validated inventory every key is unique (the validator refuses duplicates); on any other
 * the first occurrence in document order wins.
 */
public final class InventoryIndex {

    private final Map<String, Router> routers = new HashMap<>();
    private final Map<String, Circuit> circuits = new HashMap<>();
    private final Map<String, Circuit> circuitByInterface = new HashMap<>();
    private final Map<SessionRef, List<Circuit>> circuitsBySession = new HashMap<>();
    private final Map<SessionRef, Tunnel> tunnelBySession = new HashMap<>();
    private final Map<String, Tunnel> tunnels = new HashMap<>();
    private final Map<String, TunnelGroup> groupByTunnel = new HashMap<>();
    private final Map<String, TunnelGroup> groups = new HashMap<>();
    private final Map<String, List<Tunnel>> tunnelsByCircuit = new HashMap<>();
    private final Map<String, WatchedPrefix> prefixes = new HashMap<>();

    private InventoryIndex() {
    }

    /** Indexes {@code inventory}; linear in its size. */
    public static InventoryIndex of(Inventory inventory) {
        InventoryIndex x = new InventoryIndex();
        for (Router r : inventory.routers()) {
            x.routers.putIfAbsent(r.id(), r);
        }
        Map<SessionRef, Set<Circuit>> bySession = new HashMap<>();
        for (Circuit c : inventory.circuits()) {
            x.circuits.putIfAbsent(c.id(), c);
            for (Endpoint e : new Endpoint[] {c.a(), c.z()}) {
                if (e != null && e.router() != null && e.iface() != null) {
                    x.circuitByInterface.putIfAbsent(interfaceKey(e.router(), e.iface()), c);
                }
            }
            for (SessionRef s : c.sessions()) {
                bySession.computeIfAbsent(s, k -> new LinkedHashSet<>()).add(c);
            }
        }
        for (TunnelGroup g : inventory.tunnelGroups()) {
            x.groups.putIfAbsent(g.id(), g);
            for (Tunnel t : g.tunnels()) {
                x.tunnels.putIfAbsent(t.id(), t);
                x.groupByTunnel.putIfAbsent(t.id(), g);
                for (String alias : t.aliases()) {
                    x.tunnels.putIfAbsent(alias, t);
                    x.groupByTunnel.putIfAbsent(alias, g);
                }
                if (t.session() != null) {
                    x.tunnelBySession.putIfAbsent(t.session(), t);
                }
                if (t.circuit() != null) {
                    x.tunnelsByCircuit.computeIfAbsent(t.circuit(), k -> new ArrayList<>()).add(t);
                    Circuit c = x.circuits.get(t.circuit());
                    if (t.session() != null && c != null) {
                        bySession.computeIfAbsent(t.session(), k -> new LinkedHashSet<>()).add(c);
                    }
                }
            }
        }
        bySession.forEach((s, cs) -> x.circuitsBySession.put(s, List.copyOf(cs)));
        x.tunnelsByCircuit.replaceAll((k, v) -> List.copyOf(v));
        for (WatchedPrefix w : inventory.prefixes()) {
            if (w.prefix() != null) {
                x.prefixes.putIfAbsent(prefixKey(w.vrf(), w.prefix()), w);
            }
        }
        return x;
    }

    public Optional<Router> router(String id) {
        return Optional.ofNullable(routers.get(id));
    }

    public Optional<Circuit> circuit(String id) {
        return Optional.ofNullable(circuits.get(id));
    }

    /** The circuit with an end on this router's interface (as the router's telemetry names it). */
    public Optional<Circuit> circuit(String router, String iface) {
        return Optional.ofNullable(circuitByInterface.get(interfaceKey(router, iface)));
    }

    /**
     * The circuits a BGP session depends on: those that list it among their sessions, and the
     * circuit of the tunnel it runs over. In document order; at most one on a validated inventory
     * (the validator refuses a session on two circuits or listed on a circuit its tunnel does not ride).
     */
    public List<Circuit> circuitsOf(SessionRef session) {
        return circuitsBySession.getOrDefault(session, List.of());
    }

    /** Same as {@link #circuitsOf(SessionRef)}. */
    public List<Circuit> circuitsOf(String router, String vrf, String peer) {
        return circuitsOf(new SessionRef(router, vrf, peer));
    }

    /** The tunnel a BGP session runs over. */
    public Optional<Tunnel> tunnelOf(SessionRef session) {
        return Optional.ofNullable(tunnelBySession.get(session));
    }

    /** Same as {@link #tunnelOf(SessionRef)}. */
    public Optional<Tunnel> tunnelOf(String router, String vrf, String peer) {
        return tunnelOf(new SessionRef(router, vrf, peer));
    }

    /** A tunnel by its id or by one of its aliases (the name a cloud poller uses). */
    public Optional<Tunnel> tunnel(String idOrAlias) {
        return Optional.ofNullable(tunnels.get(idOrAlias));
    }

    /** The group of a tunnel, by the tunnel's id or one of its aliases. */
    public Optional<TunnelGroup> groupOf(String tunnelIdOrAlias) {
        return Optional.ofNullable(groupByTunnel.get(tunnelIdOrAlias));
    }

    public Optional<TunnelGroup> tunnelGroup(String id) {
        return Optional.ofNullable(groups.get(id));
    }

    /** The tunnels that ride a circuit, in document order. */
    public List<Tunnel> tunnelsOver(String circuitId) {
        return tunnelsByCircuit.getOrDefault(circuitId, List.of());
    }

    /** The watched prefix with exactly this VRF and prefix (canonical text, e.g. {@code 10.20.0.0/16}). */
    public Optional<WatchedPrefix> prefix(String vrf, String prefix) {
        return Optional.ofNullable(prefixes.get(prefixKey(vrf, prefix)));
    }

    private static String interfaceKey(String router, String iface) {
        return router + '\n' + iface;
    }

    private static String prefixKey(String vrf, String prefix) {
        return vrf + '\n' + prefix;
    }
}
