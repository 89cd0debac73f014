package io.meshwatch.detect;

import io.meshwatch.inventory.Circuit;
import io.meshwatch.inventory.CircuitThresholds;
import io.meshwatch.inventory.Severity;
import io.meshwatch.network.SessionKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * {@code CircuitDown} and {@code CircuitDegraded}, and the circuit view.
 *
 * <p>Down holds while any of: its A-end interface is oper down ({@code down},
 * {@code lower_layer_down}, {@code not_present}); the last {@code downProbes} probe rounds each lost
 * at least {@code downLossPct}; every session on it that has been seen is down (at least one seen),
 * unless the circuit's own measurements show it healthy. It resolves when none holds. Degraded: some
 * measure (latest probe latency, jitter, loss; latest retransmit percentage) above its threshold
 * continuously for the dwell, <b>as its own measurements show it</b>: a family of measures (the
 * probe rounds that speak for the circuit; the TCP retransmit reports) is over from its first
 * measurement above a threshold until one that is not, and the circuit is degraded at the first
 * measurement of that family, still over, whose event time is at least the dwell after the streak
 * began. Never by a timer: a single round over the threshold followed by the next one (however late
 * it is processed: a consumer rebalance, a detection take-over that restores a checkpoint and replays
 * facts, a reporting interval equal to the dwell) is a blip, not a degradation. It clears only when
 * every measure is below {@code clearRatio} times its threshold, and is not raised (and is resolved)
 * while the circuit is down.
 *
 * <p><b>Underlay before overlay.</b> Probe rounds that name the circuit measure the circuit itself
 * (the underlay); rounds through a tunnel over it and the BGP sessions on it (often the sessions
 * inside such tunnels) measure what rides it (the overlay), which also fails when only a tunnel or a
 * session does. So: while the underlay's rounds are current (the latest is no older than
 * {@code downProbes + 1} of their intervals), they alone are the circuit's probes and tunnel rounds
 * are ignored; tunnel rounds stand in only for a circuit with no current underlay rounds. And the
 * sessions being down counts as a reason only when the underlay is not shown healthy, that is unless
 * the A-end interface is not down and the current underlay round lost less than {@code downLossPct}.
 * A tunnel failing over a circuit whose interface is up and whose probes are answered is the tunnel
 * group's failover, not a circuit outage.
 */
final class CircuitDetector {

    private static final Set<String> OPER_DOWN = Set.of("down", "lower_layer_down", "not_present");

    /** Mutable state of one circuit. */
    private static final class State {
        Boolean ifaceDown;
        String ifaceStatus;
        /** When the A-end interface went down (event time), while it is down. */
        Instant ifaceDownAt;
        final Rounds underlay = new Rounds();
        final Rounds overlay = new Rounds();
        /** The rounds that speak for the circuit: the underlay's while current, else the overlay's. */
        Rounds probes = underlay;
        Double retransmitPct;
        CircuitView.Counters counters;
        boolean heard;
        boolean down;
        List<String> downReasons = List.of();
        /** Whether "all its sessions down" is among the current reasons. */
        boolean sessionsReason;
        boolean degraded;
        /** Event time of the first measurement of the current over-threshold streak, per family; null when none. */
        Instant probesOverSince;
        Instant retransmitsOverSince;
        CircuitState state = CircuitState.UNKNOWN;
        Instant since;
    }

    /** Probe rounds of one kind (underlay or overlay) on a circuit. */
    private static final class Rounds {
        CircuitView.Probe latest;
        /** Time between the latest two rounds, null until two were seen. */
        Duration interval;
        int lossRounds;
        /** The first lost round of the current streak, and the last round before it that was answered. */
        Instant streakStart;
        Instant lastAnswered;

