package io.meshwatch.detect;

import io.meshwatch.inventory.Tunnel;
import io.meshwatch.inventory.TunnelGroup;
import io.meshwatch.network.SessionKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Groups signals that share a cause into incidents and marks the explained ones inhibited.
 *
 * <p>Rules (see {@code docs/detection.md}):
 * <ul>
 * <li>A {@code CircuitDown} is a root. It explains, inhibited: {@code BgpSessionDown} of sessions
 * that ride the circuit; {@code IpsecFailover}, {@code IpsecFailoverSlow},
 * {@code IpsecTunnelGroupDown} of groups whose primary rides it; {@code BestPathOnBackup} via such a
 * group (structural links: while the root fires or within the window); and {@code BestPathOnBackup}
 * and {@code PrefixUnreachable} on the circuit's routers within the window of the root's start.</li>
 * <li>Without a circuit cause, the first group-level signal of a tunnel group is a root. It explains,
 * inhibited, the {@code BgpSessionDown} of the group's primary session and the group's
 * {@code BestPathOnBackup}s; the group's other group-level signals join it not inhibited.</li>
 * <li>The first route policy signal of a policy's range is a root. It explains, inhibited, the
 * other route policy signals of the same range (same VRF and policy prefix) while it fires or
 * within the window: one announcement seen on several routers, or as several more-specifics.</li>
 * <li>A signal that fired before its root (within the window) is re-parented when the root fires:
 * its incident merges into the root's (status MERGED) and all its signals become inhibited children.</li>
 * <li>Anything else is the root of its own incident. An incident resolves when its root and every
 * child have resolved; a signal that fires again while its incident is open rejoins it if the
 * root still explains it (same rules, judged on its new start), and is placed afresh otherwise.</li>
 * </ul>
 * Signals are emitted from here (decorated with incident id and inhibition); incidents changed
 * during an engine call are emitted once, at its end, by {@link #flush()}.
 */
final class Correlator {

    private static final Set<SignalType> CIRCUIT_STRONG = EnumSet.of(SignalType.BGP_SESSION_DOWN,
            SignalType.IPSEC_FAILOVER, SignalType.IPSEC_FAILOVER_SLOW, SignalType.IPSEC_TUNNEL_GROUP_DOWN,
            SignalType.BEST_PATH_ON_BACKUP);
    private static final Set<SignalType> CIRCUIT_WEAK = EnumSet.of(SignalType.BEST_PATH_ON_BACKUP,
            SignalType.PREFIX_UNREACHABLE);

    private final Clock clock;
    private final DetectionSettings settings;
    private final Supplier<Topology> topology;
    private final DetectionListener listener;
    private final Map<String, IncidentState> open = new LinkedHashMap<>();
    private final Map<String, IncidentState> byFingerprint = new HashMap<>();
    private final Map<String, Boolean> inhibited = new HashMap<>();
    private final Deque<Incident> history = new ArrayDeque<>();
    private final Set<IncidentState> dirty = new LinkedHashSet<>();

    Correlator(Clock clock, DetectionSettings settings, Supplier<Topology> topology, DetectionListener listener) {
        this.clock = clock;
        this.settings = settings;
        this.topology = topology;
        this.listener = listener;
    }

    /** Correlates one transition or update, emits it, and returns the emitted (decorated) signal. */
    Signal accept(Signal s) {
        String fp = s.fingerprint();
        IncidentState inc = byFingerprint.get(fp);
        if (inc != null && s.isFiring() && !s.update() && !inc.root.fingerprint().equals(fp)
                && rank(inc.root, s) == 0) {
            byFingerprint.remove(fp);
            inc = null;
        }
        if (inc == null && s.isFiring()) {
            inc = place(s);
        }
        if (inc == null) {
            listener.signal(s);
            return s;
        }
        Signal out = s.correlated(inc.id, inhibited.getOrDefault(fp, false), s.update());
        inc.put(out);
        if (!s.update()) {
            inc.log(s.eventTime(), s.type().alertName() + (s.isFiring() ? " firing: " : " resolved: ") + s.summary()
                    + (out.inhibited() ? " (inhibited)" : ""));
        }
        listener.signal(out);
        if (!s.isFiring() && inc.allResolved()) {
            inc.status = IncidentStatus.RESOLVED;
            inc.resolvedAt = clock.instant();
            inc.log(inc.resolvedAt, "Incident resolved: root and every child resolved");
            close(inc);
        }
        dirty.add(inc);
        return out;
    }

    /** Emits every incident changed since the last flush, once each. */
    void flush() {
        for (IncidentState inc : List.copyOf(dirty)) {
            Incident snap = inc.snapshot();
            if (inc.status != IncidentStatus.OPEN) {
                history.addLast(snap);
                while (history.size() > settings.incidentHistory()) {
                    history.removeFirst();
                }
            }
            listener.incident(snap);
        }
        dirty.clear();
    }

    /** Open incidents, oldest first, then resolved and merged ones, newest first. */
    List<Incident> incidents() {
        List<Incident> out = new ArrayList<>();
        open.values().forEach(i -> out.add(i.snapshot()));
        history.descendingIterator().forEachRemaining(out::add);
        return out;
    }

    /** Finds (or opens) the incident for a newly firing signal. */
    private IncidentState place(Signal s) {
        if (s.type() != SignalType.CIRCUIT_DOWN) {
            IncidentState parent = null;
            int best = 0;
            for (IncidentState cand : open.values()) {
                int rank = rank(cand.root, s);
                if (rank > 0 && rank >= best) {
                    best = rank;
                    parent = cand;
                }
            }
            if (parent != null) {
                inhibited.put(s.fingerprint(), inhibits(parent.root, s));
                byFingerprint.put(s.fingerprint(), parent);
                return parent;
            }
        }
        IncidentState inc = new IncidentState(newId(s), s, clock.instant());
        open.put(inc.id, inc);
        byFingerprint.put(s.fingerprint(), inc);
        inhibited.put(s.fingerprint(), false);
        if (s.type() == SignalType.CIRCUIT_DOWN || s.type().groupLevel() || s.type() == SignalType.ROUTER_FEED_LOST) {
            reparent(inc);
        }
        return inc;
    }

    /** Merges into {@code root} every open incident whose root it explains and that started within the window. */
    private void reparent(IncidentState root) {
        Instant earliest = root.root.startedAt().minus(settings.correlationWindow());
        for (IncidentState other : List.copyOf(open.values())) {
            if (other == root || rank(root.root, other.root) == 0 || other.root.startedAt().isBefore(earliest)) {
                continue;
            }
            for (Signal m : other.members()) {
                boolean inh = rank(root.root, m) > 0 ? inhibits(root.root, m) : true;
                inhibited.put(m.fingerprint(), inh);
                byFingerprint.put(m.fingerprint(), root);
                Signal moved = m.correlated(root.id, inh, true);
                root.put(moved);
                listener.signal(moved);
            }
            root.logAll(other.timeline());
            root.log(clock.instant(), "Merged incident " + other.id + " (" + other.root.type().alertName()
                    + "): explained by " + root.root.type().alertName());
            other.status = IncidentStatus.MERGED;
            other.mergedInto = root.id;
            other.log(clock.instant(), "Merged into incident " + root.id);
            open.remove(other.id);
            dirty.add(other);
        }
        dirty.add(root);
    }

    private void close(IncidentState inc) {
        open.remove(inc.id);
        for (Signal m : inc.members()) {
            if (byFingerprint.remove(m.fingerprint(), inc)) {
                inhibited.remove(m.fingerprint());
            }
        }
    }

    /**
     * How well {@code root} explains {@code s}: 4 a structural circuit link, 3 a circuit router link
     * within the window, 2 a lost router feed, 1 a tunnel group link, 0 not at all.
     */
    private int rank(Signal root, Signal s) {
        Duration gap = Duration.between(root.startedAt(), s.startedAt()).abs();
        boolean within = gap.compareTo(settings.correlationWindow()) <= 0;
        boolean live = root.isFiring() || within;
        if (root.type() == SignalType.CIRCUIT_DOWN) {
            String c = root.label("circuit");
            if (live && CIRCUIT_STRONG.contains(s.type()) && c.equals(circuitOf(s))) {
                return 4;
            }
            if (within && CIRCUIT_WEAK.contains(s.type()) && topology.get().routersOf(c).contains(s.label("router"))) {
                return 3;
            }
            return 0;
        }
        if (root.type() == SignalType.ROUTER_FEED_LOST) {
            // only a lost connection says the router may be dead; silent telemetry (a collector gone) does not
            boolean connectionLost = !FeedDetector.TELEMETRY.equals(root.label("feed"));
            return connectionLost && live && feedExplains(root.label("router"), s) ? 2 : 0;
        }
        if (root.type().groupLevel() && live && s.type() != SignalType.CIRCUIT_DOWN) {
            String g = root.label("tunnel_group");
            return g.equals(groupOf(s)) ? 1 : 0;
        }
        if (root.type().routePolicy() && live && s.type().routePolicy()) {
            // the same range's routes broken on other routers or as other more-specifics: one announcement
            // seen wherever it spread, one incident
            return root.label("vrf").equals(s.label("vrf"))
                    && root.annotation("policy").equals(s.annotation("policy")) ? 1 : 0;
        }
        return 0;
    }

    /**
     * Whether a router whose feed is lost (it may have died) explains {@code s}: a BGP session down on
     * that router, or on another router over a circuit with an end at it, or over a tunnel that
     * terminates on it; a tunnel group's signals when one of its tunnels terminates on it. (The
     * inventory has no router addresses, so a session elsewhere that rides nothing of the router's is
     * not linked.)
     */
    private boolean feedExplains(String router, Signal s) {
        Topology t = topology.get();
        if (s.type() == SignalType.BGP_SESSION_DOWN) {
            SessionKey k = sessionKey(s);
            if (router.equals(k.router())) {
                return true;
            }
            String c = t.circuitOf(k);
            if (c != null && t.routersOf(c).contains(router)) {
                return true;
            }
            Tunnel tu = t.tunnelOf(k);
            return tu != null && groupTouches(t.groupOf(tu), router);
        }
        if (s.type().groupLevel()) {
            return groupTouches(t.group(s.label("tunnel_group")), router);
        }
        return false;
    }

    private static boolean groupTouches(TunnelGroup g, String router) {
        return g != null && g.tunnels().stream().anyMatch(tu -> router.equals(tu.router()));
    }

    /** Children of a circuit are all inhibited; a group's own group-level signals are not. */
    private static boolean inhibits(Signal root, Signal s) {
        return root.type() == SignalType.CIRCUIT_DOWN || !s.type().groupLevel();
    }

    /** The circuit a signal is structurally tied to, or null. */
    private String circuitOf(Signal s) {
        Topology t = topology.get();
        if (s.type() == SignalType.BGP_SESSION_DOWN) {
            return t.circuitOf(sessionKey(s));
        }
        TunnelGroup g = t.group(groupOf(s) == null ? "" : groupOf(s));
        Tunnel p = g == null ? null : Topology.primary(g);
        return p == null ? null : p.circuit();
    }

    /** The tunnel group a signal is tied to: its own, or the one whose primary session went down. */
    private String groupOf(Signal s) {
        if (s.type().groupLevel()) {
            return s.label("tunnel_group");
        }
        if (s.type() == SignalType.BEST_PATH_ON_BACKUP) {
            return s.annotation("tunnel_group");
        }
        if (s.type() == SignalType.BGP_SESSION_DOWN) {
            TunnelGroup g = topology.get().groupOfPrimarySession(sessionKey(s));
            return g == null ? null : g.id();
        }
        return null;
    }

    private static SessionKey sessionKey(Signal s) {
        return new SessionKey(s.label("router"), s.label("vrf"), s.label("peer"));
    }

    /**
     * The incident's id, from its root signal's fingerprint and start (the router's event time), not
     * from this engine's clock: a detection owner that replays the facts after its checkpoint and
     * raises the same root again opens the incident under the same id, which the store takes as the
     * same incident.
     */
    private String newId(Signal root) {
        Instant start = root.startedAt() != null ? root.startedAt() : clock.instant();
        String base = "inc-" + hash(root.fingerprint() + "@" + start.toEpochMilli());
        String id = base;
        for (int n = 2; open.containsKey(id) || inHistory(id); n++) {
            id = base + "-" + n;
        }
        return id;
    }

    private boolean inHistory(String id) {
        return history.stream().anyMatch(i -> i.id().equals(id));
    }

    private static String hash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The incidents for a checkpoint (between engine calls): the open ones in order, then any closed
     * one a fingerprint still points to; the fingerprints' incidents and inhibition; the history.
     */
    EngineState.Incidents checkpoint() {
        if (!dirty.isEmpty()) {
            throw new IllegalStateException("a checkpoint is taken between engine calls, not during one");
        }
        List<IncidentState> live = new ArrayList<>(open.values());
        Map<IncidentState, Integer> index = new IdentityHashMap<>();
        for (int i = 0; i < live.size(); i++) {
            index.put(live.get(i), i);
        }
        Map<String, Integer> links = new TreeMap<>();
        new TreeMap<>(byFingerprint).forEach((fp, inc) -> links.put(fp, index.computeIfAbsent(inc, k -> {
            live.add(k);
            return live.size() - 1;
        })));
        return new EngineState.Incidents(live.stream().map(IncidentState::checkpoint).toList(), links, inhibited,
                List.copyOf(history));
    }

    /** Takes back a checkpoint's incidents; emits nothing. */
    void restore(EngineState.Incidents state) {
        List<IncidentState> live = state.live().stream().map(IncidentState::restored).toList();
        for (IncidentState inc : live) {
            if (inc.status == IncidentStatus.OPEN) {
                open.put(inc.id, inc);
            }
        }
        state.byFingerprint().forEach((fp, i) -> byFingerprint.put(fp, live.get(i)));
        inhibited.putAll(state.inhibited());
        history.addAll(state.history());
    }
}
