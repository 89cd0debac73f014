package io.meshwatch.sim;

import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.event.EventType;
import io.meshwatch.sim.SimNetwork.Iface;
import io.meshwatch.sim.SimNetwork.TunnelDef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The simulation engine: the network's state, a queue of timed actions (scenario steps, the end of
 * a prefix flap), the periodic telemetry and churn, and the BGP outbox. {@link #tick} does, in time
 * order, everything due by the clock's now, then sends what the burst limit allows; the caller
 * (a thread in the service, a test with a fixed clock) decides when to tick.
 *
 * <p>Threading: confined to one thread. Nothing here is thread-safe except {@link ScenarioRuns}.
 */
public final class Simulator {

    /** How long a churned prefix stays withdrawn. */
    static final Duration CHURN_HOLD = Duration.ofSeconds(5);
    private static final Duration CHURN_TICK = Duration.ofMillis(100);
    /** Queued BGP items above which churn starts no more flaps. */
    static final int MAX_CHURN_BACKLOG = 20_000;
    /** How often a paced backlog of BGP events is topped up. */
    private static final Duration BACKLOG_TICK = Duration.ofMillis(100);

    private final SimNetwork net;
    private final SimSettings settings;
    private final Clock clock;
    private final ScenarioRuns runs;
    private final Counting sink;
    private final SimState state;
    private final BgpOutbox outbox;
    private final BgpControl bgp;
    private final Telemetry telemetry;
    private final PriorityQueue<Timed> queue = new PriorityQueue<>();
    private long seq;
    private Instant nextProbe;
    private Instant nextTelemetry;
    private Instant nextChurn;
    private double churnCredit;
    private Instant lastDrain;

    private record Timed(Instant at, long seq, Consumer<Instant> run) implements Comparable<Timed> {
        @Override
        public int compareTo(Timed o) {
            int c = at.compareTo(o.at);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    public Simulator(SimNetwork net, SimSettings settings, SimSink sink, Clock clock, ScenarioRuns runs) {
        this.net = net;
        this.settings = settings;
        this.clock = clock;
        this.runs = runs;
        this.sink = new Counting(sink);
        this.state = new SimState(net);
        SplittableRandom random = new SplittableRandom(settings.seed());
        this.outbox = new BgpOutbox(settings.burstPerSecond(), settings.updateSize());
        this.bgp = new BgpControl(net, state, outbox, settings, random.split());
        this.telemetry = new Telemetry(net, state, random.split());
    }

    /**
     * Brings the whole network up at the clock's now: every interface and tunnel up, every session
     * established with its table and End-of-RIB (sent by the following ticks).
     */
    public void start() {
        Instant t = clock.instant();
        for (Iface i : net.interfaces()) {
            sink.emit(Telemetry.interfaceState(t, i, true));
        }
        for (TunnelDef tun : net.tunnels().values()) {
            sink.emit(telemetry.tunnelState(t, tun));
        }
        bgp.startAll(t);
        nextProbe = t;
        nextTelemetry = t.plus(settings.telemetryInterval());
        nextChurn = settings.churnPerSecond() > 0 ? t.plus(CHURN_TICK) : null;
    }

    /** Queues a plan's steps; each marks itself done in {@link ScenarioRuns} once applied. */
    public void schedule(ScenarioPlan plan) {
        List<ScenarioPlan.Step> steps = plan.steps();
        for (int i = 0; i < steps.size(); i++) {
            int index = i;
            ScenarioPlan.Step step = steps.get(i);
            at(plan.start().plus(step.offset()), t -> {
                apply(step.action(), t);
                runs.stepDone(plan.id(), index);
            });
        }
    }

    private void at(Instant when, Consumer<Instant> run) {
        queue.add(new Timed(when, seq++, run));
    }

    /**
     * Does everything due by now, in time order, sending BGP events after each step; returns true
     * when it stopped after {@code maxEvents} events with more that could be sent now.
     */
    public boolean tick(int maxEvents) {
        Instant now = clock.instant();
        long start = sink.events;
        while (true) {
            Instant next = nextDue();
            if (next == null || next.isAfter(now)) {
                break;
            }
            runDue(next, now);
            outbox.drain(next, (int) Math.max(1, maxEvents - (sink.events - start)), sink, this::held);
            lastDrain = next;
            if (sink.events - start >= maxEvents) {
                return true; // the caller ticks again; a tick with nothing left to do returns false
            }
        }
        boolean more = outbox.drain(now, (int) Math.max(1, maxEvents - (sink.events - start)), sink, this::held);
        lastDrain = now;
        return more;
    }

    /** Ticks until nothing more is due now (tests, with a fixed clock). */
    public void runDue() {
        while (tick(10_000)) {
            // keep going
        }
    }

    /**
     * When the next timed action or periodic task is due, or a paced backlog can send more; null
     * when there is nothing.
     */
    public Instant nextDue() {
        Instant next = queue.isEmpty() ? null : queue.peek().at();
        Instant backlog = outbox.isEmpty() || lastDrain == null ? null : lastDrain.plus(BACKLOG_TICK);
        for (Instant t : new Instant[] {nextProbe, nextTelemetry, nextChurn, backlog}) {
            if (t != null && (next == null || t.isBefore(next))) {
                next = t;
            }
        }
        return next;
    }

    private void runDue(Instant t, Instant now) {
        if (!queue.isEmpty() && !queue.peek().at().isAfter(t)) {
            Timed x = queue.poll();
            x.run().accept(x.at());
        } else if (t.equals(nextProbe)) {
            telemetry.probes(t, sink);
            nextProbe = skip(t.plus(settings.probeInterval()), now, settings.probeInterval());
        } else if (t.equals(nextTelemetry)) {
            telemetry.periodic(t, settings.telemetryInterval().toMillis() / 1000.0, sink);
            nextTelemetry = skip(t.plus(settings.telemetryInterval()), now, settings.telemetryInterval());
        } else if (t.equals(nextChurn)) {
            churnCredit = Math.min(churnCredit + settings.churnPerSecond() * CHURN_TICK.toMillis() / 1000.0,
                    Math.max(1, settings.churnPerSecond()));
            // a rate above what Kafka takes runs at what Kafka takes: no flap starts while the outbox is full
            while (churnCredit >= 1 && outbox.pending() < MAX_CHURN_BACKLOG) {
                churnCredit -= 1;
                BgpControl.Churned c = bgp.churn();
                if (c != null) {
                    at(t.plus(CHURN_HOLD), x -> bgp.churnReturn(c));
                }
            }
            churnCredit = Math.min(churnCredit, 1);
            nextChurn = skip(t.plus(CHURN_TICK), now, CHURN_TICK);
        }
    }

    /** A session still established whose path is cut: its updates wait (the hold timer is running). */
    private boolean held(int session) {
        return state.sessionUp[session] && !state.transportUp(net.session(session));
    }

    /** A periodic task that fell far behind (the thread was starved) skips to now instead of catching up. */
    private static Instant skip(Instant next, Instant now, Duration interval) {
        return next.isBefore(now.minus(interval.multipliedBy(5))) ? now : next;
    }

    private void apply(Action a, Instant t) {
        if (a instanceof Action.Link l) {
            state.circuit(l.circuit(), l.up());
            for (Iface i : telemetry.interfacesOf(l.circuit())) {
                sink.emit(Telemetry.interfaceState(t, i, l.up()));
            }
        } else if (a instanceof Action.Tunnel x) {
            state.tunnel(x.tunnel(), x.up());
            sink.emit(telemetry.tunnelState(t, net.tunnels().get(x.tunnel())));
        } else if (a instanceof Action.Session s) {
            bgp.session(s.session(), s.up(), s.reason(), t);
        } else if (a instanceof Action.Quality q) {
            state.degrade(q.circuit(), q.degradation());
        } else if (a instanceof Action.Extras e) {
            bgp.storm(e.router(), e.count(), e.withdraw());
        } else if (a instanceof Action.FullTable f) {
            bgp.fullTable(f.router(), f.ipv4(), f.ipv6(), f.announce(), t);
        }
    }

    /** BGP items queued in the outbox (a table transfer counts once). */
    int backlogItems() {
        return outbox.pending();
    }

    SimState state() {
        return state;
    }

    BgpControl bgp() {
        return bgp;
    }

    public SimNetwork network() {
        return net;
    }

    /** Events sent so far, by family, and prefixes in {@code bgp.update}s. */
    public long bgpEvents() {
        return sink.bgp;
    }

    public long telemetryEvents() {
        return sink.telemetry;
    }

    public long prefixes() {
        return outbox.prefixesSent();
    }

    /** Counts what passes to the real sink. */
    private static final class Counting implements SimSink {
        private final SimSink delegate;
        long events;
        long bgp;
        long telemetry;

        Counting(SimSink delegate) {
            this.delegate = delegate;
        }

        @Override
        public void emit(CanonicalEvent event) {
            delegate.emit(event);
            events++;
            if (event.type().family() == EventType.Family.BGP) {
                bgp++;
            } else {
                telemetry++;
            }
        }
    }
}