        void add(CircuitView.Probe p, double downLossPct) {
            if (latest != null && p.time().isAfter(latest.time())) {
                interval = Duration.between(latest.time(), p.time());
            }
            if (p.lossPct() >= downLossPct) {
                if (lossRounds == 0) {
                    streakStart = p.time();
                }
                lossRounds++;
            } else {
                lossRounds = 0;
                streakStart = null;
                lastAnswered = p.time();
            }
            latest = p;
        }

        /** The latest round is recent at {@code t}: no more than {@code downProbes + 1} intervals old. */
        boolean current(Instant t, int downProbes) {
            return latest != null && interval != null
                    && !t.isAfter(latest.time().plus(interval.multipliedBy(downProbes + 1L)));
        }
    }

    private final Clock clock;
    private final SignalBook book;
    private final Supplier<Topology> topology;
    private final SessionDetector sessions;
    private final BiConsumer<String, Instant> downChanged;
    private final Duration holdDown;
    private final Map<String, State> circuits = new HashMap<>();

    /** What the input being judged measured: a family of measures, or nothing a degradation is judged by. */
    private enum Measured { PROBES, RETRANSMITS, NONE }

    /**
     * @param downChanged called with the circuit id and event time when the circuit goes down or comes back
     * @param holdDown    how long CircuitDown stays firing after its last reason cleared (see {@link SignalBook})
     */
    CircuitDetector(Clock clock, SignalBook book, Supplier<Topology> topology, SessionDetector sessions,
                    BiConsumer<String, Instant> downChanged, Duration holdDown) {
        this.clock = clock;
        this.holdDown = holdDown;
        this.book = book;
        this.topology = topology;
        this.sessions = sessions;
        this.downChanged = downChanged;
    }

    private State state(String id) {
        return circuits.computeIfAbsent(id, k -> new State());
    }

    /** Drops the state of circuits no longer in the inventory. */
    void retain(Set<String> ids) {
        circuits.keySet().retainAll(ids);
    }

    void interfaceState(Circuit c, String oper, Instant time) {
        State s = state(c.id());
        if ("up".equals(oper)) {
            s.ifaceDown = false;
            s.ifaceDownAt = null;
        } else if (OPER_DOWN.contains(oper)) {
            if (!Boolean.TRUE.equals(s.ifaceDown) || s.ifaceDownAt == null) {
                s.ifaceDownAt = time;
            }
            s.ifaceDown = true;
        } else {
            return;
        }
        s.ifaceStatus = oper;
        s.heard = true;
        evaluate(c, time, Measured.NONE);
    }

    void counters(Circuit c, CircuitView.Counters counters) {
        state(c.id()).counters = counters;
    }

    /**
     * A probe round on the circuit: {@code underlay} when it names the circuit itself, not when it
     * went through a tunnel that rides it.
     */
    void probe(Circuit c, CircuitView.Probe p, boolean underlay) {
        State s = state(c.id());
        CircuitThresholds th = topology.get().thresholds(c);
        (underlay ? s.underlay : s.overlay).add(p, th.downLossPct());
        Rounds speaking = s.probes;
        s.probes = s.underlay.current(p.time(), th.downProbes()) || s.overlay.latest == null ? s.underlay
                : s.overlay;
        if (s.probes != speaking) {
            s.probesOverSince = null; // another series of rounds speaks: its streak starts with it
        }
        s.heard = true;
        if (underlay || s.probes == s.overlay) {
            evaluate(c, p.time(), Measured.PROBES);
        }
    }

    void retransmits(Circuit c, double pct, Instant time) {
        State s = state(c.id());
        s.retransmitPct = pct;
        s.heard = true;
        evaluate(c, time, Measured.RETRANSMITS);
    }

    /** A session on the circuit changed between established and not. */
    void sessionChanged(Circuit c, Instant time) {
        state(c.id()).heard = true;
        evaluate(c, time, Measured.NONE);
    }

