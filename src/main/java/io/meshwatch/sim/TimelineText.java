package io.meshwatch.sim;

import io.meshwatch.sim.SimNetwork.CircuitDef;
import io.meshwatch.sim.SimNetwork.GroupDef;
import io.meshwatch.sim.SimNetwork.Iface;
import io.meshwatch.sim.SimNetwork.Node;
import io.meshwatch.sim.SimNetwork.PrefixKind;
import io.meshwatch.sim.SimNetwork.Session;
import io.meshwatch.sim.SimNetwork.TunnelDef;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The words of a scenario's timeline: what each step means for the network and its traffic. */
final class TimelineText {

    private final SimNetwork net;

    TimelineText(SimNetwork net) {
        this.net = net;
    }

    /** {@code 6s}, {@code 1m30s}, {@code 500ms}. */
    static String fmt(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0 && ms < 60_000) {
            return ms < 1000 ? ms + "ms" : num(ms / 1000.0) + "s";
        }
        long s = ms / 1000;
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m" + (s % 60 == 0 ? "" : s % 60 + "s");
        }
        return s / 3600 + "h" + (s % 3600 == 0 ? "" : (s % 3600) / 60 + "m");
    }

    /** A number without a useless {@code .0}; {@code -} for null. */
    static String num(Double v) {
        if (v == null) {
            return "-";
        }
        return v == Math.rint(v) ? Long.toString(v.longValue()) : String.format(java.util.Locale.ROOT, "%.2f", v)
                .replaceAll("0+$", "");
    }

    String cut(CircuitDef c) {
        List<Iface> ifaces = net.interfaces().stream().filter(i -> c.id().equals(i.circuit())).toList();
        String where = ifaces.stream().map(i -> i.name() + " on " + i.router()).collect(Collectors.joining(" and "));
        String tunnels = c.tunnels().isEmpty() ? "" : " and through tunnel" + (c.tunnels().size() > 1 ? "s " : " ")
                + String.join(", ", c.tunnels());
        return "circuit " + c.id() + " cut: interface " + where + " down (loss of light); probes over it" + tunnels
                + " lose 100%; BGP keepalives over it stop arriving and TCP retransmits";
    }

    /** Both reporting ends of a session, e.g. {@code cx-ash/169.254.10.2 and tr-use1/169.254.10.1}. */
    String ends(Session s) {
        StringBuilder b = new StringBuilder();
        for (SimNetwork.Side me : List.of(s.a(), s.b())) {
            Node n = net.node(me.node());
            if (n.reports()) {
                b.append(b.length() == 0 ? "" : " and ").append(n.id()).append('/').append(s.other(me.node()).address());
            }
        }
        Node far = net.node(s.b().node());
        if (!far.reports()) {
            b.append(" (AS").append(far.asn()).append(", ").append(far.description()).append(')');
        }
        return b.toString();
    }

    String sessionDown(Session s, String why) {
        return "BGP session " + ends(s) + " idle (" + why + "); its routes are withdrawn";
    }

    String sessionUp(Session s) {
        return "BGP session " + ends(s) + " established; it sends its table, then End-of-RIB";
    }

    /** The primary tunnel whose session is {@code session}, and its group. */
    private Optional<TunnelDef> primaryOf(int session) {
        return net.tunnels().values().stream().filter(t -> t.session() != null && t.session() == session
                && net.groups().get(t.group()).primary().equals(t.id())).findFirst();
    }

    /** What happens to the traffic when {@code session}, a primary's, goes down. */
    String failoverTo(int session) {
        return primaryOf(session).map(p -> {
            GroupDef g = net.groups().get(p.group());
            return g.backups().stream().map(net.tunnels()::get).filter(b -> b.session() != null).findFirst()
                    .map(b -> "; at " + p.router() + " the paths via backup tunnel " + b.id() + " (AS path prepended) "
                            + "become best for " + carried(p) + " and " + b.id() + " carries the traffic of " + g.id())
                    .orElse("");
        }).orElse("");
    }

    /** What happens when {@code session}, a primary's, is back. */
    String failback(int session) {
        return primaryOf(session).map(p -> "; the paths via the primary are best again and traffic returns to "
                + p.id()).orElse("");
    }

    /** The watched prefixes the far end of a tunnel's session originates, in words. */
    String carried(TunnelDef t) {
        if (t.session() == null) {
            return "the far end's prefixes";
        }
        int me = net.router(t.router()).orElseThrow().index();
        Node far = net.node(net.session(t.session()).other(me).node());
        String watched = far.origins().stream().map(net::prefixGroup).filter(g -> g.kind() == PrefixKind.WATCHED)
                .map(g -> g.prefixes().get(0) + " (" + g.name() + ")").collect(Collectors.joining(", "));
        return watched.isEmpty() ? "the prefixes of " + far.id() : watched;
    }
}
