package io.meshwatch.detect;

import io.meshwatch.event.BgpState;
import io.meshwatch.event.DownCause;
import io.meshwatch.inventory.Severity;
import io.meshwatch.inventory.Tunnel;
import io.meshwatch.network.SessionKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * {@code BgpSessionDown} and {@code BgpSessionFlapping}, and the session view detection relies on.
 *
 * <p>Rules: events older than the newest applied to a session are ignored, as are restatements of
 * its current state. A transition is a change between established and not established (idle to
 * connect is none). Leaving established starts the down dwell (clock); re-establishing within it is
 * silent, after it resolves the signal. {@code flapTransitions} transitions within {@code flapWindow}
 * (event time) raise flapping, which resolves any firing down and suppresses downs until a clock
 * quiet period without transitions has passed; if the session is down then, the down fires.
 *
 * <p><b>Coming up.</b> A session first heard of in a state other than established (a router joining:
 * FRR reports every backward step of a session still trying to connect) has never been up: it is
 * coming up, not down. Until it is first established it counts as unknown wherever detection asks
 * ({@link #established} returns null), its first establishment is not a transition, and nothing
 * fires for it. A session that was up and is reported as coming up again ({@code cause: coming_up}:
 * its router rejoined the collector and reports it still connecting) is coming up again for up to
 * {@code convergence} (clock); if it is not established by then, it was down after all: it counts as
 * down from its report, with one transition and BgpSessionDown.
 *
 * <p><b>When it went down.</b> {@link #downEvidence} dates the failure behind a down: at the close,
 * or, for a close by hold-timer expiry with a known hold time, in the interval
 * {@code [close - hold, close - hold + keepalive]} (the peer's last message arrived one hold time
 * before the close, and the next one, due a keepalive later, never came), no earlier than the
 * session was established. A close the router did not explain ({@code local_close}: FRR 8.4 says
 * the same for a hold-timer expiry, a clear and a shutdown) is dated in
 * {@code [close - hold, close]}: it may have been the hold timer.
 */
final class SessionDetector {

    /** Mutable state of one session. */
    static final class State {
        final SessionKey key;
        long peerAs;
        BgpState state;
        Instant since;
        Instant lastEvent;
        long flaps;
        String reason;
        boolean flapping;
        /** Established at least once since first heard of (restored sessions count as such). */
        boolean everUp;
        /** When it last became established, or null. */
        Instant upSince;
        Integer holdTime;
        Integer keepalive;
        DownCause cause;
        Instant lastTransition;
        final Deque<Instant> transitions = new ArrayDeque<>();

        State(SessionKey key) {
            this.key = key;
        }

        boolean established() {
            return state == BgpState.ESTABLISHED;
        }
    }

    private final Clock clock;
    private final DetectionSettings settings;
    private final SignalBook book;
    private final Supplier<Topology> topology;
    private final Predicate<SessionKey> redundant;
    private final Map<SessionKey, State> sessions = new HashMap<>();
    private final Deadlines<SessionKey> dwell = new Deadlines<>();
    private final Deadlines<SessionKey> quiet = new Deadlines<>();
    /** Sessions that were up before their router rejoined, given {@code convergence} to come up again. */
    private final Deadlines<SessionKey> rejoin = new Deadlines<>();

    /**
     * @param redundant true when something else still carries a session's traffic (decided by the
     *                  engine: another tunnel of its group up, or another established session on the
     *                  same router to the same AS in the same VRF)
     */
    SessionDetector(Clock clock, DetectionSettings settings, SignalBook book, Supplier<Topology> topology,
                    Predicate<SessionKey> redundant) {
        this.clock = clock;
        this.settings = settings;
        this.book = book;
        this.topology = topology;
        this.redundant = redundant;
    }

    /**
     * Takes a session's state from before a restart as already so: it becomes known with its state,
     * since-time, newest event time (later stale events are ignored), peer AS, reason and the drops
     * counted so far, with no transition in the flap window, no timer started and no signal raised or
     * resolved. A session already known is left as it is (what the engine saw itself is newer).
     * Returns true when it was taken.
     */
    boolean restore(SessionKey key, long peerAs, BgpState state, String reason, Instant since, Instant lastEvent,
                    long flaps) {
        if (sessions.containsKey(key)) {
            return false;
        }
        State s = new State(key);
        s.peerAs = peerAs;
        s.state = state;
        s.since = since;
        s.lastEvent = lastEvent;
        s.reason = reason;
        s.flaps = flaps;
        s.everUp = true;
        s.upSince = state == BgpState.ESTABLISHED ? since : null;
        sessions.put(key, s);
        return true;
    }

    /**
     * Applies one state report; true when the session was new or changed between established and
     * not. {@code holdTime} and {@code keepalive} (seconds, null when unknown) are kept from the
     * reports that carry them; {@code cause} says why a down closed the session.
     */
    boolean apply(SessionKey key, long peerAs, BgpState state, String reason, Integer holdTime, Integer keepalive,
                  DownCause cause, Instant time) {
        State s = sessions.get(key);
        if (s == null) {
            s = new State(key);
            s.peerAs = peerAs;
            s.state = state;
            s.since = time;
            s.lastEvent = time;
            s.reason = reason;
            s.everUp = s.established();
            s.upSince = s.everUp ? time : null;
            timers(s, holdTime, keepalive);
            sessions.put(key, s);
            return true;
        }
        if (time.isBefore(s.lastEvent)) {
            return false;
        }
        s.lastEvent = time;
        s.peerAs = peerAs;
        timers(s, holdTime, keepalive);
        if (s.state == state) {
            return false;
        }
        boolean wasUp = s.established();
        s.state = state;
        s.since = time;
        s.reason = reason;
        boolean isUp = s.established();
        if (!isUp && cause == DownCause.COMING_UP && s.everUp) {
            // its router rejoined and reports it still connecting: coming up again, for a while
            s.everUp = false;
            s.cause = cause;
            dwell.cancel(key);
            rejoin.schedule(key, clock.instant().plus(settings.convergence()));
            return wasUp;
        }
        if (wasUp == isUp) {
            return false;
        }
        rejoin.cancel(key);
        if (isUp) {
            s.upSince = time;
            s.cause = null;
        } else {
            s.cause = cause;
        }
        if (!s.everUp) {
            // coming up: the first establishment of a session first heard of down is no transition
            s.everUp = true;
            return true;
        }
        if (wasUp) {
            s.flaps++;
        }
        transition(s, time);
        if (!isUp && !s.flapping) {
            if (settings.sessionDownDwell().isZero()) {
                fireDown(s);
            } else {
                dwell.schedule(key, clock.instant().plus(settings.sessionDownDwell()));
            }
        } else if (isUp) {
            dwell.cancel(key);
            book.resolve(SignalType.BGP_SESSION_DOWN, labels(key), time, Map.of());
        }
        return true;
    }

    private static void timers(State s, Integer holdTime, Integer keepalive) {
        if (holdTime != null) {
            s.holdTime = holdTime;
        }
        if (keepalive != null) {
            s.keepalive = keepalive;
        }
    }

    /**
     * When the failure behind a session's down began, or null when the session is not known to be
     * down (unknown, coming up, or established). See the class comment.
     */
    Evidence downEvidence(SessionKey key) {
        State s = sessions.get(key);
        if (s == null || !s.everUp || s.established()) {
            return null;
        }
        Integer hold = s.holdTime;
        if (s.cause == DownCause.HOLD_TIMER_EXPIRED && hold != null && hold > 0) {
            int keep = s.keepalive != null && s.keepalive > 0 ? Math.min(s.keepalive, hold) : Math.max(1, hold / 3);
            Instant earliest = s.since.minusSeconds(hold);
            Instant latest = s.since.minusSeconds(hold - keep);
            if (s.upSince != null && earliest.isBefore(s.upSince)) {
                earliest = s.upSince.isAfter(s.since) ? s.since : s.upSince;
            }
            return new Evidence(Evidence.Kind.BGP_HOLD_TIMER, earliest, latest.isBefore(earliest) ? earliest : latest);
        }
        if (s.cause == DownCause.LOCAL_CLOSE && hold != null && hold > 0) {
            Instant earliest = s.since.minusSeconds(hold);
            if (s.upSince != null && earliest.isBefore(s.upSince)) {
                earliest = s.upSince.isAfter(s.since) ? s.since : s.upSince;
            }
            return new Evidence(Evidence.Kind.BGP_LOCAL_CLOSE, earliest, s.since);
        }
        return Evidence.at(Evidence.Kind.BGP_SESSION, s.since);
    }

    /** The session's hold time and keepalive as known, for people: {@code hold time 9 s, keepalive 3 s}. */
    String timersText(SessionKey key) {
        State s = sessions.get(key);
        if (s == null || s.holdTime == null) {
            return "";
        }
        int hold = s.holdTime;
        int keep = s.keepalive != null && s.keepalive > 0 ? s.keepalive : Math.max(1, hold / 3);
        return "hold time " + hold + " s, keepalive " + keep + " s" + (s.keepalive == null ? " (a third)" : "");
    }

    private void transition(State s, Instant time) {
        s.lastTransition = time;
        s.transitions.addLast(time);
        Instant from = time.minus(settings.flapWindow());
        while (!s.transitions.isEmpty() && s.transitions.peekFirst().isBefore(from)) {
            s.transitions.removeFirst();
        }
        if (s.flapping) {
            quiet.schedule(s.key, clock.instant().plus(settings.flapQuiet()));
            return;
        }
        if (s.transitions.size() >= settings.flapTransitions()) {
            s.flapping = true;
            dwell.cancel(s.key);
            book.resolve(SignalType.BGP_SESSION_DOWN, labels(s.key), time, Map.of("cause", "session is flapping"));
            Map<String, String> ann = new LinkedHashMap<>();
            ann.put("transitions", Integer.toString(s.transitions.size()));
            ann.put("window_seconds", Long.toString(settings.flapWindow().toSeconds()));
            ann.put("flaps", Long.toString(s.flaps));
            book.fire(SignalType.BGP_SESSION_FLAPPING, Severity.MAJOR, labels(s.key),
                    "BGP session " + describe(s.key) + " flapping: " + s.transitions.size() + " up/down transitions in "
                            + human(settings.flapWindow()) + " (" + s.flaps + " drops so far)",
                    ann, s.transitions.peekFirst());
            quiet.schedule(s.key, clock.instant().plus(settings.flapQuiet()));
        }
    }

    /**
     * Fires due dwell and quiet timers. Returns the sessions whose rejoin period ended with them still
     * not established: they count as down from now on (BgpSessionDown fired), and the caller must let
     * the tunnels and circuits they ride know.
     */
    List<SessionKey> tick(Instant now) {
        List<SessionKey> down = new ArrayList<>();
        for (SessionKey k : rejoin.due(now)) {
            State s = sessions.get(k);
            if (s != null && !s.everUp && !s.established()) {
                s.everUp = true;
                s.cause = null;
                s.flaps++;
                transition(s, s.since);
                if (!s.flapping) {
                    fireDown(s);
                }
                down.add(k);
            }
        }
        for (SessionKey k : dwell.due(now)) {
            State s = sessions.get(k);
            if (s != null && !s.established() && !s.flapping) {
                fireDown(s);
            }
        }
        for (SessionKey k : quiet.due(now)) {
            State s = sessions.get(k);
            if (s == null || !s.flapping) {
                continue;
            }
            s.flapping = false;
            s.transitions.clear();
            book.resolve(SignalType.BGP_SESSION_FLAPPING, labels(k), s.lastTransition.plus(settings.flapQuiet()),
                    Map.of("cause", "no transition for " + human(settings.flapQuiet())));
            if (!s.established()) {
                fireDown(s);
            }
        }
        return down;
    }

    Optional<Instant> nextDeadline() {
        return Deadlines.earliest(rejoin.next(), Deadlines.earliest(dwell.next(), quiet.next()));
    }

    private void fireDown(State s) {
        Topology t = topology.get();
        String circuit = t.circuitOf(s.key);
        Tunnel tunnel = t.tunnelOf(s.key);
        boolean backup = redundant.test(s.key);
        Map<String, String> ann = new LinkedHashMap<>();
        ann.put("peer_as", Long.toString(s.peerAs));
        ann.put("state", s.state.wire());
        if (s.reason != null) {
            ann.put("reason", s.reason);
        }
        if (circuit != null) {
            ann.put("circuit", circuit);
        }
        if (tunnel != null) {
            ann.put("tunnel", tunnel.id());
        }
        ann.put("redundancy", backup ? "yes" : "none");
        StringBuilder sum = new StringBuilder("BGP session ").append(describe(s.key)).append(" (AS ").append(s.peerAs)
                .append(") down: ").append(s.state.wire());
        if (s.reason != null && !s.reason.isBlank()) {
            sum.append(" (").append(s.reason).append(')');
        }
        if (tunnel != null) {
            sum.append("; over tunnel ").append(tunnel.id());
        } else if (circuit != null) {
            sum.append("; rides circuit ").append(circuit);
        }
        sum.append(backup ? "; a redundant path is up" : "; no redundant path up");
        book.fire(SignalType.BGP_SESSION_DOWN, backup ? Severity.MAJOR : Severity.CRITICAL, labels(s.key),
                sum.toString(), ann, s.since);
    }

    /**
     * True when known and established; false when known and down; null when never seen or still
     * coming up (never established since first heard of).
     */
    Boolean established(SessionKey key) {
        State s = sessions.get(key);
        return s == null || !s.everUp ? null : s.established();
    }

    /**
     * Whether the session was established at event time {@code t}, as far as known: established now
     * (and since no later than {@code t}), or down now but only since after {@code t} having come up
     * before it. For an event processed after later ones (another channel lagging).
     */
    boolean establishedAt(SessionKey key, Instant t) {
        State s = sessions.get(key);
        if (s == null || !s.everUp || s.upSince == null || s.upSince.isAfter(t)) {
            return false;
        }
        return s.established() || s.since.isAfter(t);
    }

    /** When the session entered its current state, or null when unknown. */
    Instant since(SessionKey key) {
        State s = sessions.get(key);
        return s == null ? null : s.since;
    }

    /** Another established session on the same router, VRF and peer AS. */
    boolean otherEstablished(SessionKey key) {
        State self = sessions.get(key);
        if (self == null) {
            return false;
        }
        for (State s : sessions.values()) {
            if (s != self && s.established() && s.peerAs == self.peerAs && s.key.router().equals(key.router())
                    && s.key.vrf().equals(key.vrf())) {
                return true;
            }
        }
        return false;
    }

    List<SessionView> views() {
        Topology t = topology.get();
        List<SessionView> out = new ArrayList<>();
        for (State s : sessions.values()) {
            Tunnel tunnel = t.tunnelOf(s.key);
            out.add(new SessionView(s.key.router(), s.key.vrf(), s.key.peer(), s.peerAs, s.state, s.since, s.flaps,
                    s.flapping, t.circuitOf(s.key), tunnel == null ? null : tunnel.id()));
        }
        out.sort(Comparator.comparing(SessionView::router).thenComparing(SessionView::vrf)
                .thenComparing(SessionView::peer));
        return out;
    }

    static Map<String, String> labels(SessionKey k) {
        return Map.of("router", k.router(), "vrf", k.vrf(), "peer", k.peer());
    }

    static String describe(SessionKey k) {
        return k.router() + " -> " + k.peer() + (k.vrf().equals("default") ? "" : " (vrf " + k.vrf() + ")");
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s % 60 == 0 && s >= 60) {
            return (s / 60) + " min";
        }
        return s + " s";
    }

    /** Every session's state and the pending timers, for a checkpoint. */
    EngineState.Sessions checkpoint() {
        List<EngineState.SessionEntry> list = new ArrayList<>();
        for (State s : sessions.values()) {
            list.add(new EngineState.SessionEntry(s.key, s.peerAs, s.state, s.since, s.lastEvent, s.flaps, s.reason,
                    s.flapping, s.everUp, s.upSince, s.holdTime, s.keepalive, s.cause, s.lastTransition,
                    List.copyOf(s.transitions)));
        }
        list.sort(Comparator.comparing((EngineState.SessionEntry e) -> e.key().router(),
                        Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(e -> e.key().vrf(), Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(e -> e.key().peer(), Comparator.nullsFirst(Comparator.naturalOrder())));
        return new EngineState.Sessions(list, dwell.timers(k -> k), quiet.timers(k -> k), rejoin.timers(k -> k));
    }

    /** Takes back a checkpoint's sessions and timers; raises nothing. */
    void restore(EngineState.Sessions state) {
        for (EngineState.SessionEntry e : state.sessions()) {
            State s = new State(e.key());
            s.peerAs = e.peerAs();
            s.state = e.state();
            s.since = e.since();
            s.lastEvent = e.lastEvent();
            s.flaps = e.flaps();
            s.reason = e.reason();
            s.flapping = e.flapping();
            s.everUp = e.everUp();
            s.upSince = e.upSince();
            s.holdTime = e.holdTime();
            s.keepalive = e.keepalive();
            s.cause = e.cause();
            s.lastTransition = e.lastTransition();
            s.transitions.addAll(e.transitions());
            sessions.put(e.key(), s);
        }
        dwell.restore(state.dwell(), k -> k);
        quiet.restore(state.quiet(), k -> k);
        rejoin.restore(state.rejoin(), k -> k);
    }
}