    /**
     * When the failure that took the circuit down began, from the reasons it is down for (see
     * {@link Evidence#combine}): the interface's going down, the first round of the losing streak
     * (after the last answered one), the sessions' own evidence. Null while it is not down.
     */
    Evidence downEvidence(String circuit) {
        State s = circuits.get(circuit);
        Circuit c = topology.get().circuit(circuit);
        if (s == null || !s.down || c == null) {
            return null;
        }
        List<Evidence> all = new ArrayList<>();
        if (Boolean.TRUE.equals(s.ifaceDown) && s.ifaceDownAt != null) {
            all.add(Evidence.at(Evidence.Kind.INTERFACE, s.ifaceDownAt));
        }
        Rounds r = s.probes;
        if (r.lossRounds >= topology.get().thresholds(c).downProbes() && r.streakStart != null) {
            all.add(new Evidence(Evidence.Kind.CIRCUIT_PROBES,
                    r.lastAnswered != null && r.lastAnswered.isBefore(r.streakStart) ? r.lastAnswered : r.streakStart,
                    r.streakStart));
        }
        if (s.sessionsReason) {
            for (SessionKey k : topology.get().sessionsOf(circuit)) {
                all.add(sessions.downEvidence(k));
            }
        }
        return Evidence.combine(all);
    }

    boolean isDown(String circuit) {
        State s = circuits.get(circuit);
        return s != null && s.down;
    }

    private void evaluate(Circuit c, Instant time, Measured measured) {
        State s = state(c.id());
        List<String> reasons = downReasons(c, s, time);
        if (!reasons.isEmpty()) {
            boolean wasDown = s.down;
            s.down = true;
            s.downReasons = reasons;
            if (!wasDown) {
                s.probesOverSince = null;
                s.retransmitsOverSince = null;
                s.degraded = false;
                book.resolve(SignalType.CIRCUIT_DEGRADED, labels(c), time, Map.of("cause", "circuit down"));
            }
            Map<String, String> ann = describe(c);
            ann.put("cause", String.join("; ", reasons));
            // started when its evidence shows the failure had certainly begun (the first lost probe round,
            // the interface's going down), never later than this input
            Evidence e = downEvidence(c.id());
            Instant started = e != null && e.latest().isBefore(time) ? e.latest() : time;
            book.fire(SignalType.CIRCUIT_DOWN, topology.get().groupsOn(c.id()).isEmpty() ? Severity.CRITICAL
                    : Severity.MAJOR, labels(c), name(c) + " down: " + String.join("; ", reasons), ann, started);
            if (!wasDown) {
                downChanged.accept(c.id(), time);
            }
        } else if (s.down) {
            s.down = false;
            s.downReasons = List.of();
            book.resolveHeld(SignalType.CIRCUIT_DOWN, labels(c), time, Map.of(), holdDown);
            downChanged.accept(c.id(), time);
        }
        if (!s.down) {
            evaluateDegraded(c, s, time, measured);
        }
        updateState(s);
    }

    private List<String> downReasons(Circuit c, State s, Instant time) {
        List<String> reasons = new ArrayList<>();
        if (Boolean.TRUE.equals(s.ifaceDown)) {
            reasons.add("interface " + c.a().router() + " " + c.a().iface() + " oper-"
                    + ("down".equals(s.ifaceStatus) ? "down" : s.ifaceStatus));
        }
        CircuitThresholds th = topology.get().thresholds(c);
        int seen = 0;
        int down = 0;
        for (SessionKey k : topology.get().sessionsOf(c.id())) {
            Boolean up = sessions.established(k);
            if (up != null) {
                seen++;
                down += up ? 0 : 1;
            }
        }
        s.sessionsReason = seen > 0 && down == seen && !underlayHealthy(s, th, time);
        if (s.sessionsReason) {
            reasons.add(seen == 1 ? "its BGP session is down" : "all " + seen + " BGP sessions on it down");
        }
        if (s.probes.lossRounds >= th.downProbes()) {
            reasons.add(String.format(Locale.ROOT, "probe loss >= %s%% for %d consecutive rounds%s",
                    num(th.downLossPct()), s.probes.lossRounds, s.probes == s.overlay ? " through its tunnels" : ""));
        }
        return reasons;
    }

