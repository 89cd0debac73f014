package io.meshwatch.sim;

import io.meshwatch.inventory.CircuitThresholds;
import io.meshwatch.sim.ScenarioPlan.Step;
import io.meshwatch.sim.SimNetwork.CircuitDef;
import io.meshwatch.sim.SimNetwork.GroupDef;
import io.meshwatch.sim.SimNetwork.Node;
import io.meshwatch.sim.SimNetwork.Session;
import io.meshwatch.sim.SimNetwork.TunnelDef;
import io.meshwatch.sim.SimState.Degradation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a scenario request into a timeline for the network at hand: checks the target, fills in
 * defaults, and says in words what each step does. Plain Java, stateless, thread-safe (the network
 * and settings are immutable), so the API can plan and validate on its own thread.
 */
public final class ScenarioPlanner {

    static final String HOLD_EXPIRED = "hold timer expired (NOTIFICATION 4/0 sent)";
    static final String TUNNEL_RESET = "tunnel interface down: session reset (fast external fallover)";
    private static final List<String> FLAP_REASONS = List.of(HOLD_EXPIRED,
            "NOTIFICATION 6/4 received (administrative reset)", "TCP connection reset by peer");
    private static final Duration MAX_DURATION = Duration.ofHours(24);

    private final SimNetwork net;
    private final SimSettings settings;
    private final TimelineText text;

    public ScenarioPlanner(SimNetwork net, SimSettings settings) {
        this.net = net;
        this.settings = settings;
        this.text = new TimelineText(net);
    }

    /** Valid targets of a scenario, its default first. */
    public List<String> targets(Scenario s) {
        Set<String> out = new LinkedHashSet<>();
        out.add(defaultTarget(s));
        switch (s.target()) {
            case CIRCUIT -> out.addAll(net.circuits().keySet());
            case TUNNEL_GROUP -> out.addAll(net.groups().keySet());
            case SESSION -> out.addAll(net.sessionNames());
            case ROUTER -> net.routers().forEach(r -> out.add(r.id()));
        }
        out.remove(null);
        return List.copyOf(out);
    }

    /** The target a request without one gets. */
    public String defaultTarget(Scenario s) {
        return switch (s.target()) {
            case CIRCUIT -> net.circuits().values().stream().filter(c -> c.tunnels().stream()
                            .anyMatch(t -> !net.groups().get(net.tunnels().get(t).group()).backups().isEmpty()))
                    .map(CircuitDef::id).findFirst().orElse(net.circuits().keySet().stream().findFirst().orElse(null));
            case TUNNEL_GROUP -> net.groups().keySet().stream().findFirst().orElse(null);
            case SESSION -> net.sessionNames().stream().findFirst().orElse(null);
            case ROUTER -> router(s == Scenario.FULL_TABLE ? "cloud-exchange" : "transit");
        };
    }

    private String router(String role) {
        return net.routers().stream().filter(r -> r.role().equals(role)).findFirst()
                .orElse(net.routers().get(0)).id();
    }

    /**
     * The timeline of scenario {@code s} starting at {@code start}.
     *
     * @throws UnknownTargetException when the target or an option is not valid, with the valid targets
     */
    public ScenarioPlan plan(Scenario s, ScenarioRequest r, Instant start, String id) {
        String target = r.target() == null || r.target().isBlank() ? defaultTarget(s) : r.target().trim();
        if (target == null || !targets(s).contains(target)) {
            throw new UnknownTargetException(s.wire() + " needs a " + s.target().param() + "; '" + target
                    + "' is not one", targets(s));
        }
        Duration duration = r.duration() == null ? settings.scenarioDuration() : r.duration();
        if (duration.isZero() || duration.isNegative() || duration.compareTo(MAX_DURATION) > 0) {
            throw new UnknownTargetException("duration must be positive and at most 24h, got " + duration, List.of());
        }
        Timeline t = new Timeline();
        switch (s) {
            case CIRCUIT_CUT -> circuitCut(t, net.circuits().get(target), duration);
            case IPSEC_FAILOVER -> failover(t, net.groups().get(target), duration);
            case IPSEC_FAILOVER_SLOW -> slowFailover(t, net.groups().get(target), duration);
            case SESSION_FLAP -> flap(t, session(target), duration, option(r.flaps(), 4, 1, 50, "flaps"));
            case CIRCUIT_DEGRADED -> degraded(t, net.circuits().get(target), duration);
            case WITHDRAWAL_STORM -> storm(t, target, duration, r.count());
            case FULL_TABLE -> fullTable(t, target, duration, option(r.ipv4(), settings.fullTableIpv4(), 0, 4_000_000,
                    "ipv4"), option(r.ipv6(), settings.fullTableIpv6(), 0, 2_000_000, "ipv6"));
        }
        List<Step> steps = new ArrayList<>(t.steps);
        steps.sort(Comparator.comparing(Step::offset));
        Duration last = steps.get(steps.size() - 1).offset();
        return new ScenarioPlan(id, s, target, start, t.duration, start.plus(last), steps, t.footprint, t.notes);
    }

