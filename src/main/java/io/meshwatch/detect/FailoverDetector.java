package io.meshwatch.detect;

import io.meshwatch.inventory.Severity;
import io.meshwatch.inventory.Tunnel;
import io.meshwatch.inventory.TunnelGroup;
import io.meshwatch.inventory.TunnelRole;
import io.meshwatch.network.SessionKey;
import io.meshwatch.routing.BestPathReason;
import io.meshwatch.routing.RouteDelta;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * {@code IpsecFailover}, {@code IpsecFailoverSlow}, {@code IpsecTunnelGroupDown}, and the tunnel
 * group view.
 *
 * <p>A failover starts when a group's primary goes from UP to DOWN (tunnel state down, its BGP
 * session leaving established, or its circuit down, whichever is seen first) while the primary
 * carries traffic, and completes at the first evidence that a backup carries traffic: a route
 * delta on the backup's router whose new best path is via the backup's BGP session, or the backup's
 * byte counters growing by {@code backupTrafficBytes} over their value when the primary went down.
 * Measured durations are event-time differences; the slow deadline is clock time (the clock when
 * the primary-down was processed, plus the objective). Failback mirrors it: the primary back UP
 * starts it, the primary carrying traffic again (route or bytes) completes it and resolves the
 * failover signals. A slow signal raised by the clock deadline is resolved again when the measured
 * (event-time) duration turns out to be within the objective, which happens when events lag. If the primary comes back before a failover completes, the failover is
 * abandoned; if it goes down again during a failback, the failback is dropped.
 *
 * <p><b>The failover clock</b> starts at the earliest evidence of the failure, not at the evidence
 * seen first: the primary's tunnel reported down, its circuit's interface down or probe streak, its
 * BGP session closing (dated back by the hold time when it closed by hold-timer expiry), whichever
 * shows the failure earliest (see {@link Evidence#combine}). Evidence that arrives later (another
 * Kafka channel lagging) but dates the failure earlier moves the start back, while the failover is
 * in progress and after it completed (the IpsecFailover signal is then refined in place). When BGP
 * was the only witness the start is an interval and so is the failover time.
 */
final class FailoverDetector {

    /** Mutable state of one tunnel. */
    private static final class TunnelState {
        String reported;
        /** When the reported state went down (event time), while it is down. */
        Instant reportedDownAt;
        Long bytes;
        TunnelStatus status = TunnelStatus.UNKNOWN;
    }

    /** Mutable state of one group. */
    private static final class Group {
        GroupPhase phase = GroupPhase.UNKNOWN;
        String backupInUse;
        boolean allDown;
        Switchover inProgress;
        final Map<String, Long> baseline = new HashMap<>();
        Switchover lastFailover;
        Switchover lastFailback;
        /** The last failover completed by the flush of the primary's closed session (see {@link #longest}). */
        boolean flushed;
    }

    private final Clock clock;
    private final DetectionSettings settings;
    private final SignalBook book;
    private final Supplier<Topology> topology;
    private final SessionDetector sessions;
    private final Predicate<String> circuitDown;
    private final Function<String, Evidence> circuitEvidence;
    private final java.time.Duration holdDown;
    private final DetectionListener metrics;
    private final Map<String, TunnelState> tunnels = new HashMap<>();
    private final Map<String, Group> groups = new HashMap<>();
    private final Deadlines<String> slow = new Deadlines<>();

    FailoverDetector(Clock clock, DetectionSettings settings, SignalBook book, Supplier<Topology> topology,
                     SessionDetector sessions, Predicate<String> circuitDown, Function<String, Evidence> circuitEvidence,
                     DetectionListener metrics) {
        this.clock = clock;
        this.circuitEvidence = circuitEvidence;
        this.holdDown = settings.resolveHoldDown();
        this.settings = settings;
        this.book = book;
        this.topology = topology;
        this.sessions = sessions;
        this.circuitDown = circuitDown;
        this.metrics = metrics;
    }

    private TunnelState ts(Tunnel t) {
        return tunnels.computeIfAbsent(t.id(), k -> new TunnelState());
    }

    private Group group(TunnelGroup g) {
        return groups.computeIfAbsent(g.id(), k -> new Group());
    }

    /** Drops state of groups and tunnels no longer in the inventory. */
    void retain(Set<String> groupIds, Set<String> tunnelIds) {
        groups.keySet().retainAll(groupIds);
        tunnels.keySet().retainAll(tunnelIds);
        slow.retain(groupIds::contains);
    }

    void tunnelState(Tunnel t, String state, Long total, String source, Instant time) {
        TunnelState s = ts(t);
        if ("down".equals(state) && !"down".equals(s.reported)) {
            s.reportedDownAt = time;
        } else if ("up".equals(state)) {
            s.reportedDownAt = null;
        }
        if ("up".equals(state) || "down".equals(state)) {
            s.reported = state;
        }
        TunnelGroup tg = topology.get().groupOf(t);
        reevaluate(tg, time, "tunnel " + t.id() + " " + state + (source == null ? "" : " (" + source + ")"));
        if (total != null) {
            Group g = group(tg);
            boolean watching = g.phase == GroupPhase.FAILING_OVER && t.role() == TunnelRole.BACKUP
                    || g.phase == GroupPhase.FAILING_BACK && t.role() == TunnelRole.PRIMARY;
            Long base = g.baseline.get(t.id());
            if (watching && base != null && total - base >= settings.backupTrafficBytes()) {
                complete(tg, t, CompletedBy.TRAFFIC, time);
            } else if (g.phase == GroupPhase.ON_BACKUP && t.role() == TunnelRole.BACKUP && base != null
                    && total - base >= settings.backupTrafficBytes()) {
                refineEnd(tg, g, t, CompletedBy.TRAFFIC, time, false);
            } else if (watching && (base == null || total < base)) {
                g.baseline.put(t.id(), total);
            }
            s.bytes = total;
        }
    }

    void sessionChanged(SessionKey k, Instant time) {
        Tunnel t = topology.get().tunnelOf(k);
        if (t != null) {
            Boolean up = sessions.established(k);
            reevaluate(topology.get().groupOf(t), time, "BGP session " + SessionDetector.describe(k)
                    + (Boolean.TRUE.equals(up) ? " established" : " down"));
        }
    }

    void circuitChanged(String circuit, Instant time) {
        for (TunnelGroup g : topology.get().groups.values()) {
            if (g.tunnels().stream().anyMatch(t -> circuit.equals(t.circuit()))) {
                reevaluate(g, time, "circuit " + circuit + (circuitDown.test(circuit) ? " down" : " up"));
            }
        }
    }

    /**
     * Sessions from before a restart were taken as already so: derives, without a signal or a
     * measurement, the state of every group still UNKNOWN as if it had been followed all along.
     * Tunnel statuses become current; a primary UP makes the group NORMAL; a primary DOWN with a
     * backup UP makes it ON_BACKUP on the first such backup (inventory order), the steady state after
     * a failover; every tunnel DOWN marks the group all down without raising IpsecTunnelGroupDown (a
     * later tunnel UP then resolves nothing). A group already followed live is left to its next input.
     */
    void restored() {
        for (TunnelGroup tg : topology.get().groups.values()) {
            Group g = group(tg);
            if (g.phase != GroupPhase.UNKNOWN) {
                continue;
            }
            Tunnel primary = Topology.primary(tg);
            Tunnel backupUp = null;
            boolean allDown = !tg.tunnels().isEmpty();
            for (Tunnel t : tg.tunnels()) {
                TunnelState s = ts(t);
                s.status = status(t);
                allDown &= s.status == TunnelStatus.DOWN;
                if (backupUp == null && t.role() == TunnelRole.BACKUP && s.status == TunnelStatus.UP) {
                    backupUp = t;
                }
            }
            TunnelStatus p = primary == null ? TunnelStatus.UNKNOWN : ts(primary).status;
            if (p == TunnelStatus.UP) {
                g.phase = GroupPhase.NORMAL;
            } else if (p == TunnelStatus.DOWN && backupUp != null) {
                g.phase = GroupPhase.ON_BACKUP;
                g.backupInUse = backupUp.id();
            }
            if (allDown) {
                g.allDown = true;
            }
        }
    }

    /** A best-path change on {@code router}: evidence of which tunnel carries traffic. */
    void route(String router, RouteDelta d, Instant time) {
        Tunnel t = topology.get().tunnelVia(router, d.vrf(), d.newBest());
        if (t == null) {
            return;
        }
        TunnelGroup tg = topology.get().groupOf(t);
        Group g = group(tg);
        Tunnel primary = Topology.primary(tg);
        boolean offPrimary = primary != null && topology.get().tunnelVia(router, d.vrf(), d.oldBest()) == primary;
        if (t.role() == TunnelRole.BACKUP && g.phase == GroupPhase.FAILING_OVER) {
            if (primarySessionUpAt(primary, time) && !d.newBest().isReported()
                    && (d.oldBest() == null || d.reason() == BestPathReason.ONLY_PATH && offPrimary)) {
                // the primary's session still stands (its hold timer running) and the router still
                // forwards over it: a prefix new to the router heard only over the backup, or one the
                // primary's live session withdrew (a prefix flapping during the cut), is not the
                // traffic moving
                return;
            }
            if (time.isBefore(g.inProgress.start())) {
                // a change from before the failure (a prefix flapping; the other channel lagging)
                return;
            }
            g.flushed = offPrimary && primarySessionDown(primary);
            complete(tg, t, CompletedBy.ROUTE, time);
        } else if (t.role() == TunnelRole.BACKUP && g.phase == GroupPhase.ON_BACKUP) {
            refineEnd(tg, g, t, CompletedBy.ROUTE, time, offPrimary && primarySessionDown(primary));
        } else if (t.role() == TunnelRole.PRIMARY && t.circuit() != null && circuitDown.test(t.circuit())) {
            // a stale path of the primary's session, still in the table while its hold timer runs over a
            // circuit that is down, became best because another path changed (a prefix flapping during
            // the cut): no recovery
            return;
        } else if (t.role() == TunnelRole.PRIMARY && g.phase == GroupPhase.FAILING_OVER) {
            abandon(tg, g, time);
        } else if (t.role() == TunnelRole.PRIMARY && g.phase == GroupPhase.ON_BACKUP) {
            g.phase = GroupPhase.FAILING_BACK;
            g.inProgress = new Switchover(time, "best path via " + t.id() + " again", g.backupInUse, null, null,
                    null, null);
            complete(tg, t, CompletedBy.ROUTE, time);
        } else if (t.role() == TunnelRole.PRIMARY && g.phase == GroupPhase.FAILING_BACK) {
            complete(tg, t, CompletedBy.ROUTE, time);
        }
    }

    /**
     * Whether the primary's session is known down: a best-path change off the primary is then the
     * flush of the closed session's paths, and the router selects the remaining path after the close
     * by a delay of its own that BMP does not show.
     */
    private boolean primarySessionDown(Tunnel primary) {
        return primary.session() != null
                && Boolean.FALSE.equals(sessions.established(Topology.key(primary.session())));
    }

    /**
     * The longest a failover from {@code sw}'s start to {@code end} can have taken: {@code end - start};
     * when the start is only bounded (BGP the only witness) and the close's flush completed it, plus the
     * time the router may still have needed to select the remaining path
     * ({@code pathSelectionAllowance}), so that the interval holds the routers' own figure.
     */
    private Duration longest(Instant start, Instant startLatest, Instant end, boolean flushed) {
        Duration d = nonNegative(start, end);
        return startLatest != null && flushed ? d.plus(settings.pathSelectionAllowance()) : d;
    }

    /** The primary's BGP session was established at event time {@code t} (see {@link SessionDetector#establishedAt}). */
    private boolean primarySessionUpAt(Tunnel primary, Instant t) {
        return primary != null && primary.session() != null
                && sessions.establishedAt(Topology.key(primary.session()), t);
    }

    /**
     * True while a tunnel group is converging: its primary has never been seen up, or its primary's
     * BGP session has never been established (a router joining: the tunnel may be up and the backup's
     * session established first). A best path on its backup is then no failover yet.
     */
    boolean converging(TunnelGroup tg) {
        Group g = groups.get(tg.id());
        if (g == null || g.phase == GroupPhase.UNKNOWN) {
            return true;
        }
        Tunnel primary = Topology.primary(tg);
        return primary != null && primary.session() != null
                && sessions.established(Topology.key(primary.session())) == null;
    }

    /** Current effective status of a tunnel (see {@link TunnelStatus}). */
    TunnelStatus status(Tunnel t) {
        TunnelState s = tunnels.get(t.id());
        String reported = s == null ? null : s.reported;
        Boolean session = t.session() == null ? null : sessions.established(Topology.key(t.session()));
        if ("down".equals(reported) || Boolean.FALSE.equals(session)
                || t.circuit() != null && circuitDown.test(t.circuit())) {
            return TunnelStatus.DOWN;
        }
        return "up".equals(reported) || Boolean.TRUE.equals(session) ? TunnelStatus.UP : TunnelStatus.UNKNOWN;
    }

    private void reevaluate(TunnelGroup tg, Instant time, String cause) {
        Group g = group(tg);
        Tunnel primary = Topology.primary(tg);
        boolean anyUp = false;
        boolean allDown = !tg.tunnels().isEmpty();
        TunnelStatus primaryBefore = TunnelStatus.UNKNOWN;
        for (Tunnel t : tg.tunnels()) {
            TunnelState s = ts(t);
            if (t == primary) {
                primaryBefore = s.status;
            }
            s.status = status(t);
            anyUp |= s.status == TunnelStatus.UP;
            allDown &= s.status == TunnelStatus.DOWN;
        }
        TunnelStatus p = primary == null ? TunnelStatus.UNKNOWN : ts(primary).status;
        if (primaryBefore == TunnelStatus.DOWN && p == TunnelStatus.DOWN) {
            refineStart(tg, g, primary);
        }
        if (primaryBefore == TunnelStatus.UP && p == TunnelStatus.DOWN) {
            if (g.phase == GroupPhase.NORMAL) {
                startFailover(tg, g, primary, time, cause);
            } else if (g.phase == GroupPhase.FAILING_BACK) {
                g.phase = GroupPhase.ON_BACKUP;
                g.inProgress = null;
            }
        } else if (primaryBefore != TunnelStatus.UP && p == TunnelStatus.UP) {
            if (g.phase == GroupPhase.UNKNOWN) {
                g.phase = GroupPhase.NORMAL;
            } else if (g.phase == GroupPhase.FAILING_OVER) {
                abandon(tg, g, time);
            } else if (g.phase == GroupPhase.ON_BACKUP) {
                g.phase = GroupPhase.FAILING_BACK;
                g.inProgress = new Switchover(time, cause, g.backupInUse, null, null, null, null);
                g.baseline.clear();
                Long b = ts(primary).bytes;
                if (b != null) {
                    g.baseline.put(primary.id(), b);
                }
            }
        }
        Map<String, String> labels = labels(tg);
        if (allDown && !g.allDown) {
            g.allDown = true;
            List<String> ids = tg.tunnels().stream().map(Tunnel::id).toList();
            book.fire(SignalType.IPSEC_TUNNEL_GROUP_DOWN, Severity.CRITICAL, labels,
                    tg.id() + ": all " + ids.size() + " tunnels down (" + String.join(", ", ids)
                            + "); traffic has no path; last: " + cause,
                    Map.of("cause", cause, "tunnels", String.join(",", ids)), time);
        } else if (anyUp && g.allDown) {
            g.allDown = false;
            book.resolveHeld(SignalType.IPSEC_TUNNEL_GROUP_DOWN, labels, time, Map.of("cause", cause), holdDown);
        }
    }

    private void startFailover(TunnelGroup tg, Group g, Tunnel primary, Instant time, String cause) {
        g.phase = GroupPhase.FAILING_OVER;
        Evidence e = evidence(primary);
        g.inProgress = e == null ? new Switchover(time, cause, primary.id(), null, null, null, null)
                : new Switchover(e.earliest(), cause, primary.id(), null, null, null, null,
                e.exact() ? null : e.latest(), e.kind().wire());
        g.baseline.clear();
        for (Tunnel t : tg.tunnels()) {
            Long b = ts(t).bytes;
            if (t.role() == TunnelRole.BACKUP && b != null) {
                g.baseline.put(t.id(), b);
            }
        }
        slow.schedule(tg.id(), clock.instant().plus(topology.get().objective(tg)));
    }

    /**
     * Every piece of evidence that the primary is down, combined: its reported tunnel state, its BGP
     * session's close, its circuit's outage. Null when none dates it.
     */
    private Evidence evidence(Tunnel primary) {
        List<Evidence> all = new ArrayList<>();
        TunnelState s = tunnels.get(primary.id());
        if (s != null && "down".equals(s.reported) && s.reportedDownAt != null) {
            all.add(Evidence.at(Evidence.Kind.TUNNEL, s.reportedDownAt));
        }
        if (primary.session() != null) {
            all.add(sessions.downEvidence(Topology.key(primary.session())));
        }
        if (primary.circuit() != null) {
            all.add(circuitEvidence.apply(primary.circuit()));
        }
        return Evidence.combine(all);
    }

    /**
     * New evidence while the primary stays down: a failover in progress, or the last one completed
     * on this outage, starts from the combined evidence when that dates the failure earlier (or
     * narrows a bounded start). A completed one is measured again and its IpsecFailover refined.
     */
    private void refineStart(TunnelGroup tg, Group g, Tunnel primary) {
        Switchover sw = g.phase == GroupPhase.FAILING_OVER ? g.inProgress
                : g.phase == GroupPhase.ON_BACKUP ? g.lastFailover : null;
        Evidence e = sw == null ? null : evidence(primary);
        if (e == null) {
            return;
        }
        Instant latest = e.exact() ? null : e.latest();
        Instant oldLatest = sw.startLatest() == null ? sw.start() : sw.startLatest();
        boolean earlier = e.latest().isBefore(oldLatest);
        boolean narrower = !earlier && e.latest().equals(oldLatest) && e.earliest().isAfter(sw.start());
        if (!earlier && !narrower) {
            return;
        }
        if (sw.end() == null) {
            g.inProgress = new Switchover(e.earliest(), sw.cause(), sw.from(), null, null, null, null, latest,
                    e.kind().wire());
            return;
        }
        if (sw.completedBy() == CompletedBy.ABANDONED || sw.to() == null) {
            return;
        }
        g.lastFailover = new Switchover(e.earliest(), sw.cause(), sw.from(), sw.to(), sw.end(),
                longest(e.earliest(), latest, sw.end(), g.flushed), sw.completedBy(), latest, e.kind().wire());
        if (book.isFiring(SignalType.IPSEC_FAILOVER, labels(tg))) {
            fireFailover(tg, g.lastFailover, topology.get().objective(tg));
        }
    }

    private void abandon(TunnelGroup tg, Group g, Instant time) {
        Switchover sw = g.inProgress;
        g.lastFailover = new Switchover(sw.start(), sw.cause(), sw.from(), null, time, nonNegative(sw.start(), time),
                CompletedBy.ABANDONED);
        g.inProgress = null;
        g.phase = GroupPhase.NORMAL;
        slow.cancel(tg.id());
        metrics.failoverMeasured(tg.id(), g.lastFailover, topology.get().objective(tg));
        book.resolve(SignalType.IPSEC_FAILOVER_SLOW, labels(tg), time,
                Map.of("cause", "primary recovered before a backup carried traffic"));
    }

    /** The target tunnel carries traffic: completes the failover (to a backup) or failback (to the primary). */
    private void complete(TunnelGroup tg, Tunnel to, CompletedBy by, Instant time) {
        Group g = group(tg);
        Switchover sw = g.inProgress;
        Duration took = nonNegative(sw.start(), time);
        Switchover done = new Switchover(sw.start(), sw.cause(), sw.from(), to.id(), time, took, by);
        g.inProgress = null;
        String secs = IncidentState.seconds(took);
        Map<String, String> labels = labels(tg);
        if (g.phase == GroupPhase.FAILING_BACK) {
            g.phase = GroupPhase.NORMAL;
            g.backupInUse = null;
            g.lastFailback = done;
            metrics.failbackMeasured(tg.id(), done);
            Map<String, String> extra = Map.of("failback_seconds", secs, "failback_completed_by", by.name().toLowerCase(Locale.ROOT));
            book.resolve(SignalType.IPSEC_FAILOVER, labels, time, extra);
            book.resolve(SignalType.IPSEC_FAILOVER_SLOW, labels, time, extra);
            return;
        }
        Duration objective = topology.get().objective(tg);
        g.phase = GroupPhase.ON_BACKUP;
        g.backupInUse = to.id();
        if (by != CompletedBy.ROUTE) {
            g.flushed = false;
        }
        took = longest(sw.start(), sw.startLatest(), time, g.flushed);
        secs = IncidentState.seconds(took);
        done = new Switchover(sw.start(), sw.cause(), sw.from(), to.id(), time, took, by, sw.startLatest(), sw.clock());
        g.lastFailover = done;
        slow.cancel(tg.id());
        metrics.failoverMeasured(tg.id(), done, objective);
        Map<String, String> ann = fireFailover(tg, done, objective);
        if (took.compareTo(objective) <= 0) {
            book.resolve(SignalType.IPSEC_FAILOVER_SLOW, labels, time, Map.of("failover_seconds", secs,
                    "cause", "completed within the objective by event time (events arrived late)"));
        } else {
            book.fire(SignalType.IPSEC_FAILOVER_SLOW, Severity.MAJOR, labels,
                    tg.id() + " failover took " + took(done) + " s, over its " + IncidentState.seconds(objective)
                            + " s objective; now on " + to.id() + "; cause: " + sw.cause(),
                    ann, sw.start().plus(objective));
        }
    }

    /**
     * Evidence that the backup carried traffic, seen after the failover completed but dated earlier
     * than its end (the other Kafka channel lagging): the failover ended then. Measured again, its
     * IpsecFailover refined in place.
     */
    private void refineEnd(TunnelGroup tg, Group g, Tunnel to, CompletedBy by, Instant time, boolean flushed) {
        Switchover sw = g.lastFailover;
        if (sw == null || sw.end() == null || sw.completedBy() == CompletedBy.ABANDONED
                || !time.isBefore(sw.end()) || time.isBefore(sw.startLatest() == null ? sw.start() : sw.startLatest())) {
            return;
        }
        g.flushed = flushed;
        g.lastFailover = new Switchover(sw.start(), sw.cause(), sw.from(), to.id(), time,
                longest(sw.start(), sw.startLatest(), time, flushed), by, sw.startLatest(), sw.clock());
        if (book.isFiring(SignalType.IPSEC_FAILOVER, labels(tg))) {
            fireFailover(tg, g.lastFailover, topology.get().objective(tg));
        }
    }

    /** {@code 6.3-9.3} for a bounded failover, {@code 9.2} for an exact one. */
    static String took(Switchover sw) {
        return sw.bounded() ? IncidentState.seconds(sw.minDuration()) + "-" + IncidentState.seconds(sw.duration())
                : IncidentState.seconds(sw.duration());
    }

    /** Raises (or refines) IpsecFailover for a completed failover; returns its annotations. */
    private Map<String, String> fireFailover(TunnelGroup tg, Switchover done, Duration objective) {
        Map<String, String> ann = new LinkedHashMap<>();
        ann.put("failover_seconds", IncidentState.seconds(done.duration()));
        if (done.bounded()) {
            ann.put("failover_min_seconds", IncidentState.seconds(done.minDuration()));
            ann.put("failover_max_seconds", IncidentState.seconds(done.duration()));
        }
        if (done.clock() != null) {
            ann.put("failover_clock", done.clock());
        }
        ann.put("objective_seconds", IncidentState.seconds(objective));
        ann.put("from", done.from());
        ann.put("to", done.to());
        ann.put("cause", done.cause());
        ann.put("completed_by", done.completedBy().name().toLowerCase(Locale.ROOT));
        ann.put("failover_started", done.start().toString());
        if (done.bounded()) {
            ann.put("failover_started_latest", done.startLatest().toString());
        }
        String how = done.completedBy() == CompletedBy.ROUTE ? "best path via it" : "traffic on it";
        String clockText = !done.bounded() ? ""
                : "; BGP was the only evidence: " + ("bgp-local-close".equals(done.clock())
                        ? "the router closed its session without saying why (perhaps its hold timer"
                        + sessionTimers(tg) + ")" : "its session closed by hold-timer expiry" + sessionTimers(tg))
                + ", so traffic had no path for between " + IncidentState.seconds(done.minDuration()) + " and "
                + IncidentState.seconds(done.duration()) + " s"
                + (groups.get(tg.id()).flushed && !settings.pathSelectionAllowance().isZero()
                ? " (with up to " + IncidentState.seconds(settings.pathSelectionAllowance())
                + " s the router may take to select the backup after the close)" : "");
        book.fire(SignalType.IPSEC_FAILOVER, Severity.WARNING, labels(tg),
                tg.id() + " failed over from " + done.from() + " to " + done.to() + " in " + took(done)
                        + " s (objective " + IncidentState.seconds(objective) + " s, " + how + "); cause: "
                        + done.cause() + clockText, ann, done.end());
        return ann;
    }

    private String sessionTimers(TunnelGroup tg) {
        Tunnel primary = Topology.primary(tg);
        String t = primary == null || primary.session() == null ? ""
                : sessions.timersText(Topology.key(primary.session()));
        return t.isEmpty() ? "" : " (" + t + ")";
    }

    /** Raises {@code IpsecFailoverSlow} for failovers not complete by their objective. */
    void tick(Instant now) {
        for (String id : slow.due(now)) {
            TunnelGroup tg = topology.get().group(id);
            Group g = groups.get(id);
            if (tg == null || g == null || g.phase != GroupPhase.FAILING_OVER) {
                continue;
            }
            Switchover sw = g.inProgress;
            Duration objective = topology.get().objective(tg);
            Map<String, String> ann = new LinkedHashMap<>();
            ann.put("objective_seconds", IncidentState.seconds(objective));
            ann.put("from", sw.from());
            ann.put("cause", sw.cause());
            ann.put("failover_started", sw.start().toString());
            book.fire(SignalType.IPSEC_FAILOVER_SLOW, Severity.MAJOR, labels(tg),
                    tg.id() + " failover not complete after its " + IncidentState.seconds(objective)
                            + " s objective: no backup carries traffic since " + sw.from() + " went down; cause: "
                            + sw.cause(), ann, sw.start().plus(objective));
        }
    }

    Optional<Instant> nextDeadline() {
        return slow.next();
    }

    TunnelGroupView view(TunnelGroup tg, java.util.function.Function<String, Instant> staleSince) {
        Group g = groups.getOrDefault(tg.id(), new Group());
        List<TunnelGroupView.TunnelView> list = new ArrayList<>();
        for (Tunnel t : tg.tunnels()) {
            TunnelState s = tunnels.get(t.id());
            list.add(new TunnelGroupView.TunnelView(t.id(), t.role(), t.circuit(), status(t),
                    s == null ? null : s.reported, s == null ? null : s.bytes, t.router(),
                    staleSince.apply(t.router())));
        }
        Tunnel primary = Topology.primary(tg);
        String carrying = g.allDown ? null : switch (g.phase) {
            case NORMAL -> primary == null ? null : primary.id();
            case ON_BACKUP, FAILING_BACK -> g.backupInUse;
            default -> null;
        };
        return new TunnelGroupView(tg.id(), topology.get().objective(tg), g.phase, carrying, g.allDown, list,
                g.inProgress, g.lastFailover, g.lastFailback);
    }

    static Map<String, String> labels(TunnelGroup tg) {
        return Map.of("tunnel_group", tg.id());
    }

    private static Duration nonNegative(Instant from, Instant to) {
        Duration d = Duration.between(from, to);
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** Every tunnel's and group's state and the failover objectives, for a checkpoint. */
    EngineState.Failovers checkpoint() {
        List<EngineState.TunnelEntry> ts = new ArrayList<>();
        new java.util.TreeMap<>(tunnels).forEach((id, s) -> ts.add(new EngineState.TunnelEntry(id, s.reported,
                s.reportedDownAt, s.bytes, s.status)));
        List<EngineState.GroupEntry> gs = new ArrayList<>();
        new java.util.TreeMap<>(groups).forEach((id, g) -> gs.add(new EngineState.GroupEntry(id, g.phase,
                g.backupInUse, g.allDown, g.inProgress, g.baseline, g.lastFailover, g.lastFailback, g.flushed)));
        return new EngineState.Failovers(ts, gs, slow.timers(id -> id));
    }

    /** Takes back a checkpoint's tunnels, groups and objectives; raises and measures nothing. */
    void restore(EngineState.Failovers state) {
        for (EngineState.TunnelEntry e : state.tunnels()) {
            TunnelState s = new TunnelState();
            s.reported = e.reported();
            s.reportedDownAt = e.reportedDownAt();
            s.bytes = e.bytes();
            s.status = e.status() == null ? TunnelStatus.UNKNOWN : e.status();
            tunnels.put(e.id(), s);
        }
        for (EngineState.GroupEntry e : state.groups()) {
            Group g = new Group();
            g.phase = e.phase();
            g.backupInUse = e.backupInUse();
            g.allDown = e.allDown();
            g.inProgress = e.inProgress();
            g.baseline.putAll(e.baseline());
            g.lastFailover = e.lastFailover();
            g.lastFailback = e.lastFailback();
            g.flushed = e.flushed();
            groups.put(e.id(), g);
        }
        slow.restore(state.slow(), id -> id);
    }
}
