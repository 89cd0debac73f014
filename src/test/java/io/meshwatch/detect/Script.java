package io.meshwatch.detect;

import static io.meshwatch.detect.TestNetwork.*;

import io.meshwatch.event.BgpState;
import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.event.DownCause;
import io.meshwatch.event.InterfaceCountersEvent;
import io.meshwatch.event.InterfaceStateEvent;
import io.meshwatch.event.PeerStateEvent;
import io.meshwatch.event.ProbeResultEvent;
import io.meshwatch.event.TcpRetransmitsEvent;
import io.meshwatch.event.TunnelStateEvent;
import io.meshwatch.inventory.Inventory;
import io.meshwatch.network.BgpSession;
import io.meshwatch.network.NetworkState;
import io.meshwatch.network.SessionChange;
import io.meshwatch.routing.AsPath;
import io.meshwatch.routing.BestPathReason;
import io.meshwatch.routing.IpAddress;
import io.meshwatch.routing.Path;
import io.meshwatch.routing.PathAttributes;
import io.meshwatch.routing.Peer;
import io.meshwatch.routing.Prefix;
import io.meshwatch.routing.RouteDelta;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A history of engine inputs written down rather than applied (unlike {@link Scenario}): each step is
 * one call into the engine at a clock instant, so that the same history can be played into several
 * engines and cut anywhere. {@code at(seconds)} moves the clock and the event time to T0 + seconds,
 * as in {@link Scenario}.
 */
final class Script {

    /** One call into the engine. */
    sealed interface Input permits Event, Session, Deltas, Tick, NewInventory, Seed {
    }

    record Event(CanonicalEvent event) implements Input {
    }

    /** A session as the shard stage reports it after a change of state ({@link DetectionEngine#session(BgpSession)}). */
    record Session(BgpSession after) implements Input {
    }

    record Deltas(String router, List<RouteDelta> deltas, Instant time) implements Input {
    }

    record Tick() implements Input {
    }

    record NewInventory(Inventory inventory) implements Input {
    }

    /** Sessions from before a restart ({@link DetectionEngine#restore(java.util.Collection)}). */
    record Seed(List<BgpSession> sessions) implements Input {
    }

    /** A call at a clock instant. */
    record Step(Instant clock, Input input) {

        @Override
        public String toString() {
            return "T0+" + Duration.between(Scenario.T0, clock).toMillis() / 1000.0 + "s " + describe(input);
        }

        private static String describe(Input in) {
            if (in instanceof Event e) {
                return e.event().type() + " " + e.event();
            }
            if (in instanceof Session s) {
                return "session " + s.after();
            }
            if (in instanceof Deltas d) {
                return "deltas " + d.router() + " " + d.deltas().stream()
                        .map(x -> x.prefix() + "->" + (x.newBest() == null ? "none" : x.newBest().attributes().nextHop()))
                        .toList();
            }
            return in.getClass().getSimpleName();
        }
    }

    final String name;
    final List<Step> steps = new ArrayList<>();
    private final Map<String, Path> best = new HashMap<>();
    private Instant clock = Scenario.T0;
    private Instant eventTime = Scenario.T0;
    /** The shard stage's session state: it turns peer-state events into the sessions detection is given. */
    private final NetworkState shard = new NetworkState(Clock.fixed(Scenario.T0, ZoneOffset.UTC));

    Script(String name) {
        this.name = name;
    }

    /** The test network, then every session, tunnel and interface up and the routes via the primaries. */
    static Script steady(String name) {
        return new Script(name).inventory(TestNetwork.inventory()).at(0)
                .sessionUp(CX, DX_PEER).sessionUp(TR, DX_PEER_TR).sessionUp(CX, INET_PEER)
                .sessionUp(CX, ER_PEER, AZURE_AS).sessionUp(CX, AZ_INET_PEER, AZURE_AS)
                .sessionUp(CX, IC_PEER, GCP_AS)
                .tunnel(PRIMARY, "up", 0L).tunnel(BACKUP, "up", 0L)
                .tunnel(AZ_PRIMARY, "up", null).tunnel(AZ_BACKUP, "up", null)
                .iface(CX, "eth1", "up").iface(CX, "eth2", "up").iface(CX, "eth3", "up")
                .bestVia(CX, VPCS, DX_PEER).bestVia(CX, PRIVATELINK, DX_PEER).bestVia(CX, SHARED, DX_PEER)
                .bestVia(CX, VNETS, ER_PEER, AZURE_AS);
    }

    private Script add(Input in) {
        steps.add(new Step(clock, in));
        return this;
    }

    Script at(double seconds) {
        clock = Scenario.t(seconds);
        eventTime = clock;
        return this;
    }

    /** Event time of the following inputs, the clock left where it is (events arriving late). */
    Script eventAt(double seconds) {
        eventTime = Scenario.t(seconds);
        return this;
    }

    Script tick() {
        return add(new Tick());
    }

    /** Moves the clock on by {@code seconds} (not the event time) and ticks. */
    Script tickAfter(double seconds) {
        clock = clock.plusMillis(Math.round(seconds * 1000));
        return tick();
    }