    /** Steps, footprint and notes collected while planning. */
    private static final class Timeline {
        final List<Step> steps = new ArrayList<>();
        final Set<String> footprint = new HashSet<>();
        final List<String> notes = new ArrayList<>();
        Duration duration;

        void at(Duration offset, String what, Action action) {
            steps.add(new Step(offset, what, action));
        }
    }

    private Session session(String name) {
        int slash = name.indexOf('/');
        return net.session(name.substring(0, slash), name.substring(slash + 1)).orElseThrow();
    }

    private static int option(Integer value, int dflt, int min, int max, String name) {
        int v = value == null ? dflt : value;
        if (v < min || v > max) {
            throw new UnknownTargetException(name + " must be " + min + ".." + max + ", got " + v, List.of());
        }
        return v;
    }

    private void circuitCut(Timeline t, CircuitDef c, Duration dur) {
        t.duration = dur;
        t.footprint.add("circuit:" + c.id());
        t.at(Duration.ZERO, text.cut(c), new Action.Link(c.id(), false));
        Set<Integer> sessions = new LinkedHashSet<>(c.sessions());
        boolean tunnelsDrop = settings.dpdTimeout().compareTo(dur) < 0;
        for (String tid : c.tunnels()) {
            TunnelDef tun = net.tunnels().get(tid);
            t.footprint.add("tunnel:" + tid);
            if (tun.session() != null) {
                sessions.add(tun.session());
            }
            if (tunnelsDrop) {
                t.at(settings.dpdTimeout(), "tunnel " + tid + " down: IKE dead-peer detection gets no answer from "
                        + tun.remoteGateway() + " (after " + TimelineText.fmt(settings.dpdTimeout()) + ")",
                        new Action.Tunnel(tid, false));
                t.at(dur.plus(settings.ikeSetup()), "tunnel " + tid + " up: IKE SA negotiated over the repaired circuit",
                        new Action.Tunnel(tid, true));
            }
        }
        if (!tunnelsDrop && !c.tunnels().isEmpty()) {
            t.notes.add("the cut (" + TimelineText.fmt(dur) + ") is shorter than dead-peer detection ("
                    + TimelineText.fmt(settings.dpdTimeout()) + "): the tunnels survive it");
        }
        boolean sessionsDrop = settings.holdTime().compareTo(dur) < 0;
        Duration back = dur.plus(tunnelsDrop && !c.tunnels().isEmpty() ? settings.ikeSetup() : Duration.ZERO)
                .plus(settings.bgpSetup());
        for (int s : sessions) {
            t.footprint.add("session:" + s);
            if (sessionsDrop) {
                t.at(settings.holdTime(), text.sessionDown(net.session(s), "hold timer expired after "
                        + TimelineText.fmt(settings.holdTime())) + text.failoverTo(s), new Action.Session(s, false,
                        HOLD_EXPIRED));
                t.at(back, text.sessionUp(net.session(s)) + text.failback(s), new Action.Session(s, true, null));
            }
        }
        if (!sessionsDrop && !sessions.isEmpty()) {
            t.notes.add("the cut (" + TimelineText.fmt(dur) + ") is shorter than the BGP hold time ("
                    + TimelineText.fmt(settings.holdTime()) + "): the sessions survive it");
        }
        t.at(dur, "circuit " + c.id() + " repaired: interfaces up, probes answered again", new Action.Link(c.id(), true));
    }

