package io.meshwatch.sim;

import io.meshwatch.event.BgpAttributes;
import io.meshwatch.event.BgpState;
import io.meshwatch.event.EndOfRibEvent;
import io.meshwatch.event.DownCause;
import io.meshwatch.event.PeerStateEvent;
import io.meshwatch.routing.Afi;
import io.meshwatch.routing.Prefix;
import io.meshwatch.sim.RouteModel.Adv;
import io.meshwatch.sim.SimNetwork.Node;
import io.meshwatch.sim.SimNetwork.PrefixGroup;
import io.meshwatch.sim.SimNetwork.PrefixKind;
import io.meshwatch.sim.SimNetwork.Session;
import io.meshwatch.sim.SimNetwork.SessionKind;
import io.meshwatch.sim.SimNetwork.Side;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The routers' BGP behaviour: what they report when a session comes up (established, its
 * Adj-RIB-In-post table, End-of-RIB) or goes down (idle; the receiver flushes its routes), the
 * announcements and withdrawals other routers see when paths change ({@link RouteModel} before and
 * after, diffed), prefix churn, withdrawal storms and full tables.
 *
 * <p>Invariant: {@link #sent} is exactly what each receiving end has been told (per prefix group),
 * minus prefixes withdrawn by churn or a storm; every change is a diff against it.
 *
 * <p>Plain Java; confined to the simulator's thread.
 */
final class BgpControl {

    private final SimNetwork net;
    private final SimState state;
    private final BgpOutbox outbox;
    private final SplittableRandom random;
    private final long seed;
    private final int updateSize;
    /** The sessions' hold time in whole seconds, reported with established as a router's collector would. */
    private final int holdSeconds;
    private final List<Integer> extraGroups;
    private final Map<Integer, Set<Prefix>> churnDown = new HashMap<>();
    private final Map<Integer, Set<Prefix>> stormDown = new HashMap<>();
    private Map<Integer, Map<Integer, Adv>> sent = new HashMap<>();
    private SyntheticTable table;

    BgpControl(SimNetwork net, SimState state, BgpOutbox outbox, SimSettings settings, SplittableRandom random) {
        this.net = net;
        this.state = state;
        this.outbox = outbox;
        this.random = random;
        this.seed = settings.seed();
        this.updateSize = settings.updateSize();
        this.holdSeconds = (int) Math.min(65535, settings.holdTime().toSeconds());
        this.extraGroups = net.prefixGroups().stream().filter(g -> g.kind() == PrefixKind.EXTRA && !g.prefixes().isEmpty())
                .map(PrefixGroup::index).toList();
    }

    /** Brings every session but the transit ones up, each followed by its table and End-of-RIB. */
    void startAll(Instant t) {
        for (Session s : net.sessions()) {
            state.sessionUp[s.index()] = s.kind() != SessionKind.TRANSIT;
        }
        RouteModel.Result model = RouteModel.compute(net, state.sessionUp);
        for (Session s : net.sessions()) {
            if (state.sessionUp[s.index()]) {
                peerState(s, BgpState.ESTABLISHED, null, t);
                tables(s, model, t);
            }
        }
        sent = new HashMap<>(model.received());
    }

    /** A session goes down or comes up; every router whose paths change hears about it. */
    void session(int index, boolean up, String reason, Instant t) {
        if (state.sessionUp[index] == up) {
            return;
        }
        Session s = net.session(index);
        state.sessionUp[index] = up;
        if (!up) {
            outbox.cancel(index);
        }
        peerState(s, up ? BgpState.ESTABLISHED : BgpState.IDLE, reason, t);
        if (s.kind() == SessionKind.TRANSIT) {
            return;
        }
        RouteModel.Result next = RouteModel.compute(net, state.sessionUp);
        Set<Integer> fresh = new HashSet<>();
        if (up) {
            tables(s, next, t);
            fresh.add(RouteModel.key(s, s.a().node()));
            fresh.add(RouteModel.key(s, s.b().node()));
        }
        for (Map.Entry<Integer, Map<Integer, Adv>> e : new TreeMap<>(next.received()).entrySet()) {
            if (!fresh.contains(e.getKey())) {
                diff(e.getKey(), sent.getOrDefault(e.getKey(), Map.of()), e.getValue(), t);
            }
        }
        sent = new HashMap<>(next.received());
    }

    private void tables(Session s, RouteModel.Result model, Instant t) {
        for (Side me : List.of(s.a(), s.b())) {
            Node r = net.node(me.node());
            if (!r.reports()) {
                continue;
            }
            Side peer = s.other(me.node());
            long peerAs = net.node(peer.node()).asn();
            for (Map.Entry<Integer, Adv> e : new TreeMap<>(model.received(RouteModel.key(s, me.node()))).entrySet()) {
                outbox.prefixes(r.id(), peer.address(), peerAs, attributes(e.getValue()), active(e.getKey()), s.index());
            }
            outbox.add(new EndOfRibEvent(r.id(), t, "default", peer.address(), peerAs, Afi.IPV4), s.index());
        }
    }

    private void diff(int key, Map<Integer, Adv> old, Map<Integer, Adv> now, Instant t) {
        for (Map.Entry<Integer, Adv> e : new TreeMap<>(old).entrySet()) {
            if (!now.containsKey(e.getKey())) {
                send(key, null, active(e.getKey()));
            }
        }
        for (Map.Entry<Integer, Adv> e : new TreeMap<>(now).entrySet()) {
            if (!e.getValue().equals(old.get(e.getKey()))) {
                send(key, e.getValue(), active(e.getKey()));
            }
        }
    }

    /** Announces ({@code adv} set) or withdraws prefixes at the receiving end {@code key}. */
    private void send(int key, Adv adv, List<Prefix> prefixes) {
        Session s = net.session(key / 2);
        int receiver = key % 2 == 0 ? s.a().node() : s.b().node();
        Side peer = s.other(receiver);
        outbox.prefixes(net.node(receiver).id(), peer.address(), net.node(peer.node()).asn(),
                adv == null ? null : attributes(adv), prefixes, s.index());
    }

    private void peerState(Session s, BgpState st, String reason, Instant t) {
        for (Side me : List.of(s.a(), s.b())) {
            Node r = net.node(me.node());
            if (r.reports()) {
                Side peer = s.other(me.node());
                boolean up = st == BgpState.ESTABLISHED;
                outbox.add(new PeerStateEvent(r.id(), t, "default", peer.address(), net.node(peer.node()).asn(),
                        r.asn(), st, reason, up ? holdSeconds : null, null, up ? null : cause(reason)), s.index());
            }
        }
    }

    /** The structured cause of a down the planner describes in words (see ScenarioPlanner's reasons). */
    static DownCause cause(String reason) {
        if (reason == null) {
            return null;
        }
        if (reason.startsWith("hold timer expired")) {
            return DownCause.HOLD_TIMER_EXPIRED;
        }
        if (reason.contains("administrative")) {
            return DownCause.ADMINISTRATIVE;
        }
        if (reason.contains("TCP connection reset") || reason.startsWith("tunnel interface down")) {
            return DownCause.CONNECTION_CLOSED;
        }
        return DownCause.OTHER;
    }

    private static BgpAttributes attributes(Adv a) {
        return new BgpAttributes("igp", new ArrayList<>(a.asPath()), a.nextHop(), a.localPref(), null,
                a.communities(), List.of(), List.of(), null, List.of(), false);
    }

    /** The group's prefixes that are currently announced at the origin. */
    private List<Prefix> active(int group) {
        List<Prefix> all = net.prefixGroup(group).prefixes();
        Set<Prefix> c = churnDown.get(group);
        Set<Prefix> st = stormDown.get(group);
        if ((c == null || c.isEmpty()) && (st == null || st.isEmpty())) {
            return all;
        }
        return all.stream().filter(p -> (c == null || !c.contains(p)) && (st == null || !st.contains(p))).toList();
    }

    private static boolean isDown(Map<Integer, Set<Prefix>> down, int group, Prefix p) {
        Set<Prefix> s = down.get(group);
        return s != null && s.contains(p);
    }

    /** Sends prefixes of a group to every receiving end that holds the group. */
    private void everywhere(int group, List<Prefix> prefixes, boolean withdraw) {
        if (prefixes.isEmpty()) {
            return;
        }
        for (Map.Entry<Integer, Map<Integer, Adv>> e : new TreeMap<>(sent).entrySet()) {
            Adv adv = e.getValue().get(group);
            if (adv != null && state.sessionUp[e.getKey() / 2]) {
                send(e.getKey(), withdraw ? null : adv, prefixes);
            }
        }
    }

    /** A prefix taken down by churn, to be announced again by {@link #churnReturn}. */
    record Churned(int group, Prefix prefix) {
    }

    /** One prefix flap starts: a random extra prefix is withdrawn everywhere; null when none could be. */
    Churned churn() {
        if (extraGroups.isEmpty()) {
            return null;
        }
        int g = extraGroups.get(random.nextInt(extraGroups.size()));
        List<Prefix> all = net.prefixGroup(g).prefixes();
        Prefix p = all.get(random.nextInt(all.size()));
        if (isDown(churnDown, g, p) || isDown(stormDown, g, p)) {
            return null;
        }
        churnDown.computeIfAbsent(g, x -> new HashSet<>()).add(p);
        everywhere(g, List.of(p), true);
        return new Churned(g, p);
    }

    /** The flap ends: the prefix is announced again (unless a storm holds it down). */
    void churnReturn(Churned c) {
        Set<Prefix> down = churnDown.get(c.group());
        if (down != null && down.remove(c.prefix()) && !isDown(stormDown, c.group(), c.prefix())) {
            everywhere(c.group(), List.of(c.prefix()), false);
        }
    }

    /** A router withdraws the first {@code count} of its extra prefixes, or announces them again. */
    void storm(String router, int count, boolean withdraw) {
        PrefixGroup g = net.extras(router).orElseThrow();
        Set<Prefix> down = stormDown.computeIfAbsent(g.index(), x -> new HashSet<>());
        if (withdraw) {
            List<Prefix> now = new ArrayList<>(active(g.index()).subList(0, Math.min(count, active(g.index()).size())));
            down.addAll(now);
            everywhere(g.index(), now, true);
        } else {
            Set<Prefix> back = new HashSet<>(down);
            down.clear();
            everywhere(g.index(), active(g.index()).stream().filter(back::contains).toList(), false);
        }
    }

    /** The router's transit peer sends a full table (establishing first) and End-of-RIB, or withdraws it. */
    void fullTable(String router, int ipv4, int ipv6, boolean announce, Instant t) {
        Session s = net.transitSession(router);
        Node peer = net.node(s.b().node());
        String nextHop6 = "2001:db8:ffff::" + Integer.toHexString(s.index() + 1);
        if (table == null || table.ipv4Prefixes() != ipv4 || table.ipv6Prefixes() != ipv6) {
            int n = ipv4 + ipv6;
            table = new SyntheticTable(seed, ipv4, ipv6, 1, Math.max(1, n / 18), Math.max(1, n / 62));
        }
        outbox.cancel(s.index());
        if (announce) {
            session(s.index(), true, null, t);
            outbox.add(new FullTableTransfer(table, router, s.b().address(), peer.asn(), s.b().address(), nextHop6,
                    s.index(), false, updateSize));
            if (ipv4 > 0) {
                outbox.add(new EndOfRibEvent(router, t, "default", s.b().address(), peer.asn(), Afi.IPV4), s.index());
            }
            if (ipv6 > 0) {
                outbox.add(new EndOfRibEvent(router, t, "default", s.b().address(), peer.asn(), Afi.IPV6), s.index());
            }
        } else {
            outbox.add(new FullTableTransfer(table, router, s.b().address(), peer.asn(), s.b().address(), nextHop6,
                    s.index(), true, updateSize));
        }
    }

    /** How many receiving ends currently hold prefix group {@code group} (for tests and docs). */
    int holders(int group) {
        return (int) sent.entrySet().stream().filter(e -> state.sessionUp[e.getKey() / 2]
                && e.getValue().containsKey(group)).count();
    }
}