    /**
     * The circuit's own measurements say it carries traffic at {@code time}: its A-end interface is
     * not down and its current underlay probe round lost less than {@code downLossPct}.
     */
    private static boolean underlayHealthy(State s, CircuitThresholds th, Instant time) {
        return !Boolean.TRUE.equals(s.ifaceDown) && s.underlay.current(time, th.downProbes())
                && s.underlay.latest.lossPct() < th.downLossPct();
    }

    private void evaluateDegraded(Circuit c, State s, Instant time, Measured measured) {
        CircuitThresholds th = topology.get().thresholds(c);
        if (s.degraded) {
            if (allClear(s, th)) {
                s.degraded = false;
                s.probesOverSince = null;
                s.retransmitsOverSince = null;
                book.resolve(SignalType.CIRCUIT_DEGRADED, labels(c), time, Map.of());
            }
            return;
        }
        Instant since;
        if (measured == Measured.PROBES) {
            s.probesOverSince = overProbes(s, th).isEmpty() ? null : s.probesOverSince == null ? time : s.probesOverSince;
            since = s.probesOverSince;
        } else if (measured == Measured.RETRANSMITS) {
            s.retransmitsOverSince = overRetransmits(s, th).isEmpty() ? null
                    : s.retransmitsOverSince == null ? time : s.retransmitsOverSince;
            since = s.retransmitsOverSince;
        } else {
            return; // nothing measured: no streak starts, ends or is confirmed
        }
        if (since != null && !time.isBefore(since.plus(th.dwell()))) {
            fireDegraded(c, s, over(s, th), since);
        }
    }

    private void fireDegraded(Circuit c, State s, List<String> over, Instant since) {
        s.degraded = true;
        Map<String, String> ann = describe(c);
        ann.put("cause", String.join("; ", over));
        ann.put("dwell_seconds", Long.toString(topology.get().thresholds(c).dwell().toSeconds()));
        book.fire(SignalType.CIRCUIT_DEGRADED, Severity.MINOR, labels(c),
                name(c) + " degraded: " + String.join(", ", over), ann, since);
    }

    /** Every measure over its threshold now (the latest of each), as the cause reads them. */
    private static List<String> over(State s, CircuitThresholds th) {
        List<String> out = overProbes(s, th);
        out.addAll(overRetransmits(s, th));
        return out;
    }

    private static List<String> overProbes(State s, CircuitThresholds th) {
        List<String> out = new ArrayList<>();
        CircuitView.Probe p = s.probes.latest;
        if (p != null) {
            above(out, "latency", p.latencyMs(), th.latencyMs(), " ms");
            above(out, "jitter", p.jitterMs(), th.jitterMs(), " ms");
            above(out, "loss", p.lossPct(), th.lossPct(), "%");
        }
        return out;
    }

    private static List<String> overRetransmits(State s, CircuitThresholds th) {
        List<String> out = new ArrayList<>();
        if (s.retransmitPct != null) {
            above(out, "retransmits", s.retransmitPct, th.retransmitPct(), "%");
        }
        return out;
    }

    private static void above(List<String> out, String what, double value, Double threshold, String unit) {
        if (threshold != null && value > threshold) {
            out.add(what + " " + num(value) + unit + " > " + num(threshold) + unit);
        }
    }

    private static boolean allClear(State s, CircuitThresholds th) {
        double r = th.clearRatio();
        boolean clear = true;
        CircuitView.Probe p = s.probes.latest;
        if (p != null) {
            clear = below(p.latencyMs(), th.latencyMs(), r) && below(p.jitterMs(), th.jitterMs(), r)
                    && below(p.lossPct(), th.lossPct(), r);
        }
        return clear && (s.retransmitPct == null || below(s.retransmitPct, th.retransmitPct(), r));
    }

