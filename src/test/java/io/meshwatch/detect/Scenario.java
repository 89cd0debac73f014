package io.meshwatch.detect;

import io.meshwatch.testing.ManualClock;
import static io.meshwatch.detect.TestNetwork.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.meshwatch.event.BgpState;
import io.meshwatch.event.DownCause;
import io.meshwatch.event.InterfaceStateEvent;
import io.meshwatch.event.PeerStateEvent;
import io.meshwatch.network.NetworkState;
import io.meshwatch.network.SessionChange;
import io.meshwatch.event.ProbeResultEvent;
import io.meshwatch.event.TcpRetransmitsEvent;
import io.meshwatch.event.TunnelStateEvent;
import io.meshwatch.inventory.Inventory;
import io.meshwatch.network.BgpSession;
import io.meshwatch.routing.AsPath;
import io.meshwatch.routing.BestPathReason;
import io.meshwatch.routing.IpAddress;
import io.meshwatch.routing.Path;
import io.meshwatch.routing.PathAttributes;
import io.meshwatch.routing.Peer;
import io.meshwatch.routing.Prefix;
import io.meshwatch.routing.RouteDelta;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A timeline against a {@link DetectionEngine} with a hand-moved clock: {@code at(seconds)} moves the
 * clock (and the event time of the following inputs) to T0 + seconds; inputs are fed as the
 * adapters would; expectations consume the signal transitions emitted since they were last checked.
 * {@link #fired} and {@link #resolved} take exactly one matching transition, {@link #silent()}
 * asserts none is left unchecked. Updates ({@code update == true}) are kept apart in {@link #updates}.
 */
final class Scenario implements DetectionListener {

    static final Instant T0 = Instant.parse("2026-11-26T03:00:00Z");

    final ManualClock clock = new ManualClock(T0);
    final DetectionEngine engine;
    /** The shard stage's session state, which judges peer-state events before detection sees them. */
    final NetworkState shard = new NetworkState(clock);
    final List<Signal> transitions = new ArrayList<>();
    final List<Signal> updates = new ArrayList<>();
    final List<Signal> unchecked = new ArrayList<>();
    final Map<String, Incident> incidents = new HashMap<>();
    final List<Incident> incidentEmissions = new ArrayList<>();
    final List<Switchover> failovers = new ArrayList<>();
    final List<Switchover> failbacks = new ArrayList<>();
    private final Map<String, Path> best = new HashMap<>();
    private Instant eventTime = T0;

    private Scenario(Inventory inventory, DetectionSettings settings) {
        engine = new DetectionEngine(clock, settings, this);
        engine.inventory(inventory);
    }

    /**
     * With the default settings, less the feed watches (telemetry silence, never came up), whose
     * timers the other detectors' timelines do not expect; {@code FeedDetectionTest} turns them on.
     */
    static Scenario with(Inventory inventory) {
        return new Scenario(inventory, DetectionSettings.defaults().withFeeds(Duration.ZERO, Duration.ZERO));
    }

    static Scenario with(Inventory inventory, DetectionSettings settings) {
        return new Scenario(inventory, settings);
    }

    /** The test network in its steady state at T0: all sessions and tunnels up, routes via the primaries. */
    static Scenario steady(DetectionSettings settings) {
        Scenario s = with(inventory(), settings).at(0)
                .sessionUp(CX, DX_PEER).sessionUp(TR, DX_PEER_TR).sessionUp(CX, INET_PEER)
                .sessionUp(CX, ER_PEER, AZURE_AS).sessionUp(CX, AZ_INET_PEER, AZURE_AS)
                .sessionUp(CX, IC_PEER, GCP_AS)
                .tunnel(PRIMARY, "up", null).tunnel(BACKUP, "up", null)
                .tunnel(AZ_PRIMARY, "up", null).tunnel(AZ_BACKUP, "up", null)
                .iface(CX, "eth1", "up").iface(CX, "eth2", "up").iface(CX, "eth3", "up")
                .bestVia(CX, VPCS, DX_PEER).bestVia(CX, PRIVATELINK, DX_PEER).bestVia(CX, SHARED, DX_PEER)
                .bestVia(CX, VNETS, ER_PEER, AZURE_AS);
        s.silent();
        return s;
    }

    static Scenario steady() {
        return steady(DetectionSettings.defaults().withFeeds(Duration.ZERO, Duration.ZERO));
    }

    /** Moves the clock and the event time to T0 + seconds (fractions allowed). */
    Scenario at(double seconds) {
        clock.set(t(seconds));
        eventTime = t(seconds);
        return this;
    }

    /** Sets the event time of the following inputs without moving the clock. */
    Scenario eventAt(double seconds) {
        eventTime = t(seconds);
        return this;
    }

    static Instant t(double seconds) {
        return T0.plus(Duration.ofMillis(Math.round(seconds * 1000)));
    }

    Scenario tick() {
        engine.tick();
        return this;
    }

    /**
     * Lets the resolve hold-down pass: moves the clock (not the event time) on by
     * {@code resolveHoldDown} and ticks, so CircuitDown and IpsecTunnelGroupDown whose condition
     * cleared resolve.
     */
    Scenario heldDown() {
        clock.set(clock.instant().plus(engine.settings().resolveHoldDown()));
        engine.tick();
        return this;
    }

    Scenario session(String router, String peer, long peerAs, BgpState state, String reason) {
        return session(new PeerStateEvent(router, eventTime, "default", peer, peerAs, 65010L, state, reason));
    }

    /**
     * A peer-state event as the service hands it on: through the shard stage's session state
     * ({@link NetworkState}), to the engine only when the session's state changed.
     */
    Scenario session(PeerStateEvent e) {
        shard.apply(e).filter(SessionChange::stateChanged).ifPresent(engine::session);
        return this;
    }

    /** A peer-state event with the session's timers and, for a down, why it closed. */
    Scenario session(String router, String peer, BgpState state, Integer holdTime, Integer keepalive, DownCause cause) {
        return session(new PeerStateEvent(router, eventTime, "default", peer, AWS_AS, 65010L, state,
                cause == null ? null : cause.wire(), holdTime, keepalive, cause));
    }

    /** Established with a negotiated hold time (seconds) and no keepalive reported. */
    Scenario sessionUpHold(String router, String peer, int holdTime) {
        return session(router, peer, BgpState.ESTABLISHED, holdTime, null, null);
    }

    /** Closed by hold-timer expiry. */
    Scenario holdTimerExpired(String router, String peer) {
        return session(router, peer, BgpState.IDLE, null, null, DownCause.HOLD_TIMER_EXPIRED);
    }

    Scenario sessionUp(String router, String peer) {
        return sessionUp(router, peer, AWS_AS);
    }

    Scenario sessionUp(String router, String peer, long peerAs) {
        return session(router, peer, peerAs, BgpState.ESTABLISHED, null);
    }

    Scenario sessionDown(String router, String peer) {
        return sessionDown(router, peer, AWS_AS);
    }

    Scenario sessionDown(String router, String peer, long peerAs) {
        return session(router, peer, peerAs, BgpState.IDLE, "Hold timer expired");
    }

    /**
     * A session as {@code NetworkState} restored it from the database: in {@code state} since
     * T0 + {@code sinceSeconds}, its newest event at that time too.
     */
    static BgpSession restoredSession(String router, String peer, long peerAs, BgpState state, double sinceSeconds) {
        Instant since = t(sinceSeconds);
        return new BgpSession(router, "default", peer, peerAs, 65010L, state, since, since, 3,
                state == BgpState.ESTABLISHED ? null : "Hold timer expired", since);
    }

    /** Seeds the engine with sessions from before a restart ({@link DetectionEngine#restore}). */
    Scenario restore(BgpSession... restored) {
        shard.restore(List.of(restored));
        engine.restore(List.of(restored));
        return this;
    }

    Scenario tunnel(String tunnel, String state, Long bytesOut) {
        engine.tunnelState(new TunnelStateEvent(CX, eventTime, tunnel, state, "ike", bytesOut == null ? null : 0L,
                bytesOut));
        return this;
    }

    /** A router's BMP feed state ({@code up}, {@code ended}, {@code lost}), as the collector reports it. */
    Scenario feed(String router, String state) {
        engine.feed(new io.meshwatch.event.FeedStateEvent(router, eventTime, "bmp", state, null));
        return this;
    }

    Scenario tunnelDown(String tunnel) {
        return tunnel(tunnel, "down", null);
    }

    Scenario tunnelUp(String tunnel) {
        return tunnel(tunnel, "up", null);
    }

    Scenario iface(String router, String iface, String oper) {
        engine.interfaceState(new InterfaceStateEvent(router, eventTime, iface, oper, "up"));
        return this;
    }

    Scenario probe(String circuit, double latencyMs, double jitterMs, double lossPct) {
        int sent = 10;
        int received = (int) Math.round(sent * (100 - lossPct) / 100);
        engine.probe(new ProbeResultEvent(CX, eventTime, "probe-target", circuit, null, latencyMs, jitterMs, lossPct,
                sent, received));
        return this;
    }

    /** A probe round through {@code tunnel} (the overlay), on the circuit the tunnel rides. */
    Scenario tunnelProbe(String tunnel, double latencyMs, double jitterMs, double lossPct) {
        int sent = 10;
        int received = (int) Math.round(sent * (100 - lossPct) / 100);
        engine.probe(new ProbeResultEvent(CX, eventTime, "peer-inside", null, tunnel, latencyMs, jitterMs, lossPct,
                sent, received));
        return this;
    }

    Scenario retransmits(String router, String remote, long segments, long retransmitted) {
        engine.retransmits(new TcpRetransmitsEvent(router, eventTime, remote, 10.0, segments, retransmitted));
        return this;
    }

    /** The best path of {@code prefix} on {@code router} is now the one received from {@code peer}. */
    Scenario bestVia(String router, String prefix, String peer) {
        return bestVia(router, prefix, peer, AWS_AS);
    }

    Scenario bestVia(String router, String prefix, String peer, long peerAs) {
        return via(router, prefix, peer, peerAs, BestPathReason.LOCAL_PREF);
    }

    /** The best path is now the one from {@code peer} because it is the only one left. */
    Scenario onlyVia(String router, String prefix, String peer) {
        return via(router, prefix, peer, AWS_AS, BestPathReason.ONLY_PATH);
    }

    private Scenario via(String router, String prefix, String peer, long peerAs, BestPathReason reason) {
        PathAttributes a = PathAttributes.builder().asPath(AsPath.sequence((int) peerAs))
                .nextHop(IpAddress.parse(peer)).build();
        return delta(router, prefix, new Path(new Peer("", IpAddress.parse(peer), (int) peerAs,
                IpAddress.parse(peer).ipv4Value()), 0, a), reason);
    }

    /** The best path is now the one from {@code peer} (of AS {@code peerAs}) with this AS path ({@link AsPath#parse}). */
    Scenario bestWithPath(String router, String prefix, String peer, long peerAs, String asPath) {
        PathAttributes a = PathAttributes.builder().asPath(AsPath.parse(asPath)).nextHop(IpAddress.parse(peer)).build();
        return delta(router, prefix, new Path(new Peer("", IpAddress.parse(peer), (int) peerAs,
                IpAddress.parse(peer).ipv4Value()), 0, a), BestPathReason.AS_PATH_LENGTH);
    }

    /** The router reported (Loc-RIB, no peer) a best path with this next hop. */
    Scenario bestReported(String router, String prefix, String nextHop) {
        PathAttributes a = PathAttributes.builder().asPath(AsPath.sequence((int) AWS_AS))
                .nextHop(IpAddress.parse(nextHop)).build();
        return delta(router, prefix, new Path(null, 0, a), BestPathReason.ROUTER_REPORTED);
    }

    /** The prefix lost its last path on the router. */
    Scenario withdrawn(String router, String prefix) {
        return delta(router, prefix, null, BestPathReason.NO_PATH);
    }

    private Scenario delta(String router, String prefix, Path newBest, BestPathReason reason) {
        String key = router + " " + prefix;
        Path old = newBest == null ? best.remove(key) : best.put(key, newBest);
        engine.routeDeltas(router, List.of(new RouteDelta("", Prefix.parse(prefix), old, newBest, reason)), eventTime);
        return this;
    }

    /** Takes the one unchecked FIRING transition of this type (and labels, as name/value pairs). */
    Signal fired(SignalType type, String... labels) {
        return take(type, SignalStatus.FIRING, labels);
    }

    /** Takes the one unchecked RESOLVED transition of this type (and labels, as name/value pairs). */
    Signal resolved(SignalType type, String... labels) {
        return take(type, SignalStatus.RESOLVED, labels);
    }

    private Signal take(SignalType type, SignalStatus status, String... labels) {
        List<Signal> match = unchecked.stream().filter(s -> s.type() == type && s.status() == status
                && hasLabels(s, labels)).toList();
        if (match.size() != 1) {
            fail("expected one " + status + " " + type + " " + List.of(labels) + ", got " + match.size()
                    + "; unchecked: " + describe(unchecked));
        }
        unchecked.remove(match.get(0));
        return current(match.get(0));
    }

    /** The transition as the listener saw it, with any later update applied. */
    private Signal current(Signal s) {
        Signal latest = s;
        for (Signal u : updates) {
            if (u.fingerprint().equals(s.fingerprint()) && u.status() == s.status()
                    && u.raisedAt().equals(s.raisedAt())) {
                latest = u;
            }
        }
        return latest;
    }

    private static boolean hasLabels(Signal s, String... labels) {
        for (int i = 0; i + 1 < labels.length; i += 2) {
            if (!labels[i + 1].equals(s.label(labels[i]))) {
                return false;
            }
        }
        return true;
    }

    /** Asserts that no transition is left unchecked. */
    Scenario silent() {
        assertTrue(unchecked.isEmpty(), "unexpected signals: " + describe(unchecked));
        return this;
    }

    /** Forgets unchecked transitions (set-up steps whose signals are not under test). */
    Scenario drop() {
        unchecked.clear();
        return this;
    }

    /** The latest update emitted for a signal of this type. */
    Signal lastUpdate(SignalType type) {
        for (int i = updates.size() - 1; i >= 0; i--) {
            if (updates.get(i).type() == type) {
                return updates.get(i);
            }
        }
        return fail("no update of " + type + " emitted");
    }

    Incident incident(String id) {
        Incident i = incidents.get(id);
        assertTrue(i != null, "no incident " + id + " emitted");
        return i;
    }

    SessionView sessionView(String router, String peer) {
        return engine.sessions().stream().filter(v -> v.router().equals(router) && v.peer().equals(peer)).findFirst()
                .orElseThrow();
    }

    TunnelGroupView group(String id) {
        return engine.tunnelGroup(id).orElseThrow();
    }

    CircuitView circuit(String id) {
        return engine.circuit(id).orElseThrow();
    }

    static void assertSeconds(double expected, Duration actual) {
        assertEquals(Math.round(expected * 1000), actual.toMillis(), "duration in ms");
    }

    private static String describe(List<Signal> list) {
        return list.stream().map(s -> s.status() + " " + s.type() + s.labels()).toList().toString();
    }

    @Override
    public void signal(Signal signal) {
        if (signal.update()) {
            updates.add(signal);
        } else {
            transitions.add(signal);
            unchecked.add(signal);
        }
    }

    @Override
    public void incident(Incident incident) {
        incidents.put(incident.id(), incident);
        incidentEmissions.add(incident);
    }

    @Override
    public void failoverMeasured(String group, Switchover failover, Duration objective) {
        failovers.add(failover);
    }

    @Override
    public void failbackMeasured(String group, Switchover failback) {
        failbacks.add(failback);
    }
}
