package io.meshwatch.detect;

import io.meshwatch.event.FeedStateEvent;
import io.meshwatch.inventory.Circuit;
import io.meshwatch.inventory.Severity;
import io.meshwatch.inventory.SessionRef;
import io.meshwatch.inventory.Tunnel;
import io.meshwatch.inventory.TunnelGroup;
import io.meshwatch.network.SessionKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Silent sources and expected state: {@code RouterFeedLost} and {@code NeverCameUp}.
 *
 * <ul>
 * <li><b>Feed lost.</b> A {@code bgp.feed_state lost} (a BMP connection that ended without a
 * Termination) fires {@code RouterFeedLost} {@code {router, feed}} at once, {@code startedAt} = the
 * event's time; {@code up} or {@code ended} of the same router and feed resolves it. Until then the
 * router is <i>stale since</i> that time ({@link #staleSince}).</li>
 * <li><b>Telemetry silence.</b> A router that has sent telemetry and then sends none for
 * {@code feedSilence} (clock, from the last one processed) fires {@code RouterFeedLost}
 * {@code {router, feed=telemetry}}, {@code startedAt} = the event time of its last telemetry; its next
 * telemetry resolves it. Off when {@code feedSilence} is 0. Unlike a lost connection, silent telemetry
 * explains nothing in correlation (a collector may be what went quiet).</li>
 * <li><b>Never came up.</b> Every session the inventory names (on a circuit or a tunnel), every tunnel
 * and every circuit is expected from the moment the engine first has it (its first inventory, or the
 * edit that added it). One not seen up within {@code neverUpAfter} (clock) fires {@code NeverCameUp}
 * ({@code kind} session, tunnel or circuit, with its identifying labels); being seen up resolves it and
 * ends its watch for good. Up means: a session established, a tunnel UP, a circuit UP, as checked after
 * an input at most once a second (clock) and again at the deadline, so an item up for less than a second
 * between two checks may go unseen. Off when {@code neverUpAfter} is 0.</li>
 * </ul>
 *
 * <p>Not thread-safe: the engine's thread owns it.
 */
final class FeedDetector {

    /** The {@code feed} label of telemetry silence. */
    static final String TELEMETRY = "telemetry";

    private final Clock clock;
    private final DetectionSettings settings;
    private final SignalBook book;
    private final Supplier<Topology> topology;
    private final Predicate<SessionKey> sessionUp;
    private final Predicate<Tunnel> tunnelUp;
    private final Predicate<Circuit> circuitUp;

    /** Routers whose feed is lost: feed name by router, with since-when (event time). */
    private final Map<String, Lost> lost = new TreeMap<>();
    /** Per router: the event time of its last telemetry, and the silence deadline (clock). */
    private final Map<String, Instant> lastTelemetry = new HashMap<>();
    private final Deadlines<String> silence = new Deadlines<>();
    /** Expected items not seen up yet, by key, with their labels; the deadline (clock) of each. */
    private final Map<String, Map<String, String>> expected = new LinkedHashMap<>();
    private final Map<String, Instant> expectedSince = new HashMap<>();
    private final Deadlines<String> neverUp = new Deadlines<>();
    /** Routers whose telemetry-silence signal fires now (so that telemetry resolves it without a look-up). */
    private final java.util.Set<String> silentNow = new java.util.HashSet<>();
    /** When expected items were last checked for being up (clock), at most once a second. */
    private Instant settled = Instant.MIN;
    /** Items ever seen up: never watched again, whatever the inventory does. */
    private final java.util.Set<String> seenUp = new java.util.HashSet<>();

    record Lost(String feed, Instant since, String reason) {
    }

    FeedDetector(Clock clock, DetectionSettings settings, SignalBook book, Supplier<Topology> topology,
                 Predicate<SessionKey> sessionUp, Predicate<Tunnel> tunnelUp, Predicate<Circuit> circuitUp) {
        this.clock = clock;
        this.settings = settings;
        this.book = book;
        this.topology = topology;
        this.sessionUp = sessionUp;
        this.tunnelUp = tunnelUp;
        this.circuitUp = circuitUp;
    }

    /** A router's feed state as its collector reported it. */
    void feed(FeedStateEvent e) {
        Map<String, String> labels = labels(e.router(), e.feed());
        if (e.lost()) {
            Lost old = lost.get(e.router());
            if (old != null && !e.time().isAfter(old.since())) {
                return;
            }
            lost.put(e.router(), new Lost(e.feed(), e.time(), e.reason()));
            Map<String, String> ann = new TreeMap<>();
            ann.put("cause", "connection_lost");
            if (e.reason() != null) {
                ann.put("reason", e.reason());
            }
            book.fire(SignalType.ROUTER_FEED_LOST, Severity.MAJOR, labels, "Router " + e.router() + ": "
                    + e.feed() + " feed lost; its sessions, routes and tunnel states are as last reported", ann,
                    e.time());
        } else {
            Lost old = lost.get(e.router());
            if (old != null && e.time().isBefore(old.since())) {
                return; // an older report than the loss
            }
            lost.remove(e.router());
            book.resolve(SignalType.ROUTER_FEED_LOST, labels, e.time(),
                    Map.of("cause", FeedStateEvent.UP.equals(e.state()) ? "feed up again" : "feed ended cleanly"));
        }
    }

    /** Telemetry from a router, at event time {@code time}, processed now. */
    void heard(String router, Instant time) {
        if (settings.feedSilence().isZero()) {
            return;
        }
        Instant last = lastTelemetry.get(router);
        if (last == null || time.isAfter(last)) {
            lastTelemetry.put(router, time);
        }
        silence.schedule(router, clock.instant().plus(settings.feedSilence()));
        if (silentNow.remove(router)) {
            book.resolve(SignalType.ROUTER_FEED_LOST, labels(router, TELEMETRY), time,
                    Map.of("cause", "telemetry again"));
        }
    }

    /** The inventory changed (or was first given): new expected items start their wait now. */
    void inventory() {
        if (settings.neverUpAfter().isZero()) {
            return;
        }
        Map<String, Map<String, String>> now = expectedItems(topology.get());
        Instant deadline = clock.instant().plus(settings.neverUpAfter());
        for (var e : now.entrySet()) {
            if (!seenUp.contains(e.getKey()) && !expected.containsKey(e.getKey())) {
                expected.put(e.getKey(), e.getValue());
                expectedSince.put(e.getKey(), clock.instant());
                neverUp.schedule(e.getKey(), deadline);
            }
        }
        for (String key : List.copyOf(expected.keySet())) {
            if (!now.containsKey(key)) {
                Map<String, String> labels = expected.remove(key);
                expectedSince.remove(key);
                neverUp.cancel(key);
                book.resolve(SignalType.NEVER_CAME_UP, labels, clock.instant(),
                        Map.of("cause", "removed from inventory"));
            }
        }
    }

    /**
     * After an input: expected items now up stop being watched (and resolve if they fired). At most once
     * a second of clock (the wait is minutes; every input would otherwise pay for the whole watch list);
     * the deadline checks an item again before it fires.
     */
    void settle(Instant time) {
        if (expected.isEmpty() || time.isBefore(settled.plusSeconds(1))) {
            return;
        }
        settled = time;
        Topology t = topology.get();
        for (var it = expected.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (up(t, e.getKey())) {
                it.remove();
                expectedSince.remove(e.getKey());
                neverUp.cancel(e.getKey());
                seenUp.add(e.getKey());
                book.resolve(SignalType.NEVER_CAME_UP, e.getValue(), time, Map.of("cause", "came up"));
            }
        }
    }

    void tick(Instant now) {
        for (String router : silence.due(now)) {
            Instant last = lastTelemetry.get(router);
            silentNow.add(router);
            book.fire(SignalType.ROUTER_FEED_LOST, Severity.MAJOR, labels(router, TELEMETRY), "Router " + router
                    + ": no telemetry for " + SessionDetector.human(settings.feedSilence()),
                    Map.of("cause", "silent", "silent_for", SessionDetector.human(settings.feedSilence())), last);
        }
        for (String key : neverUp.due(now)) {
            Map<String, String> labels = expected.get(key);
            if (labels == null) {
                continue;
            }
            if (up(topology.get(), key)) { // came up since the last settle
                expected.remove(key);
                expectedSince.remove(key);
                seenUp.add(key);
                continue;
            }
            Instant since = expectedSince.get(key);
            book.fire(SignalType.NEVER_CAME_UP, Severity.WARNING, labels, describe(labels) + " has not come up "
                    + SessionDetector.human(settings.neverUpAfter()) + " after it was expected",
                    Map.of("expected_since", String.valueOf(since)), since);
        }
    }

    Optional<Instant> nextDeadline() {
        return Deadlines.earliest(silence.next(), neverUp.next());
    }

    /** Since when what is held of the router is stale (its feed lost), or null. */
    Instant staleSince(String router) {
        Lost l = lost.get(router);
        return l == null ? null : l.since();
    }

    /** Routers whose feed is lost now, with since-when. */
    Map<String, Instant> stale() {
        Map<String, Instant> out = new TreeMap<>();
        lost.forEach((r, l) -> out.put(r, l.since()));
        return out;
    }

    static Map<String, String> labels(String router, String feed) {
        return Map.of("router", router, "feed", feed);
    }

    private boolean up(Topology t, String key) {
        String id = key.substring(key.indexOf(':') + 1);
        if (key.startsWith("session:")) {
            String[] p = id.split("\\|", 3);
            return sessionUp.test(Topology.key(p[0], p[1], p[2]));
        }
        if (key.startsWith("tunnel:")) {
            Tunnel tu = t.tunnel(id);
            return tu != null && tunnelUp.test(tu);
        }
        Circuit c = t.circuit(id);
        return c != null && circuitUp.test(c);
    }

    private static String describe(Map<String, String> labels) {
        return switch (labels.get("kind")) {
            case "session" -> "BGP session " + labels.get("router") + " -> " + labels.get("peer")
                    + ("default".equals(labels.get("vrf")) ? "" : " (vrf " + labels.get("vrf") + ")");
            case "tunnel" -> "Tunnel " + labels.get("tunnel") + " on " + labels.get("router");
            default -> "Circuit " + labels.get("circuit");
        };
    }

    /** Every session, tunnel and circuit the inventory expects, by key, with its signal labels. */
    static Map<String, Map<String, String>> expectedItems(Topology t) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        Function<SessionRef, String> skey = r -> {
            SessionKey k = Topology.key(r.router(), r.vrf(), r.peer());
            return "session:" + k.router() + "|" + k.vrf() + "|" + k.peer();
        };
        for (Circuit c : t.circuits.values()) {
            out.put("circuit:" + c.id(), Map.of("kind", "circuit", "circuit", c.id()));
            for (SessionRef r : c.sessions()) {
                SessionKey k = Topology.key(r.router(), r.vrf(), r.peer());
                out.put(skey.apply(r), Map.of("kind", "session", "router", k.router(), "vrf", k.vrf(), "peer",
                        k.peer()));
            }
        }
        for (TunnelGroup g : t.groups.values()) {
            for (Tunnel tu : g.tunnels()) {
                out.put("tunnel:" + tu.id(), Map.of("kind", "tunnel", "tunnel", tu.id(), "router", tu.router()));
                if (tu.session() != null) {
                    SessionKey k = Topology.key(tu.session().router(), tu.session().vrf(), tu.session().peer());
                    out.put(skey.apply(tu.session()), Map.of("kind", "session", "router", k.router(), "vrf",
                            k.vrf(), "peer", k.peer()));
                }
            }
        }
        return out;
    }

    /** For a checkpoint (between engine calls). */
    EngineState.Feeds checkpoint() {
        List<EngineState.LostFeed> lostFeeds = new ArrayList<>();
        lost.forEach((r, l) -> lostFeeds.add(new EngineState.LostFeed(r, l.feed(), l.since(), l.reason())));
        List<EngineState.Timer<String>> silent = silence.timers(k -> k);
        List<EngineState.ExpectedItem> items = new ArrayList<>();
        expected.forEach((k, labels) -> items.add(new EngineState.ExpectedItem(k, new TreeMap<>(labels),
                expectedSince.get(k))));
        return new EngineState.Feeds(lostFeeds, new TreeMap<>(lastTelemetry), silent, items, neverUp.timers(k -> k),
                seenUp.stream().sorted().toList(), settled.equals(Instant.MIN) ? null : settled);
    }

    /** Takes back a checkpoint's state; emits nothing. */
    void restore(EngineState.Feeds state) {
        if (state == null) {
            return;
        }
        state.lost().forEach(l -> lost.put(l.router(), new Lost(l.feed(), l.since(), l.reason())));
        lastTelemetry.putAll(state.lastTelemetry());
        silence.restore(state.silence(), k -> k);
        state.expected().forEach(e -> {
            expected.put(e.key(), Map.copyOf(e.labels()));
            expectedSince.put(e.key(), e.since());
        });
        neverUp.restore(state.neverUp(), k -> k);
        seenUp.addAll(state.seenUp());
        settled = state.settled() == null ? Instant.MIN : state.settled();
        for (Signal f : book.firing()) {
            if (f.type() == SignalType.ROUTER_FEED_LOST && TELEMETRY.equals(f.label("feed"))) {
                silentNow.add(f.label("router"));
            }
        }
    }
}
