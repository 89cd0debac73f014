package io.meshwatch.inventory;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cross-reference checks of an inventory whose fields are each well formed: ids unique, every
 * router, circuit and session it names known, every tunnel group with exactly one primary and at
 * least one backup, a router interface the end of one circuit only, a tunnel's circuit ending on
 * the tunnel's router, a BGP session carried by one tunnel only and consistent with the circuit
 * that lists it. Every problem is reported, in document order.
 */
final class InventoryValidator {

    private InventoryValidator() {
    }

    static void validate(Inventory inv, InventoryReader.Problems p) {
        Set<String> routers = new HashSet<>();
        for (int i = 0; i < inv.routers().size(); i++) {
            unique(routers, inv.routers().get(i).id(), "routers[" + i + "].id", "router", p);
        }
        Set<String> circuits = new HashSet<>();
        Map<String, Circuit> circuitById = new HashMap<>();
        Map<SessionRef, String> sessionCircuit = new HashMap<>();
        Map<String, String> interfaceCircuit = new HashMap<>();
        for (int i = 0; i < inv.circuits().size(); i++) {
            Circuit c = inv.circuits().get(i);
            String at = "circuits[" + i + "]";
            unique(circuits, c.id(), at + ".id", "circuit", p);
            if (c.id() != null) {
                circuitById.putIfAbsent(c.id(), c);
            }
            known(routers, c.a() == null ? null : c.a().router(), at + ".a.router", p);
            if (c.z() != null && c.z().router() != null) {
                known(routers, c.z().router(), at + ".z.router", p);
            }
            oneCircuitPerInterface(interfaceCircuit, c, c.a(), at + ".a", p);
            oneCircuitPerInterface(interfaceCircuit, c, c.z(), at + ".z", p);
            for (int j = 0; j < c.sessions().size(); j++) {
                SessionRef s = c.sessions().get(j);
                String sat = at + ".sessions[" + j + "]";
                known(routers, s.router(), sat + ".router", p);
                boolean atEnd = s.router() == null || (c.a() != null && s.router().equals(c.a().router()))
                        || (c.z() != null && s.router().equals(c.z().router()));
                if (!atEnd) {
                    p.add(sat + ".router", "router '" + s.router() + "' is at neither end of circuit '" + c.id() + "'");
                }
                String other = sessionCircuit.putIfAbsent(s, c.id());
                if (other != null && !other.equals(c.id())) {
                    p.add(sat, "session " + s.router() + " " + s.peer() + " already rides circuit '" + other + "'");
                } else if (other != null && c.sessions().indexOf(s) < j) {
                    p.add(sat, "session " + s.router() + " " + s.peer() + " is listed twice");
                }
            }
        }
        Set<String> groups = new HashSet<>();
        Set<String> tunnelNames = new HashSet<>();
        Map<SessionRef, String> sessionTunnel = new HashMap<>();
        for (int i = 0; i < inv.tunnelGroups().size(); i++) {
            TunnelGroup g = inv.tunnelGroups().get(i);
            String at = "tunnel-groups[" + i + "]";
            unique(groups, g.id(), at + ".id", "tunnel group", p);
            long primaries = g.tunnels().stream().filter(t -> t.role() == TunnelRole.PRIMARY).count();
            long backups = g.tunnels().stream().filter(t -> t.role() == TunnelRole.BACKUP).count();
            if (primaries == 0) {
                p.add(at, "tunnel group '" + g.id() + "' has no primary tunnel");
            } else if (primaries > 1) {
                p.add(at, "tunnel group '" + g.id() + "' has " + primaries + " primary tunnels; exactly one may be");
            }
            if (backups == 0) {
                p.add(at, "tunnel group '" + g.id() + "' has no backup tunnel");
            }
            if (g.failoverObjective().isZero() || g.failoverObjective().isNegative()) {
                p.add(at + ".failover-objective", "must be positive");
            }
            for (int j = 0; j < g.tunnels().size(); j++) {
                Tunnel t = g.tunnels().get(j);
                String tat = at + ".tunnels[" + j + "]";
                unique(tunnelNames, t.id(), tat + ".id", "tunnel or alias", p);
                for (String alias : t.aliases()) {
                    unique(tunnelNames, alias, tat + ".aliases", "tunnel or alias", p);
                }
                known(routers, t.router(), tat + ".router", p);
                if (t.circuit() != null && !circuits.contains(t.circuit())) {
                    p.add(tat + ".circuit", "unknown circuit '" + t.circuit() + "'");
                } else if (t.circuit() != null && t.router() != null && !endsAt(circuitById.get(t.circuit()), t.router())) {
                    p.add(tat + ".circuit", "circuit '" + t.circuit() + "' has no end on the tunnel's router '"
                            + t.router() + "'");
                }
                if (t.session() != null) {
                    tunnelSession(t, tat, sessionTunnel, sessionCircuit, inv.circuits(), p);
                }
                if (t.session() != null && t.router() != null && t.session().router() != null
                        && !t.session().router().equals(t.router())) {
                    p.add(tat + ".session.router", "the session over tunnel '" + t.id() + "' must be on its router '"
                            + t.router() + "', not '" + t.session().router() + "'");
                }
            }
        }
        Set<String> prefixes = new HashSet<>();
        for (int i = 0; i < inv.prefixes().size(); i++) {
            WatchedPrefix w = inv.prefixes().get(i);
            String at = "prefixes[" + i + "]";
            if (w.prefix() != null) {
                unique(prefixes, w.vrf() + " " + w.prefix(), at + ".prefix", "prefix (in its VRF)", p);
            }
            for (int j = 0; j < w.routers().size(); j++) {
                known(routers, w.routers().get(j), at + ".routers[" + j + "]", p);
            }
            io.meshwatch.routing.Prefix px = parsed(w.prefix());
            if (w.policy() != null && w.policy().maxLength() != null && px != null) {
                int most = px.afi() == io.meshwatch.routing.Afi.IPV4 ? 32 : 128;
                int max = w.policy().maxLength();
                if (max < px.length() || max > most) {
                    p.add(at + ".policy.max-length", "is " + max + "; expected " + px.length() + ".." + most
                            + " (from the prefix's own length to the longest " + (most == 32 ? "IPv4" : "IPv6") + " prefix)");
                }
            }
        }
    }