    private void failover(Timeline t, GroupDef g, Duration dur) {
        TunnelDef p = net.tunnels().get(g.primary());
        TunnelDef b = backupWithSession(g);
        Duration reset = min(Duration.ofSeconds(1), dur.dividedBy(4));
        t.duration = dur;
        footprint(t, g);
        t.at(Duration.ZERO, "tunnel " + p.id() + " down: the far gateway " + p.remoteGateway() + " deleted the IKE SA",
                new Action.Tunnel(p.id(), false));
        t.at(reset, text.sessionDown(net.session(p.session()), "tunnel interface down") + "; at " + p.router()
                + " the paths via " + b.id() + ", already received, become best about " + TimelineText.fmt(reset)
                + " after the primary went down (objective " + TimelineText.fmt(g.objective()) + ") and " + b.id()
                + " carries the traffic", new Action.Session(p.session(), false, TUNNEL_RESET));
        t.at(dur, "tunnel " + p.id() + " up again", new Action.Tunnel(p.id(), true));
        t.at(dur.plus(settings.bgpSetup()), text.sessionUp(net.session(p.session())) + text.failback(p.session()),
                new Action.Session(p.session(), true, null));
    }

    private void slowFailover(Timeline t, GroupDef g, Duration dur) {
        TunnelDef p = net.tunnels().get(g.primary());
        TunnelDef b = backupWithSession(g);
        footprint(t, g);
        Duration gap = min(Duration.ofSeconds(2), g.objective().dividedBy(2));
        Duration reset = min(Duration.ofSeconds(1), g.objective().dividedBy(4));
        Duration late = max(Duration.ofSeconds(1), g.objective().dividedBy(4));
        Duration backupUp = gap.plus(g.objective()).plus(late);
        Duration routes = backupUp.plus(settings.bgpSetup());
        Duration restore = max(dur, routes.plus(max(Duration.ofSeconds(1), settings.probeInterval())));
        if (!restore.equals(dur)) {
            t.notes.add("duration raised from " + TimelineText.fmt(dur) + " to " + TimelineText.fmt(restore)
                    + " so that the late backup is seen before the primary returns");
        }
        t.duration = restore;
        t.at(Duration.ZERO, "standby tunnel " + b.id() + " down: its IKE SA expired and is renegotiated only on "
                + "demand", new Action.Tunnel(b.id(), false));
        t.at(Duration.ZERO, text.sessionDown(net.session(b.session()), "tunnel interface down")
                + "; the backup's paths are gone while the primary still carries the traffic",
                new Action.Session(b.session(), false, TUNNEL_RESET));
        t.at(gap, "tunnel " + p.id() + " down: the far gateway " + p.remoteGateway() + " deleted the IKE SA",
                new Action.Tunnel(p.id(), false));
        t.at(gap.plus(reset), text.sessionDown(net.session(p.session()), "tunnel interface down") + "; " + p.router()
                + " has no path left to " + text.carried(p) + ": the group's traffic is dropped",
                new Action.Session(p.session(), false, TUNNEL_RESET));
        t.at(gap.plus(g.objective()), "the failover objective (" + TimelineText.fmt(g.objective()) + ") passes with "
                + "no backup path: the failover is slow", new Action.Note());
        t.at(backupUp, "tunnel " + b.id() + " up: the on-demand IKE negotiation completes", new Action.Tunnel(b.id(),
                true));
        t.at(routes, text.sessionUp(net.session(b.session())) + "; the backup's paths arrive and become best "
                + TimelineText.fmt(routes.minus(gap)) + " after the primary went down (objective "
                + TimelineText.fmt(g.objective()) + ") and " + b.id() + " carries the traffic",
                new Action.Session(b.session(), true, null));
        t.at(restore, "tunnel " + p.id() + " up again", new Action.Tunnel(p.id(), true));
        t.at(restore.plus(settings.bgpSetup()), text.sessionUp(net.session(p.session())) + text.failback(p.session()),
                new Action.Session(p.session(), true, null));
    }

    private TunnelDef backupWithSession(GroupDef g) {
        TunnelDef p = net.tunnels().get(g.primary());
        TunnelDef b = g.backups().stream().map(net.tunnels()::get).filter(x -> x.session() != null).findFirst()
                .orElse(null);
        if (p.session() == null || b == null) {
            throw new UnknownTargetException("tunnel group '" + g.id() + "' needs a BGP session over its primary and "
                    + "over a backup to fail over", List.of());
        }
        return b;
    }

    /** A group's tunnels and the sessions over them. */
    private void footprint(Timeline t, GroupDef g) {
        List<String> tunnels = new ArrayList<>(g.backups());
        tunnels.add(0, g.primary());
        for (String id : tunnels) {
            t.footprint.add("tunnel:" + id);
            Integer s = net.tunnels().get(id).session();
            if (s != null) {
                t.footprint.add("session:" + s);
            }
        }
    }