    Script inventory(Inventory inventory) {
        return add(new NewInventory(inventory));
    }

    Script seed(BgpSession... sessions) {
        shard.restore(List.of(sessions));
        return add(new Seed(List.of(sessions)));
    }

    /**
     * A telemetry event as it is; a peer-state event as the service hands it on: through the shard
     * stage's session state, a step only when the session's state changed.
     */
    Script event(CanonicalEvent e) {
        if (e instanceof PeerStateEvent p) {
            shard.apply(p).filter(SessionChange::stateChanged).ifPresent(c -> add(new Session(c.after())));
            return this;
        }
        return add(new Event(e));
    }

    Script session(String router, String peer, long peerAs, BgpState state, String reason) {
        return event(new PeerStateEvent(router, eventTime, "default", peer, peerAs, 65010L, state, reason));
    }

    Script session(String router, String peer, BgpState state, Integer holdTime, Integer keepalive,
                   DownCause cause) {
        return event(new PeerStateEvent(router, eventTime, "default", peer, AWS_AS, 65010L, state,
                cause == null ? null : cause.wire(), holdTime, keepalive, cause));
    }

    Script sessionUp(String router, String peer) {
        return sessionUp(router, peer, AWS_AS);
    }

    Script sessionUp(String router, String peer, long peerAs) {
        return session(router, peer, peerAs, BgpState.ESTABLISHED, null);
    }

    Script sessionDown(String router, String peer) {
        return sessionDown(router, peer, AWS_AS);
    }

    Script sessionDown(String router, String peer, long peerAs) {
        return session(router, peer, peerAs, BgpState.IDLE, "Hold timer expired");
    }

    Script sessionUpHold(String router, String peer, int holdTime) {
        return session(router, peer, BgpState.ESTABLISHED, holdTime, null, null);
    }

    Script holdTimerExpired(String router, String peer) {
        return session(router, peer, BgpState.IDLE, null, null, DownCause.HOLD_TIMER_EXPIRED);
    }

    Script comingUp(String router, String peer) {
        return session(router, peer, BgpState.IDLE, null, null, DownCause.COMING_UP);
    }

    Script tunnel(String tunnel, String state, Long bytesOut) {
        return event(new TunnelStateEvent(CX, eventTime, tunnel, state, "ike", bytesOut == null ? null : 0L,
                bytesOut));
    }

    Script iface(String router, String iface, String oper) {
        return event(new InterfaceStateEvent(router, eventTime, iface, oper, "up"));
    }

    Script counters(String router, String iface, long in, long out) {
        return event(new InterfaceCountersEvent(router, eventTime, iface, in, out, null, null, 0L, 0L, null, null));
    }

    Script probe(String circuit, double latencyMs, double jitterMs, double lossPct) {
        int received = (int) Math.round(10 * (100 - lossPct) / 100);
        return event(new ProbeResultEvent(CX, eventTime, "probe-target", circuit, null, latencyMs, jitterMs, lossPct,
                10, received));
    }

    Script tunnelProbe(String tunnel, double latencyMs, double jitterMs, double lossPct) {
        int received = (int) Math.round(10 * (100 - lossPct) / 100);
        return event(new ProbeResultEvent(CX, eventTime, "peer-inside", null, tunnel, latencyMs, jitterMs, lossPct,
                10, received));
    }

    Script retransmits(String router, String remote, long segments, long retransmitted) {
        return event(new TcpRetransmitsEvent(router, eventTime, remote, 10.0, segments, retransmitted));
    }

    Script bestVia(String router, String prefix, String peer) {
        return bestVia(router, prefix, peer, AWS_AS);
    }

    Script bestVia(String router, String prefix, String peer, long peerAs) {
        PathAttributes a = PathAttributes.builder().asPath(AsPath.sequence((int) peerAs))
                .nextHop(IpAddress.parse(peer)).build();
        return delta(router, prefix, new Path(new Peer("", IpAddress.parse(peer), (int) peerAs,
                IpAddress.parse(peer).ipv4Value()), 0, a), BestPathReason.LOCAL_PREF);
    }

    Script withdrawn(String router, String prefix) {
        return delta(router, prefix, null, BestPathReason.NO_PATH);
    }

    private Script delta(String router, String prefix, Path newBest, BestPathReason reason) {
        String key = router + " " + prefix;
        Path old = newBest == null ? best.remove(key) : best.put(key, newBest);
        return add(new Deltas(router, List.of(new RouteDelta("", Prefix.parse(prefix), old, newBest, reason)),
                eventTime));
    }

    /** Plays one step into an engine (the caller sets the engine's clock to {@code step.clock()}). */
    static void apply(DetectionEngine engine, Input in) {
        if (in instanceof Event e) {
            engine.event(e.event());
        } else if (in instanceof Session s) {
            engine.session(s.after());
        } else if (in instanceof Deltas d) {
            engine.routeDeltas(d.router(), d.deltas(), d.time());
        } else if (in instanceof Tick) {
            engine.tick();
        } else if (in instanceof NewInventory n) {
            engine.inventory(n.inventory());
        } else if (in instanceof Seed s) {
            engine.restore(s.sessions());
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
