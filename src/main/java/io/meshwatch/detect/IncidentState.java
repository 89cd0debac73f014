package io.meshwatch.detect;

import io.meshwatch.inventory.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** The mutable state of one incident, owned by the {@link Correlator}; {@link #snapshot()} gives the record. */
final class IncidentState {

    private static final int MAX_TIMELINE = 500;

    final String id;
    final Instant openedAt;
    Signal root;
    final Map<String, Signal> children = new LinkedHashMap<>();
    private final List<TimelineEntry> timeline = new ArrayList<>();
    IncidentStatus status = IncidentStatus.OPEN;
    Instant resolvedAt;
    String mergedInto;
    private Severity worst;

    IncidentState(String id, Signal root, Instant openedAt) {
        this.id = id;
        this.root = root;
        this.openedAt = openedAt;
        this.worst = root.severity();
    }

    /** Replaces the root or a child with its newer form. */
    void put(Signal s) {
        if (s.fingerprint().equals(root.fingerprint())) {
            root = s;
        } else {
            children.put(s.fingerprint(), s);
        }
        if (s.severity().atLeast(worst)) {
            worst = s.severity();
        }
    }

    boolean contains(String fingerprint) {
        return root.fingerprint().equals(fingerprint) || children.containsKey(fingerprint);
    }

    /** Root first, then children in joining order. */
    List<Signal> members() {
        List<Signal> out = new ArrayList<>(children.size() + 1);
        out.add(root);
        out.addAll(children.values());
        return out;
    }

    boolean allResolved() {
        return members().stream().noneMatch(Signal::isFiring);
    }

    void log(Instant time, String what) {
        timeline.add(new TimelineEntry(time, what));
        if (timeline.size() > MAX_TIMELINE) {
            timeline.remove(0);
        }
    }

    void logAll(List<TimelineEntry> entries) {
        entries.forEach(e -> log(e.time(), e.what()));
    }

    List<TimelineEntry> timeline() {
        List<TimelineEntry> out = new ArrayList<>(timeline);
        out.sort(Comparator.comparing(TimelineEntry::time));
        return out;
    }

    Incident snapshot() {
        Impact impact = impact();
        return new Incident(id, status, title(impact), worst, root, List.copyOf(children.values()), impact,
                timeline(), openedAt, resolvedAt, mergedInto);
    }

    private Impact impact() {
        TreeSet<String> sessions = new TreeSet<>();
        TreeSet<String> groups = new TreeSet<>();
        TreeSet<String> moved = new TreeSet<>();
        TreeSet<String> unreachable = new TreeSet<>();
        for (Signal s : members()) {
            switch (s.type()) {
                case BGP_SESSION_DOWN -> sessions.add(s.label("router") + " " + s.label("vrf") + " " + s.label("peer"));
                case IPSEC_FAILOVER, IPSEC_FAILOVER_SLOW, IPSEC_TUNNEL_GROUP_DOWN -> groups.add(s.label("tunnel_group"));
                case BEST_PATH_ON_BACKUP, ROUTE_ORIGIN_UNEXPECTED, ROUTE_PATH_UNEXPECTED, ROUTE_MORE_SPECIFIC ->
                        moved.add(s.label("router") + " " + s.label("prefix"));
                case PREFIX_UNREACHABLE -> unreachable.add(s.label("router") + " " + s.label("prefix"));
                default -> {
                }
            }
        }
        return new Impact(List.copyOf(sessions), List.copyOf(groups), List.copyOf(moved), List.copyOf(unreachable));
    }

    /**
     * {@code <head>: <parts>}. The head names the root (for a circuit {@code Circuit X down}); the
     * parts count what it explains, e.g. {@code 2 sessions down, vpn-a failed over to vpn-a-inet in
     * 12.4 s, 3 prefixes moved}. A standalone signal's title is its summary.
     */
    private String title(Impact impact) {
        Map<String, Map<SignalType, Signal>> byGroup = new TreeMap<>();
        for (Signal s : members()) {
            if (s.type().groupLevel()) {
                byGroup.computeIfAbsent(s.label("tunnel_group"), g -> new TreeMap<>()).put(s.type(), s);
            }
        }
        String head;
        String rootGroup = null;
        if (root.type() == SignalType.CIRCUIT_DOWN) {
            head = "Circuit " + root.label("circuit") + " down";
        } else if (root.type().groupLevel()) {
            rootGroup = root.label("tunnel_group");
            head = String.join(", ", groupPhrases(rootGroup, byGroup.get(rootGroup)));
        } else if (children.isEmpty()) {
            return root.summary();
        } else {
            head = root.summary();
        }
        List<String> parts = new ArrayList<>();
        long sessions = impact.sessionsDown().size() - (root.type() == SignalType.BGP_SESSION_DOWN ? 1 : 0);
        if (sessions > 0) {
            parts.add(sessions + (sessions == 1 ? " session down" : " sessions down"));
        }
        for (Map.Entry<String, Map<SignalType, Signal>> g : byGroup.entrySet()) {
            if (!g.getKey().equals(rootGroup)) {
                parts.addAll(groupPhrases(g.getKey(), g.getValue()));
            }
        }
        count(parts, impact.prefixesMoved().size(), "prefix moved", "prefixes moved");
        count(parts, impact.prefixesUnreachable().size(), "prefix unreachable", "prefixes unreachable");
        return parts.isEmpty() ? head : head + ": " + String.join(", ", parts);
    }

    private static void count(List<String> parts, int n, String one, String many) {
        if (n > 0) {
            parts.add(n + " " + (n == 1 ? one : many));
        }
    }

    private static List<String> groupPhrases(String group, Map<SignalType, Signal> signals) {
        List<String> out = new ArrayList<>();
        Signal failover = signals.get(SignalType.IPSEC_FAILOVER);
        Signal slow = signals.get(SignalType.IPSEC_FAILOVER_SLOW);
        if (failover != null) {
            String min = failover.annotation("failover_min_seconds");
            String p = group + " failed over to " + failover.annotation("to") + " in "
                    + (min == null ? "" : min + "-") + failover.annotation("failover_seconds") + " s";
            out.add(slow != null ? p + " (objective " + slow.annotation("objective_seconds") + " s)" : p);
        } else if (slow != null) {
            out.add(group + " failover not complete after " + slow.annotation("objective_seconds") + " s");
        }
        if (signals.containsKey(SignalType.IPSEC_TUNNEL_GROUP_DOWN)) {
            out.add(group + " all tunnels down");
        }
        return out;
    }

    /** Seconds with one decimal, as in titles and annotations: {@code 12.4}. */
    static String seconds(java.time.Duration d) {
        return String.format(Locale.ROOT, "%.1f", d.toMillis() / 1000.0);
    }

    /** This incident as a checkpoint holds it: the timeline in the order it was written. */
    EngineState.IncidentEntry checkpoint() {
        return new EngineState.IncidentEntry(id, openedAt, root, List.copyOf(children.values()), List.copyOf(timeline),
                status, resolvedAt, mergedInto, worst);
    }

    /** An incident as a checkpoint held it. */
    static IncidentState restored(EngineState.IncidentEntry e) {
        IncidentState inc = new IncidentState(e.id(), e.root(), e.openedAt());
        e.children().forEach(c -> inc.children.put(c.fingerprint(), c));
        inc.timeline.addAll(e.timeline());
        inc.status = e.status();
        inc.resolvedAt = e.resolvedAt();
        inc.mergedInto = e.mergedInto();
        inc.worst = e.worst() == null ? e.root().severity() : e.worst();
        return inc;
    }
}