    private static boolean below(double value, Double threshold, double ratio) {
        return threshold == null || value < threshold * ratio;
    }

    private void updateState(State s) {
        CircuitState next = s.down ? CircuitState.DOWN : s.degraded ? CircuitState.DEGRADED
                : s.heard ? CircuitState.UP : CircuitState.UNKNOWN;
        if (next != s.state) {
            s.state = next;
            s.since = clock.instant();
        }
    }

    CircuitView view(Circuit c) {
        State s = circuits.getOrDefault(c.id(), new State());
        List<String> reasons = s.down ? s.downReasons
                : s.degraded ? over(s, topology.get().thresholds(c)) : List.of();
        return new CircuitView(c.id(), c.kind(), c.provider(), s.state, s.since, reasons, s.probes.latest,
                s.retransmitPct,
                s.counters);
    }

    static Map<String, String> labels(Circuit c) {
        return Map.of("circuit", c.id());
    }

    private static Map<String, String> describe(Circuit c) {
        Map<String, String> ann = new LinkedHashMap<>();
        if (c.kind() != null) {
            ann.put("kind", c.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        if (c.provider() != null) {
            ann.put("provider", c.provider());
        }
        ann.put("a_end", c.a().router() + " " + c.a().iface());
        return ann;
    }

    static String name(Circuit c) {
        return "Circuit " + c.id() + (c.provider() == null ? "" : " (" + c.provider() + ")");
    }

    static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    /** Every circuit's state, for a checkpoint. */
    EngineState.Circuits checkpoint() {
        List<EngineState.CircuitEntry> list = new ArrayList<>();
        for (Map.Entry<String, State> e : new java.util.TreeMap<>(circuits).entrySet()) {
            State s = e.getValue();
            list.add(new EngineState.CircuitEntry(e.getKey(), s.ifaceDown, s.ifaceStatus, s.ifaceDownAt,
                    rounds(s.underlay), rounds(s.overlay), s.probes == s.overlay, s.retransmitPct, s.counters, s.heard,
                    s.down, s.downReasons, s.sessionsReason, s.degraded, s.probesOverSince, s.retransmitsOverSince,
                    s.state, s.since));
        }
        return new EngineState.Circuits(list);
    }

    private static EngineState.ProbeRounds rounds(Rounds r) {
        return new EngineState.ProbeRounds(r.latest, r.interval, r.lossRounds, r.streakStart, r.lastAnswered);
    }

    private static void rounds(Rounds r, EngineState.ProbeRounds from) {
        r.latest = from.latest();
        r.interval = from.interval();
        r.lossRounds = from.lossRounds();
        r.streakStart = from.streakStart();
        r.lastAnswered = from.lastAnswered();
    }

    /** Takes back a checkpoint's circuits; raises nothing. */
    void restore(EngineState.Circuits state) {
        for (EngineState.CircuitEntry e : state.circuits()) {
            State s = new State();
            s.ifaceDown = e.ifaceDown();
            s.ifaceStatus = e.ifaceStatus();
            s.ifaceDownAt = e.ifaceDownAt();
            rounds(s.underlay, e.underlay());
            rounds(s.overlay, e.overlay());
            s.probes = e.overlaySpeaks() ? s.overlay : s.underlay;
            s.retransmitPct = e.retransmitPct();
            s.counters = e.counters();
            s.heard = e.heard();
            s.down = e.down();
            s.downReasons = e.downReasons();
            s.sessionsReason = e.sessionsReason();
            s.degraded = e.degraded();
            s.probesOverSince = e.probesOverSince();
            s.retransmitsOverSince = e.retransmitsOverSince();
            s.state = e.state() == null ? CircuitState.UNKNOWN : e.state();
            s.since = e.since();
            circuits.put(e.id(), s);
        }
    }
}
