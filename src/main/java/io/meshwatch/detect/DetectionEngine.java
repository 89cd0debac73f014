package io.meshwatch.detect;

import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.event.EventType;
import io.meshwatch.event.FeedStateEvent;
import io.meshwatch.event.InterfaceCountersEvent;
import io.meshwatch.event.InterfaceStateEvent;
import io.meshwatch.event.ProbeResultEvent;
import io.meshwatch.event.TcpRetransmitsEvent;
import io.meshwatch.event.TunnelStateEvent;
import io.meshwatch.inventory.Circuit;
import io.meshwatch.inventory.Inventory;
import io.meshwatch.inventory.Tunnel;
import io.meshwatch.inventory.TunnelGroup;
import io.meshwatch.network.BgpSession;
import io.meshwatch.network.SessionChange;
import io.meshwatch.network.SessionKey;
import io.meshwatch.routing.RouteDelta;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The detection core's facade: the adapters feed it events and route deltas, call {@link #tick()}
 * at {@link #nextDeadline()}, and receive signals, incidents and measurements through the
 * {@link DetectionListener}. Plain Java, no I/O; time from the injected clock.
 *
 * <p>Threading: NOT thread-safe. Every method, the read models included, must be called by one
 * thread at a time (the caller serialises, for example on one Vert.x context); the listener is called
 * on that thread, during the call. The read models return immutable snapshots that may be handed to
 * other threads.
 *
 * <p>Each input call first fires and emits the timers already due by the clock, as if the adapter
 * had ticked on time (so a late tick changes no outcome), then applies the input and emits the
 * resulting signals (roots first) and, once each, the incidents that changed. A signal raised and
 * resolved by the same input is not emitted at all. Inputs that name nothing the inventory knows (an unknown tunnel, a
 * probe on no known circuit) are counted in {@link #unmatchedEvents()} and otherwise ignored.
 */
public final class DetectionEngine {

    private final Clock clock;
    private final DetectionSettings settings;
    private final SignalBook book;
    private final Correlator correlator;
    private final SessionDetector sessions;
    private final CircuitDetector circuits;
    private final FailoverDetector failover;
    private final PrefixDetector prefixes;
    private final PolicyDetector policies;
    private final FeedDetector feeds;
    private Topology topology;
    private long unmatched;

    public DetectionEngine(Clock clock, DetectionSettings settings, DetectionListener listener) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(listener, "listener");
        this.topology = new Topology(Inventory.empty(), settings);
        this.book = new SignalBook(clock);
        this.correlator = new Correlator(clock, settings, () -> topology, listener);
        this.sessions = new SessionDetector(clock, settings, book, () -> topology, this::redundant);
        this.circuits = new CircuitDetector(clock, book, () -> topology, sessions, this::circuitChanged,
                settings.resolveHoldDown());
        this.failover = new FailoverDetector(clock, settings, book, () -> topology, sessions, circuits::isDown,
                circuits::downEvidence, listener);
        this.prefixes = new PrefixDetector(clock, settings, book, () -> topology, failover::converging);
        this.policies = new PolicyDetector(book, () -> topology);
        this.feeds = new FeedDetector(clock, settings, book, () -> topology,
                k -> Boolean.TRUE.equals(sessions.established(k)), t -> failover.status(t) == TunnelStatus.UP,
                c -> circuits.view(c).state() == CircuitState.UP);
    }

    /**
     * Replaces the inventory. State of circuits, groups and tunnels still present is kept; signals
     * about circuits, tunnel groups or watched prefixes that are gone resolve (event time = clock,
     * cause {@code removed from inventory}). Session state does not depend on the inventory.
     */
    public void inventory(Inventory inventory) {
        begin();
        topology = new Topology(inventory, settings);
        Set<String> tunnelIds = new HashSet<>();
        topology.groups.values().forEach(g -> g.tunnels().forEach(t -> tunnelIds.add(t.id())));
        circuits.retain(topology.circuits.keySet());
        failover.retain(topology.groups.keySet(), tunnelIds);
        Instant now = clock.instant();
        prefixes.inventoryChanged(now);
        policies.inventoryChanged(now);
        feeds.inventory();
        book.resolveWhere(s -> s.label("circuit") != null && !topology.circuits.containsKey(s.label("circuit"))
                || s.label("tunnel_group") != null && !topology.groups.containsKey(s.label("tunnel_group")),
                now, Map.of("cause", "removed from inventory"));
        end();
    }

    /**
     * A telemetry event, routed to its method below. BGP events reach the engine only through the
     * shard stage: peer-state events as its session changes ({@link #session(BgpSession)}), updates
     * and End-of-RIB as route deltas; given here they are refused.
     *
     * @throws IllegalArgumentException for a BGP event
     */
    public void event(CanonicalEvent e) {
        if (e instanceof InterfaceStateEvent i) {
            interfaceState(i);
        } else if (e instanceof InterfaceCountersEvent c) {
            interfaceCounters(c);
        } else if (e instanceof TunnelStateEvent t) {
            tunnelState(t);
        } else if (e instanceof ProbeResultEvent p) {
            probe(p);
        } else if (e instanceof TcpRetransmitsEvent t) {
            retransmits(t);
        } else if (e.type().family() == EventType.Family.BGP) {
            throw new IllegalArgumentException(e.type() + " reaches detection through the shard stage "
                    + "(session changes of NetworkState, route deltas of the route tables), not as an event");
        }
    }

    /**
     * A BGP session as its owner, the shard stage ({@link io.meshwatch.network.NetworkState}), reports
     * it after a change: the engine judges transitions, dwell, flapping and redundancy from the
     * sequence of reports and keeps no session fields of its own (an older report than the one held
     * changes nothing).
     */
    public void session(BgpSession after) {
        begin();
        SessionKey k = Topology.key(after.router(), after.vrf(), after.peer());
        if (sessions.apply(k, after)) {
            Instant time = after.lastEvent();
            failover.sessionChanged(k, time);
            Circuit c = topology.circuit(topology.circuitOf(k));
            if (c != null) {
                circuits.sessionChanged(c, time);
            }
        }
        end();
    }

    /**
     * A router's feed state ({@code bgp.feed_state}, from the shard stage): {@code lost} raises
     * RouterFeedLost and marks the router stale, {@code up} or {@code ended} resolves it.
     */
    public void feed(FeedStateEvent e) {
        begin();
        feeds.feed(e);
        end();
    }

    /** Telemetry heard from a router: feeds its silence watch (every telemetry input calls it). */
    private void heard(CanonicalEvent e) {
        feeds.heard(e.router(), e.time());
    }

    /** Routers whose feed is lost, with since-when (event time): what is held of them is stale. */
    public Map<String, Instant> staleRouters() {
        return feeds.stale();
    }

    /** A change the shard stage made: {@link #session(BgpSession)} of its after-state. */
    public void session(SessionChange change) {
        session(change.after());
    }

    /**
     * Seeds the engine with sessions known from before a restart (NetworkState's sessions restored
     * from the database), taken as already so: each becomes the engine's view with its state,
     * since-time, newest event time, peer AS and drop count, and the tunnel groups are derived from them (phase,
     * tunnel statuses, all-down), without raising or resolving a signal, counting a transition or
     * measuring a switchover. A session restored down is known as down: no BgpSessionDown fires for
     * it, since its going down is no news; a later live event for a restored session is judged as if
     * the engine had followed it all along (established then down fires BgpSessionDown and starts
     * its group's failover at that event). Circuits count the restored sessions among theirs from
     * their next input on. Meant for start-up, before any input; a session the engine already knows
     * is left as it is. Returns how many sessions were taken.
     */
    public int restore(Collection<BgpSession> restored) {
        begin();
        int taken = 0;
        for (BgpSession b : restored) {
            Objects.requireNonNull(b.state(), "state of a restored session");
            Objects.requireNonNull(b.since(), "since of a restored session");
            Objects.requireNonNull(b.lastEvent(), "lastEvent of a restored session");
            if (sessions.restore(Topology.key(b.router(), b.vrf(), b.peer()), b)) {
                taken++;
            }
        }
        if (taken > 0) {
            failover.restored();
        }
        end();
        return taken;
    }

    /**
     * Everything the engine needs to go on exactly where it is (see {@link EngineState}): every
     * detector's state, every pending timer with its clock deadline, the firing signals and held
     * resolutions, the incidents open and kept, the unmatched count. Call it between two calls, like
     * any other method; it changes nothing and fires no timer (a timer already due fires at the
     * restored engine's first call, as it would have here).
     */
    public EngineState checkpoint() {
        return new EngineState(EngineState.CURRENT_VERSION, clock.instant(), unmatched, book.checkpoint(),
                sessions.checkpoint(), circuits.checkpoint(), failover.checkpoint(), prefixes.checkpoint(),
                correlator.checkpoint(), feeds.checkpoint());
    }

    /**
     * An engine that goes on exactly where the one that took {@code state} was: fed the same inputs
     * and ticks on the same clock, it emits the same signals, incidents and measurements and shows the
     * same read models. Restoring emits nothing (no signal, no incident, no measurement): what the
     * first engine emitted up to the checkpoint is the alerting layer's already. Timers keep their
     * clock deadlines; those already due fire at the first call, as a step of their own.
     *
     * <p>{@code inventory} is the one in force; the state names circuits, groups and tunnels by id.
     * When it may differ from the one the checkpoint was taken under, call {@link #inventory} with it
     * right after: that retires the state of what is gone (and resolves its signals) as a live engine
     * would on that change.
     *
     * @throws IllegalArgumentException when the state has another {@link EngineState#version()}, or does
     *                                  not hold together (what a corrupted store could give)
     */
    public static DetectionEngine restore(Clock clock, DetectionSettings settings, DetectionListener listener,
                                          Inventory inventory, EngineState state) {
        Objects.requireNonNull(inventory, "inventory");
        Objects.requireNonNull(state, "state");
        if (state.version() != EngineState.CURRENT_VERSION) {
            throw new IllegalArgumentException("detection engine state version " + state.version()
                    + " cannot be restored: this build knows version " + EngineState.CURRENT_VERSION);
        }
        DetectionEngine engine = new DetectionEngine(clock, settings, listener);
        engine.topology = new Topology(inventory, settings);
        engine.unmatched = state.unmatchedEvents();
        try {
            engine.book.restore(state.signals());
            engine.sessions.restore(state.sessions());
            engine.circuits.restore(state.circuits());
            engine.failover.restore(state.failovers());
            engine.prefixes.restore(state.prefixes());
            engine.correlator.restore(state.incidents());
            engine.feeds.restore(state.feeds());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("detection engine state taken at " + state.takenAt()
                    + " cannot be restored: " + e, e);
        }
        return engine;
    }

    /** Interface state; only a circuit's A-end interface matters. */
    public void interfaceState(InterfaceStateEvent e) {
        begin();
        heard(e);
        Circuit c = topology.circuitAt(e.router(), e.iface());
        if (c != null) {
            circuits.interfaceState(c, e.operStatus(), e.time());
        }
        end();
    }

    /** Interface counters; a circuit's A-end counters are kept for the circuit view (no detector uses them). */
    public void interfaceCounters(InterfaceCountersEvent e) {
        begin();
        heard(e);
        Circuit c = topology.circuitAt(e.router(), e.iface());
        if (c != null) {
            circuits.counters(c, new CircuitView.Counters(e.time(), e.inOctets(), e.outOctets(), e.inErrors(),
                    e.outErrors()));
        }
        end();
    }

    /** IPSec tunnel state; {@code tunnel} is a tunnel id or one of its aliases. */
    public void tunnelState(TunnelStateEvent e) {
        begin();
        heard(e);
        Tunnel t = topology.tunnel(e.tunnel());
        if (t == null) {
            unmatched++;
        } else {
            Long total = e.bytesIn() == null && e.bytesOut() == null ? null
                    : (e.bytesIn() == null ? 0 : e.bytesIn()) + (e.bytesOut() == null ? 0 : e.bytesOut());
            failover.tunnelState(t, e.state(), total, e.signal(), e.time());
        }
        end();
    }

    /**
     * A probe round: on {@code circuit} (the underlay), or on the circuit that {@code tunnel} rides
     * (the overlay, which speaks for the circuit only while it has no current rounds of its own;
     * see {@link CircuitDetector}). A probe through
     * a known tunnel that rides no circuit (an internet backup) is not used yet; one naming an unknown
     * circuit or tunnel counts as unmatched.
     */
    public void probe(ProbeResultEvent e) {
        begin();
        heard(e);
        String id = e.circuit();
        if (id == null && e.tunnel() != null) {
            Tunnel t = topology.tunnel(e.tunnel());
            id = t == null ? null : t.circuit();
        }
        Circuit c = topology.circuit(id);
        if (c == null && (e.circuit() != null || topology.tunnel(e.tunnel()) == null)) {
            unmatched++;
        } else if (c != null) {
            circuits.probe(c, new CircuitView.Probe(e.time(), e.router(), e.target(), e.latencyMs(), e.jitterMs(),
                    e.lossPct()), e.circuit() != null);
        }
        end();
    }

    /**
     * TCP retransmits towards {@code remote}: a circuit id, or the peer address of a session on the
     * reporting router that rides a circuit, or the remote gateway of a tunnel on it over a circuit.
     * The percentage is {@code retransmits / segmentsOut * 100}; an interval with no segments is ignored.
     */
    public void retransmits(TcpRetransmitsEvent e) {
        begin();
        heard(e);
        Circuit c = topology.circuit(topology.circuitForRemote(e.router(), e.remote()));
        if (c == null) {
            unmatched++;
        } else if (e.segmentsOut() > 0) {
            circuits.retransmits(c, e.retransmits() * 100.0 / e.segmentsOut(), e.time());
        }
        end();
    }

    /** Best-path changes of one router's route table, observed at {@code eventTime}. */
    public void routeDeltas(String router, List<RouteDelta> deltas, Instant eventTime) {
        begin();
        for (RouteDelta d : deltas) {
            failover.route(router, d, eventTime);
            prefixes.delta(router, d, eventTime);
            policies.delta(router, d, eventTime);
        }
        end();
    }

    /** Fires every timer due by the clock (dwells, debounces, failover objectives, quiet periods). */
    public void tick() {
        begin();
    }

    /** The earliest pending timer (clock time), so the adapter can schedule one tick; empty when none. */
    public Optional<Instant> nextDeadline() {
        return Deadlines.earliest(book.nextDeadline(),
                Deadlines.earliest(sessions.nextDeadline(),
                        Deadlines.earliest(failover.nextDeadline(),
                                Deadlines.earliest(prefixes.nextDeadline(), feeds.nextDeadline()))));
    }

    /** Per tunnel group: who carries traffic, tunnel statuses, last failover and failback. Sorted by id. */
    public List<TunnelGroupView> tunnelGroups() {
        return topology.groups.values().stream().map(g -> failover.view(g, feeds::staleSince)).toList();
    }

    public Optional<TunnelGroupView> tunnelGroup(String id) {
        TunnelGroup g = topology.group(id);
        return g == null ? Optional.empty() : Optional.of(failover.view(g, feeds::staleSince));
    }

    /** Per circuit: state, reasons, latest probe and retransmit figures. Sorted by id. */
    public List<CircuitView> circuits() {
        return topology.circuits.values().stream().map(circuits::view).toList();
    }

    public Optional<CircuitView> circuit(String id) {
        Circuit c = topology.circuit(id);
        return c == null ? Optional.empty() : Optional.of(circuits.view(c));
    }

    /** Every session seen, sorted by router, VRF, peer. */
    public List<SessionView> sessions() {
        return sessions.views();
    }

    /** Signals firing now, in their latest (correlated) form, sorted by type and fingerprint. */
    public List<Signal> firing() {
        List<Signal> out = new ArrayList<>(book.firing());
        out.sort(Comparator.comparing(Signal::type).thenComparing(Signal::fingerprint));
        return out;
    }

    /** Open incidents, oldest first, then the most recent resolved or merged ones, newest first. */
    public List<Incident> incidents() {
        return correlator.incidents();
    }

    public Optional<Incident> incident(String id) {
        return correlator.incidents().stream().filter(i -> i.id().equals(id)).findFirst();
    }

    /** Inputs that named no known tunnel or circuit. */
    public long unmatchedEvents() {
        return unmatched;
    }

    /** Prefix losses not tracked because the any-prefix cap was reached. */
    public long droppedPrefixLosses() {
        return prefixes.dropped();
    }

    public DetectionSettings settings() {
        return settings;
    }

    /**
     * Whether something else still carries a session's traffic: for a tunnel's session, another
     * tunnel of its group is up; for a session on a circuit that carries group primaries, a tunnel of
     * such a group that does not ride the circuit is up; otherwise another established session on
     * the same router, VRF and peer AS.
     */
    private boolean redundant(SessionKey k) {
        Tunnel t = topology.tunnelOf(k);
        if (t != null) {
            TunnelGroup g = topology.groupOf(t);
            return g.tunnels().stream().anyMatch(o -> !o.id().equals(t.id()) && failover.status(o) == TunnelStatus.UP);
        }
        String c = topology.circuitOf(k);
        if (c != null && !topology.groupsOn(c).isEmpty()) {
            return topology.groupsOn(c).stream().flatMap(g -> g.tunnels().stream())
                    .anyMatch(o -> !c.equals(o.circuit()) && failover.status(o) == TunnelStatus.UP);
        }
        return sessions.otherEstablished(k);
    }

    private void circuitChanged(String circuit, Instant time) {
        failover.circuitChanged(circuit, time);
    }

    /** Fires and emits the timers already due, as a step of their own before the input. */
    private void begin() {
        Instant now = clock.instant();
        book.tick(now);
        for (SessionKey k : sessions.tick(now)) {
            Instant since = sessions.since(k);
            failover.sessionChanged(k, since);
            Circuit c = topology.circuit(topology.circuitOf(k));
            if (c != null) {
                circuits.sessionChanged(c, since);
            }
        }
        failover.tick(now);
        prefixes.tick(now);
        feeds.tick(now);
        emit();
    }

    /** After an input: settles the expected items it may have brought up, then emits (below). */
    private void end() {
        feeds.settle(clock.instant()); // after the input: what it brought up is no longer awaited
        emit();
    }

    /** Emits the transitions so far, firing roots first, then the changed incidents. */
    private void emit() {
        List<Signal> batch = new ArrayList<>(book.drain());
        batch.sort(Comparator.comparingInt(DetectionEngine::rootRank));
        for (Signal s : batch) {
            book.remember(correlator.accept(s));
        }
        correlator.flush();
    }

    private static int rootRank(Signal s) {
        if (!s.isFiring() || s.update()) {
            return 9;
        }
        return switch (s.type()) {
            case CIRCUIT_DOWN -> 0;
            case IPSEC_FAILOVER -> 1;
            case IPSEC_FAILOVER_SLOW -> 2;
            case IPSEC_TUNNEL_GROUP_DOWN -> 3;
            case ROUTER_FEED_LOST -> 4;
            default -> 9;
        };
    }
}
