package io.meshwatch.inventory;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cross-reference checks of an inventory whose fields are each well formed: ids unique, every
 * router, circuit and session it names known, every tunnel group with exactly one primary and at
 * least one backup. Every problem is reported, in document order.
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
        Map<SessionRef, String> sessionCircuit = new HashMap<>();
        for (int i = 0; i < inv.circuits().size(); i++) {
            Circuit c = inv.circuits().get(i);
            String at = "circuits[" + i + "]";
            unique(circuits, c.id(), at + ".id", "circuit", p);
            known(routers, c.a() == null ? null : c.a().router(), at + ".a.router", p);
            if (c.z() != null && c.z().router() != null) {
                known(routers, c.z().router(), at + ".z.router", p);
            }
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
                }
            }
        }
        Set<String> groups = new HashSet<>();
        Set<String> tunnelNames = new HashSet<>();
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
