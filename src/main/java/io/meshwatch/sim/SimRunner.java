package io.meshwatch.sim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A running simulator, in the service ({@link SimulatorService}) or alone ({@link StandaloneSimulator}):
 * the network built from an inventory, its {@link ScenarioPlanner}, and one thread that owns the
 * {@link Simulator} and sends its events through a {@link KafkaSimSink}. Scenario requests are
 * planned and checked on the caller's thread (the network is immutable) and handed to the
 * simulator's thread through a queue.
 *
 * <p>Threading: {@link #start} and {@link #stop} from one controlling thread; {@link #submit} and the
 * getters from any thread.
 */
public final class SimRunner implements ScenarioApi.Backend {

    /** Where the runner's messages go: the service's log, or the standalone command's output. */
    public interface Log {
        void info(String message);

        void warn(String message);

        void error(String message, Throwable cause);
    }

    private static final int EVENTS_PER_TICK = 2_000;
    /** How far ahead of the request a run's timeline starts. */
    static final Duration START_LEAD = Duration.ofMillis(200);

    private final String inventory;
    private final SimNetwork network;
    private final ScenarioPlanner planner;
    private final Simulator simulator;
    private final KafkaSimSink sink;
    private final Clock clock;
    private final ScenarioRuns runs;
    private final Log log;
    private final ConcurrentLinkedQueue<ScenarioPlan> pending = new ConcurrentLinkedQueue<>();
    private volatile Thread thread;
    private volatile boolean running;

    /**
     * @param inventory where the network came from (shown by the API)
     * @param sink      closed by the simulator's thread when it stops
     */
    public SimRunner(String inventory, SimNetwork network, SimSettings settings, KafkaSimSink sink, Clock clock,
                     ScenarioRuns runs, Log log) {
        this.inventory = inventory;
        this.network = network;
        this.planner = new ScenarioPlanner(network, settings);
        this.sink = sink;
        this.clock = clock;
        this.runs = runs;
        this.log = log;
        this.simulator = new Simulator(network, settings, sink, clock, runs);
    }

    /**
     * The network the inventory at {@code location} ({@code classpath:...} or a file) describes.
     *
     * @throws IllegalArgumentException naming the location and every problem, or a bad setting
     */
    public static SimNetwork network(String location, SimSettings settings) {
        return NetworkBuilder.build(SimInventory.load(location), settings);
    }

    /** Starts the simulator's thread (a daemon) under {@code threadName}: the network comes up at once. */
    public void start(String threadName) {
        running = true;
        Thread t = new Thread(this::loop, threadName);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /**
     * Stops the thread, which sends what the producer holds and closes it (waiting up to 5 s), and
     * waits for it at most {@code wait}.
     *
     * @return true when the thread has ended
     */
    public boolean stop(Duration wait) {
        running = false;
        Thread t = thread;
        if (t == null) {
            return true;
        }
        t.interrupt();
        try {
            t.join(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !t.isAlive();
    }

    private void loop() {
        Simulator sim = simulator;
        long lastFailures = 0;
        try {
            sim.start();
            while (running && !Thread.currentThread().isInterrupted()) {
                for (ScenarioPlan p; (p = pending.poll()) != null; ) {
                    sim.schedule(p);
                }
                boolean more;
                try {
                    more = sim.tick(EVENTS_PER_TICK);
                } catch (org.apache.kafka.common.errors.InterruptException e) {
                    break;
                } catch (RuntimeException e) {
                    log.error("Simulator step failed; going on in 1 s", e);
                    LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
                    continue;
                }
                if (sink.failed() > lastFailures) {
                    lastFailures = sink.failed();
                    log.warn(String.format("Kafka did not take %d simulator events so far (%s)", lastFailures,
                            sink.lastError()));
                }
                if (!more) {
                    Instant next = sim.nextDue();
                    long ms = next == null ? 100 : Math.max(1, Math.min(100, Duration.between(clock.instant(), next)
                            .toMillis()));
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ms));
                }
            }
        } finally {
            Thread.interrupted(); // clear the stop signal so that the producer can send what it holds and close
            try {
                sink.close();
            } catch (RuntimeException e) {
                log.warn("Closing the simulator's Kafka producer: " + e.getMessage());
            }
            log.info(String.format("Simulator stopped after %d BGP and %d telemetry events", sim.bgpEvents(),
                    sim.telemetryEvents()));
        }
    }

    /** Whether the simulator's thread has been started and not told to stop. */
    @Override
    public boolean enabled() {
        return running;
    }

    @Override
    public String inventory() {
        return inventory;
    }

    @Override
    public Optional<ScenarioPlanner> planner() {
        return Optional.of(planner);
    }

    @Override
    public ScenarioRuns runs() {
        return runs;
    }

    public SimNetwork network() {
        return network;
    }

    /** The engine, for its counters ({@link Simulator#bgpEvents()} and the like); driven by its own thread only. */
    public Simulator simulator() {
        return simulator;
    }

    public KafkaSimSink sink() {
        return sink;
    }

    /** For example {@code 5 routers, 11 sessions, 5 circuits, 8 tunnels}. */
    public String size() {
        return String.format("%d routers, %d sessions, %d circuits, %d tunnels", network.routers().size(),
                network.sessionNames().size(), network.circuits().size(), network.tunnels().size());
    }

    /**
     * Plans a scenario from now and hands it to the simulator.
     *
     * @throws IllegalStateException          when the simulator is not running
     * @throws UnknownTargetException         when the target or an option is not valid
     * @throws ScenarioRuns.ConflictException when it overlaps a run still going
     */
    @Override
    public ScenarioPlan submit(Scenario scenario, ScenarioRequest request) {
        if (!running) {
            throw new IllegalStateException("the simulator is disabled");
        }
        String id = scenario.wire() + "-" + UUID.randomUUID().toString().substring(0, 8);
        // the timeline starts a moment from now, so the simulator's thread holds the plan before its first step
        Instant start = clock.instant().plus(START_LEAD).truncatedTo(ChronoUnit.MILLIS);
        ScenarioPlan plan = planner.plan(scenario, request, start, id);
        runs.register(plan);
        pending.add(plan);
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
        log.info(String.format("Scenario %s on %s: %d steps until %s", id, plan.target(), plan.steps().size(),
                plan.end()));
        return plan;
    }
}