    private void flap(Timeline t, Session s, Duration dur, int flaps) {
        t.duration = dur;
        t.footprint.add("session:" + s.index());
        Duration period = dur.dividedBy(flaps);
        Duration down = min(settings.bgpSetup(), period.dividedBy(2));
        for (int k = 0; k < flaps; k++) {
            String reason = FLAP_REASONS.get(k % FLAP_REASONS.size());
            t.at(period.multipliedBy(k), "flap " + (k + 1) + " of " + flaps + ": " + text.sessionDown(s, reason),
                    new Action.Session(s.index(), false, reason));
            t.at(period.multipliedBy(k).plus(down), text.sessionUp(s), new Action.Session(s.index(), true, null));
        }
    }

    private void degraded(Timeline t, CircuitDef c, Duration dur) {
        CircuitThresholds th = c.thresholds();
        double loss = Math.min(50, 4 * (th.lossPct() == null ? 1.0 : th.lossPct()));
        double jitter = 2 * (th.jitterMs() == null ? 5.0 : th.jitterMs());
        double retransmit = Math.min(50, 2.5 * (th.retransmitPct() == null ? 2.0 : th.retransmitPct()));
        Degradation d = new Degradation(loss, jitter, 2.0, retransmit);
        Duration least = th.dwell().plus(settings.probeInterval().multipliedBy(2));
        Duration length = max(dur, least);
        if (!length.equals(dur)) {
            t.notes.add("duration raised from " + TimelineText.fmt(dur) + " to " + TimelineText.fmt(length)
                    + ": the degradation must outlast the circuit's dwell of " + TimelineText.fmt(th.dwell()));
        }
        t.duration = length;
        t.footprint.add("circuit:" + c.id());
        t.at(Duration.ZERO, "circuit " + c.id() + " degraded: probes over it and its tunnels lose about "
                + TimelineText.num(loss) + "% (threshold " + TimelineText.num(th.lossPct()) + "%) with jitter about "
                + TimelineText.num(jitter) + " ms (threshold " + TimelineText.num(th.jitterMs()) + " ms); its BGP "
                + "connections retransmit about " + TimelineText.num(retransmit) + "% of segments (threshold "
                + TimelineText.num(th.retransmitPct()) + "%)", new Action.Quality(c.id(), d));
        t.at(th.dwell(), "the degradation has lasted the circuit's dwell (" + TimelineText.fmt(th.dwell())
                + "): a degradation detector fires now", new Action.Note());
        t.at(length, "circuit " + c.id() + " recovers: no loss, jitter back to about " + TimelineText.num(c.jitterMs())
                + " ms", new Action.Quality(c.id(), null));
    }

    private void storm(Timeline t, String router, Duration dur, Integer count) {
        SimNetwork.PrefixGroup g = net.extras(router).orElseThrow(() -> new UnknownTargetException(
                "router '" + router + "' originates no extra prefixes (meshwatch.sim.extra-prefixes is 0)", List.of()));
        int n = option(count, g.prefixes().size(), 1, g.prefixes().size(), "count");
        t.duration = dur;
        t.footprint.add("extras:" + router);
        t.at(Duration.ZERO, router + " withdraws " + n + " prefixes (" + g.prefixes().get(0) + " .. "
                + g.prefixes().get(n - 1) + "); every router that held them loses them",
                new Action.Extras(router, n, true));
        t.at(dur, router + " announces the " + n + " prefixes again", new Action.Extras(router, n, false));
    }

    private void fullTable(Timeline t, String router, Duration dur, int ipv4, int ipv6) {
        if (ipv4 + ipv6 == 0) {
            throw new UnknownTargetException("a full table needs ipv4 + ipv6 > 0", List.of());
        }
        Session s = net.transitSession(router);
        Node peer = net.node(s.b().node());
        t.duration = dur;
        t.footprint.add("transit:" + router);
        String pace = settings.burstPerSecond() > 0 ? " at about " + TimelineText.num(settings.burstPerSecond())
                + " prefixes/s (meshwatch.sim.burst), so for about " + TimelineText.fmt(Duration.ofMillis(
                (long) (1000.0 * (ipv4 + ipv6) / settings.burstPerSecond()))) : " as fast as Kafka takes it";
        t.at(Duration.ZERO, "BGP session " + router + " - " + s.b().address() + " (AS" + peer.asn() + ", internet "
                + "transit) established; the peer sends " + ipv4 + " IPv4 and " + ipv6 + " IPv6 prefixes" + pace
                + ", then End-of-RIB", new Action.FullTable(router, ipv4, ipv6, true));
        t.at(dur, "the transit peer withdraws the full table (the session stays established)",
                new Action.FullTable(router, ipv4, ipv6, false));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
