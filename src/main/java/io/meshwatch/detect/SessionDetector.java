package io.meshwatch.detect;

import io.meshwatch.event.BgpState;
import io.meshwatch.event.DownCause;
import io.meshwatch.inventory.Severity;
import io.meshwatch.inventory.Tunnel;
import io.meshwatch.network.BgpSession;
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
 * <p><b>Whose session state.</b> The shard stage owns BGP session state
 * ({@link io.meshwatch.network.NetworkState}: it alone judges a peer-state event stale, a restatement
 * or a change, and counts flaps); this detector takes each {@link BgpSession} it reports as it is and
 * keeps only what detection derives from the sequence (whether the session was ever up, since when,
 * its transitions in the flap window, flapping, and the timers below). A report older than the one
 * held (by {@link BgpSession#lastEvent()}: a fact replayed after a take-over) changes nothing; one in
 * the held state only refreshes the held session.
 *
 * <p>Rules: a transition is a change between established and not established (idle to
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

    /** What detection holds of one session: the shard stage's latest report, and what it derived. */
    static final class State {
        final SessionKey key;
        /** The latest report of the session's owner (the shard stage). */
        BgpSession session;
        boolean flapping;
        /** Established at least once since first heard of (restored sessions count as such). */
        boolean everUp;
        /** When it last became established, or null. */
        Instant upSince;
        Instant lastTransition;
        final Deque<Instant> transitions = new ArrayDeque<>();

        State(SessionKey key, BgpSession session) {
            this.key = key;
            this.session = session;
        }

        boolean established() {
            return session.state() == BgpState.ESTABLISHED;
        }

        /** Drops so far, as the owner counts them. */
        long flaps() {
            return session.flaps();
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
     * Takes a session's state from before a restart as already so: it becomes known as the shard
     * stage restored it (state, since-time, newest event time, peer AS, reason, drops so far), with
     * no transition in the flap window, no timer started and no signal raised or resolved. A session
     * already known is left as it is (what the engine saw itself is newer). Returns true when it was
     * taken.
     */
    boolean restore(SessionKey key, BgpSession session) {
        if (sessions.containsKey(key)) {
            return false;
        }
        State s = new State(key, session);
        s.everUp = true;
        s.upSince = s.established() ? session.since() : null;
        sessions.put(key, s);
        return true;
    }

    /**
     * Takes the shard stage's latest report of a session; true when the session was new or changed
     * between established and not. The report's {@code cause} says why a down closed the session.
     */
    boolean apply(SessionKey key, BgpSession next) {
        State s = sessions.get(key);
        if (s == null) {
            s = new State(key, next);
            s.everUp = s.established();
            s.upSince = s.everUp ? next.since() : null;
            sessions.put(key, s);
            return true;
        }
        if (next.lastEvent().isBefore(s.session.lastEvent())) {
            return false; // an older report than the one held: a fact replayed after a take-over
        }
        BgpState before = s.session.state();
        s.session = next;
        if (before == next.state()) {
            return false;
        }
        boolean wasUp = before == BgpState.ESTABLISHED;
        boolean isUp = s.established();
        Instant time = next.since();
        if (!isUp && next.cause() == DownCause.COMING_UP && s.everUp) {
            // its router rejoined and reports it still connecting: coming up again, for a while
            s.everUp = false;
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
        }
        if (!s.everUp) {
            // coming up: the first establishment of a session first heard of down is no transition
            s.everUp = true;
            return true;
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

    /**
     * When the failure behind a session's down began, or null when the session is not known to be
     * down (unknown, coming up, or established). See the class comment.
     */
    Evidence downEvidence(SessionKey key) {
        State s = sessions.get(key);
        if (s == null || !s.everUp || s.established()) {
            return null;
        }
        Integer hold = s.session.holdTime();
        if (s.session.cause() == DownCause.HOLD_TIMER_EXPIRED && hold != null && hold > 0) {
            int keep = s.session.keepalive() != null && s.session.keepalive() > 0 ? Math.min(s.session.keepalive(), hold) : Math.max(1, hold / 3);
            Instant earliest = s.session.since().minusSeconds(hold);
            Instant latest = s.session.since().minusSeconds(hold - keep);
            if (s.upSince != null && earliest.isBefore(s.upSince)) {
                earliest = s.upSince.isAfter(s.session.since()) ? s.session.since() : s.upSince;
            }
            return new Evidence(Evidence.Kind.BGP_HOLD_TIMER, earliest, latest.isBefore(earliest) ? earliest : latest);
        }
        if (s.session.cause() == DownCause.LOCAL_CLOSE && hold != null && hold > 0) {
            Instant earliest = s.session.since().minusSeconds(hold);
            if (s.upSince != null && earliest.isBefore(s.upSince)) {
                earliest = s.upSince.isAfter(s.session.since()) ? s.session.since() : s.upSince;
            }
            return new Evidence(Evidence.Kind.BGP_LOCAL_CLOSE, earliest, s.session.since());
        }
        return Evidence.at(Evidence.Kind.BGP_SESSION, s.session.since());
    }

    /** The session's hold time and keepalive as known, for people: {@code hold time 9 s, keepalive 3 s}. */
    String timersText(SessionKey key) {
        State s = sessions.get(key);
        if (s == null || s.session.holdTime() == null) {
            return "";
        }
        int hold = s.session.holdTime();
        int keep = s.session.keepalive() != null && s.session.keepalive() > 0 ? s.session.keepalive() : Math.max(1, hold / 3);
        return "hold time " + hold + " s, keepalive " + keep + " s" + (s.session.keepalive() == null ? " (a third)" : "");
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
            ann.put("flaps", Long.toString(s.flaps()));
            book.fire(SignalType.BGP_SESSION_FLAPPING, Severity.MAJOR, labels(s.key),
                    "BGP session " + describe(s.key) + " flapping: " + s.transitions.size() + " up/down transitions in "
                            + human(settings.flapWindow()) + " (" + s.flaps() + " drops so far)",
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
                s.everUp = true; // its drop was counted by the owner when it left established
                transition(s, s.session.since());
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
        ann.put("peer_as", Long.toString(s.session.peerAs()));
        ann.put("state", s.session.state().wire());
        if (s.session.lastReason() != null) {
            ann.put("reason", s.session.lastReason());
        }
        if (circuit != null) {
            ann.put("circuit", circuit);
        }
        if (tunnel != null) {
            ann.put("tunnel", tunnel.id());
        }
        ann.put("redundancy", backup ? "yes" : "none");
        StringBuilder sum = new StringBuilder("BGP session ").append(describe(s.key)).append(" (AS ").append(s.session.peerAs())
                .append(") down: ").append(s.session.state().wire());
        if (s.session.lastReason() != null && !s.session.lastReason().isBlank()) {
            sum.append(" (").append(s.session.lastReason()).append(')');
        }
        if (tunnel != null) {
            sum.append("; over tunnel ").append(tunnel.id());
        } else if (circuit != null) {
            sum.append("; rides circuit ").append(circuit);
        }
        sum.append(backup ? "; a redundant path is up" : "; no redundant path up");
        book.fire(SignalType.BGP_SESSION_DOWN, backup ? Severity.MAJOR : Severity.CRITICAL, labels(s.key),
                sum.toString(), ann, s.session.since());
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
        return s.established() || s.session.since().isAfter(t);
    }

    /** When the session entered its current state, or null when unknown. */
    Instant since(SessionKey key) {
        State s = sessions.get(key);
        return s == null ? null : s.session.since();
    }

    /** Another established session on the same router, VRF and peer AS. */
    boolean otherEstablished(SessionKey key) {
        State self = sessions.get(key);
        if (self == null) {
            return false;
        }
        for (State s : sessions.values()) {
            if (s != self && s.established() && s.session.peerAs() == self.session.peerAs() && s.key.router().equals(key.router())
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
            out.add(new SessionView(s.key.router(), s.key.vrf(), s.key.peer(), s.session.peerAs(), s.session.state(),
                    s.session.since(), s.flaps(),
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
            BgpSession b = s.session;
            list.add(new EngineState.SessionEntry(s.key, b.peerAs(), b.state(), b.since(), b.lastEvent(), s.flaps(),
                    b.lastReason(), s.flapping, s.everUp, s.upSince, b.holdTime(), b.keepalive(), b.cause(),
                    s.lastTransition, List.copyOf(s.transitions)));
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
            State s = new State(e.key(), new BgpSession(e.key().router(), e.key().vrf(), e.key().peer(), e.peerAs(),
                    null, e.state(), e.since(), e.lastEvent(), e.flaps(), e.reason(), null, e.holdTime(), e.keepalive(),
                    e.cause()));
            s.flapping = e.flapping();
            s.everUp = e.everUp();
            s.upSince = e.upSince();
            s.lastTransition = e.lastTransition();
            s.transitions.addAll(e.transitions());
            sessions.put(e.key(), s);
        }
        dwell.restore(state.dwell(), k -> k);
        quiet.restore(state.quiet(), k -> k);
        rejoin.restore(state.rejoin(), k -> k);
    }
}