    /** The prefix, or null when it is missing or no prefix (the reader has said so). */
    private static io.meshwatch.routing.Prefix parsed(String prefix) {
        try {
            return prefix == null ? null : io.meshwatch.routing.Prefix.parse(prefix);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A router interface is the end of one circuit; telemetry of that interface must name one circuit. */
    private static void oneCircuitPerInterface(Map<String, String> seen, Circuit c, Endpoint e, String at,
            InventoryReader.Problems p) {
        if (e == null || e.router() == null || e.iface() == null || c.id() == null) {
            return;
        }
        String other = seen.putIfAbsent(e.router() + " " + e.iface(), c.id());
        if (other != null) {
            p.add(at, "interface " + e.router() + " " + e.iface() + " is already an end of circuit '" + other + "'"
                    + (other.equals(c.id()) ? " (both ends are the same interface)" : ""));
        }
    }

    private static boolean endsAt(Circuit c, String router) {
        return c == null || (c.a() != null && router.equals(c.a().router()))
                || (c.z() != null && router.equals(c.z().router()));
    }

    /**
     * The session over a tunnel: carried by one tunnel only; when a circuit lists it, the tunnel rides
     * that circuit; and a peer a circuit lists on one router is not the tunnel session of another.
     */
    private static void tunnelSession(Tunnel t, String tat, Map<SessionRef, String> sessionTunnel,
            Map<SessionRef, String> sessionCircuit, List<Circuit> circuits, InventoryReader.Problems p) {
        SessionRef s = t.session();
        if (s.router() == null || s.peer() == null) {
            return;
        }
        String otherTunnel = sessionTunnel.putIfAbsent(s, String.valueOf(t.id()));
        if (otherTunnel != null) {
            p.add(tat + ".session", "session " + s.router() + " " + s.peer() + " already runs over tunnel '"
                    + otherTunnel + "'");
        }
        String listedOn = sessionCircuit.get(s);
        if (listedOn != null && !listedOn.equals(t.circuit())) {
            p.add(tat + ".circuit", "session " + s.router() + " " + s.peer() + " rides circuit '" + listedOn
                    + "' (it is in that circuit's sessions) but tunnel '" + t.id() + "' rides "
                    + (t.circuit() == null ? "the internet" : "circuit '" + t.circuit() + "'"));
        }
        if (listedOn == null) {
            for (Circuit c : circuits) {
                for (SessionRef cs : c.sessions()) {
                    if (s.peer().equals(cs.peer()) && s.vrf().equals(cs.vrf()) && cs.router() != null
                            && !cs.router().equals(s.router())) {
                        p.add(tat + ".session.router", "peer " + s.peer() + " is a session of circuit '" + c.id()
                                + "' on router '" + cs.router() + "', not on '" + s.router()
                                + "'; a session is named by its router, VRF and peer");
                        return;
                    }
                }
            }
        }
    }

    private static void unique(Set<String> seen, String id, String at, String what, InventoryReader.Problems p) {
        if (id != null && !seen.add(id)) {
            p.add(at, "duplicate " + what + " id '" + id + "'");
        }
    }

    private static void known(Set<String> routers, String router, String at, InventoryReader.Problems p) {
        if (router != null && !routers.contains(router)) {
            p.add(at, "unknown router '" + router + "'");
        }
    }
}
