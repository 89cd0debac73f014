package io.meshwatch.detect;

import io.meshwatch.inventory.Circuit;
import io.meshwatch.inventory.CircuitThresholds;
import io.meshwatch.inventory.Inventory;
import io.meshwatch.inventory.SessionRef;
import io.meshwatch.inventory.Tunnel;
import io.meshwatch.inventory.TunnelGroup;
import io.meshwatch.inventory.TunnelRole;
import io.meshwatch.inventory.WatchedPrefix;
import io.meshwatch.network.SessionKey;
import io.meshwatch.routing.IpAddress;
import io.meshwatch.routing.Path;
import io.meshwatch.routing.Prefix;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Indexes derived from one {@link Inventory}: which sessions ride which circuit or tunnel, which
 * interface is a circuit's A end, tunnels by id and alias, watched prefixes by VRF and prefix.
 * Immutable; rebuilt when the inventory is replaced. VRF names are canonical ({@code default} for
 * the global table) and addresses are in canonical text.
 */
final class Topology {

    /** A watched prefix's identity. */
    record WatchKey(String vrf, Prefix prefix) {
    }

    final Map<String, Circuit> circuits = new LinkedHashMap<>();
    final Map<String, TunnelGroup> groups = new LinkedHashMap<>();
    private final Map<String, Tunnel> tunnelsByName = new HashMap<>();
    private final Map<String, TunnelGroup> groupOfTunnel = new HashMap<>();
    private final Map<SessionKey, String> circuitOfSession = new HashMap<>();
    private final Map<SessionKey, Tunnel> tunnelOfSession = new HashMap<>();
    private final Map<String, List<SessionKey>> sessionsOfCircuit = new HashMap<>();
    private final Map<String, Circuit> circuitByAEnd = new HashMap<>();
    private final Map<String, String> circuitByRemote = new HashMap<>();
    private final Map<String, Set<String>> routersOfCircuit = new HashMap<>();
    private final Map<String, List<TunnelGroup>> groupsOnCircuit = new HashMap<>();
    private final Map<WatchKey, WatchedPrefix> watched = new HashMap<>();
    private final Map<String, Long> routerAs = new HashMap<>();
    private final PolicyRanges policies;
    private final DetectionSettings settings;

    Topology(Inventory inv, DetectionSettings settings) {
        this.settings = settings;
        inv.circuits().stream().sorted((x, y) -> x.id().compareTo(y.id())).forEach(c -> circuits.put(c.id(), c));
        inv.tunnelGroups().stream().sorted((x, y) -> x.id().compareTo(y.id())).forEach(g -> groups.put(g.id(), g));
        for (Circuit c : circuits.values()) {
            Set<String> routers = routersOfCircuit.computeIfAbsent(c.id(), k -> new TreeSet<>());
            if (c.a() != null && c.a().router() != null) {
                routers.add(c.a().router());
                circuitByAEnd.put(c.a().router() + '\0' + c.a().iface(), c);
            }
            if (c.z() != null && c.z().router() != null) {
                routers.add(c.z().router());
            }
            for (SessionRef s : c.sessions()) {
                rides(key(s), c.id());
            }
        }
        for (TunnelGroup g : groups.values()) {
            for (Tunnel t : g.tunnels()) {
                tunnelsByName.put(t.id(), t);
                t.aliases().forEach(a -> tunnelsByName.putIfAbsent(a, t));
                groupOfTunnel.put(t.id(), g);
                if (t.session() != null) {
                    tunnelOfSession.put(key(t.session()), t);
                }
                if (t.circuit() != null && circuits.containsKey(t.circuit())) {
                    routersOfCircuit.get(t.circuit()).add(t.router());
                    circuitByRemote.putIfAbsent(t.router() + '\0' + address(t.remoteGateway()), t.circuit());
                    if (t.session() != null) {
                        rides(key(t.session()), t.circuit());
                    }
                    if (t.role() == TunnelRole.PRIMARY) {
                        groupsOnCircuit.computeIfAbsent(t.circuit(), k -> new ArrayList<>()).add(g);
                    }
                }
            }
        }
        inv.routers().forEach(r -> routerAs.put(r.id(), r.asn()));
        policies = PolicyRanges.of(inv);
        for (WatchedPrefix w : inv.prefixes()) {
            try {
                watched.put(new WatchKey(vrf(w.vrf()), Prefix.parse(w.prefix())), w);
            } catch (IllegalArgumentException e) {
                // the inventory loader validates prefixes; an unparsable one watches nothing
            }
        }
    }

    private void rides(SessionKey s, String circuit) {
        routersOfCircuit.get(circuit).add(s.router());
        if (circuitOfSession.putIfAbsent(s, circuit) == null) {
            sessionsOfCircuit.computeIfAbsent(circuit, k -> new ArrayList<>()).add(s);
            circuitByRemote.putIfAbsent(s.router() + '\0' + s.peer(), circuit);
        }
    }

    /** Canonical VRF name: null and {@code ""} (the route table's global table) are {@code default}. */
    static String vrf(String v) {
        return v == null || v.isEmpty() ? SessionRef.DEFAULT_VRF : v;
    }

    /** Canonical address text, or the text itself when it is not an address. */
    static String address(String a) {
        if (a == null) {
            return null;
        }
        try {
            return IpAddress.parse(a).toString();
        } catch (IllegalArgumentException e) {
            return a;
        }
    }

    static SessionKey key(SessionRef s) {
        return new SessionKey(s.router(), vrf(s.vrf()), address(s.peer()));
    }

    static SessionKey key(String router, String vrf, String peer) {
        return new SessionKey(router, vrf(vrf), address(peer));
    }

    Circuit circuit(String id) {
        return id == null ? null : circuits.get(id);
    }

    TunnelGroup group(String id) {
        return groups.get(id);
    }

    /** A tunnel by its id or one of its aliases, or null. */
    Tunnel tunnel(String idOrAlias) {
        return idOrAlias == null ? null : tunnelsByName.get(idOrAlias);
    }

    TunnelGroup groupOf(Tunnel t) {
        return groupOfTunnel.get(t.id());
    }

    Tunnel tunnelOf(SessionKey s) {
        return tunnelOfSession.get(s);
    }

    /** The circuit a session rides (listed on the circuit, or the session of a tunnel over it), or null. */
    String circuitOf(SessionKey s) {
        return circuitOfSession.get(s);
    }

    List<SessionKey> sessionsOf(String circuit) {
        return sessionsOfCircuit.getOrDefault(circuit, List.of());
    }

    Set<String> routersOf(String circuit) {
        return routersOfCircuit.getOrDefault(circuit, Set.of());
    }

    /** Groups whose primary tunnel rides the circuit. */
    List<TunnelGroup> groupsOn(String circuit) {
        return groupsOnCircuit.getOrDefault(circuit, List.of());
    }

    /** The circuit whose A end is this interface, or null. */
    Circuit circuitAt(String router, String iface) {
        return circuitByAEnd.get(router + '\0' + iface);
    }

    /**
     * The circuit a TCP retransmit report's {@code remote} names: a circuit id; or the peer address
     * of a session on that router that rides a circuit; or the remote gateway of a tunnel on that
     * router that rides a circuit. Null when none.
     */
    String circuitForRemote(String router, String remote) {
        if (remote == null) {
            return null;
        }
        if (circuits.containsKey(remote)) {
            return remote;
        }
        return circuitByRemote.get(router + '\0' + address(remote));
    }

    /**
     * The tunnel whose BGP session a path was learned over: the path's peer address for a received
     * path, its next hop for a router-reported Loc-RIB path (no peer). Null when none.
     */
    Tunnel tunnelVia(String router, String vrf, Path path) {
        if (path == null || tunnelOfSession.isEmpty()) {
            return null;
        }
        String from = path.peer() != null ? path.peer().address().toString()
                : path.attributes().nextHop().toString();
        return tunnelOfSession.get(new SessionKey(router, vrf(vrf), from));
    }

    /** The route policies of the inventory's prefixes. */
    PolicyRanges policies() {
        return policies;
    }

    /** The router's own AS from the inventory, or 0 when it is not there. */
    long routerAs(String router) {
        return routerAs.getOrDefault(router, 0L);
    }

    WatchedPrefix watched(String vrf, Prefix prefix) {
        return watched.isEmpty() ? null : watched.get(new WatchKey(vrf(vrf), prefix));
    }

    static Tunnel primary(TunnelGroup g) {
        return g.tunnels().stream().filter(t -> t.role() == TunnelRole.PRIMARY).findFirst().orElse(null);
    }

    /** The group whose primary tunnel runs this session, or null. */
    TunnelGroup groupOfPrimarySession(SessionKey s) {
        Tunnel t = tunnelOf(s);
        return t != null && t.role() == TunnelRole.PRIMARY ? groupOf(t) : null;
    }

    Duration objective(TunnelGroup g) {
        return g.failoverObjective() != null ? g.failoverObjective() : settings.defaultFailoverObjective();
    }

    CircuitThresholds thresholds(Circuit c) {
        return c.thresholds() != null ? c.thresholds() : settings.defaultThresholds();
    }
}
