package io.meshwatch.sim;

import io.meshwatch.platform.MeshwatchConfig;
import io.meshwatch.platform.StartupFailure;
import io.meshwatch.platform.StartupOrder;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs the simulator in the service (dev mode by default, or wherever {@code meshwatch.sim.enabled}
 * is true): loads the inventory, builds the network and starts one thread, named
 * {@value #THREAD}, that owns the {@link Simulator} and sends its events through a
 * {@link KafkaSimSink}. Scenario requests are planned and checked on the caller's thread (the
 * network is immutable) and handed to the simulator's thread through a queue.
 *
 * <p>One simulator per JVM: a dev-mode live reload stops the old one on shutdown, and a start finds
 * and stops any thread of that name still alive (from an earlier class loader) before it begins.
 */
@ApplicationScoped
public class SimulatorService {

    static final String THREAD = "meshwatch-simulator";
    private static final Logger LOG = Logger.getLogger(SimulatorService.class);
    private static final int EVENTS_PER_TICK = 2_000;
    /** How far ahead of the request a run's timeline starts. */
    static final Duration START_LEAD = Duration.ofMillis(200);

    private final SimConfig config;
    private final MeshwatchConfig meshwatch;
    private final Clock clock;
    private final MeterRegistry registry;
    private final String bootstrap;
    private final ScenarioRuns runs = new ScenarioRuns();
    private final ConcurrentLinkedQueue<ScenarioPlan> pending = new ConcurrentLinkedQueue<>();
    private volatile SimNetwork network;
    private volatile ScenarioPlanner planner;
    private volatile Simulator simulator;
    private volatile KafkaSimSink sink;
    @jakarta.inject.Inject
    @io.smallrye.common.annotation.Identifier("default-kafka-broker")
    jakarta.enterprise.inject.Instance<Map<String, Object>> kafkaConfig;
    private volatile Thread thread;
    private volatile boolean running;

    public SimulatorService(SimConfig config, MeshwatchConfig meshwatch, Clock clock, MeterRegistry registry,
                            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.config = config;
        this.meshwatch = meshwatch;
        this.clock = clock;
        this.registry = registry;
        this.bootstrap = bootstrap;
    }

    /** The application's Kafka security settings ({@code kafka.security.protocol}, {@code sasl.*}, {@code ssl.*}). */
    private Map<String, Object> security() {
        Map<String, Object> out = new java.util.HashMap<>();
        if (kafkaConfig != null && kafkaConfig.isResolvable()) {
            kafkaConfig.get().forEach((k, v) -> {
                if (v != null && (k.equals("security.protocol") || k.startsWith("sasl.") || k.startsWith("ssl."))) {
                    out.put(k, v);
                }
            });
        }
        return out;
    }

    void start(@Observes @Priority(StartupOrder.SIMULATOR) StartupEvent ev) {
        if (!config.enabled()) {
            LOG.debug("Simulator disabled (meshwatch.sim.enabled=false)");
            return;
        }
        SimSettings settings;
        try {
            settings = config.settings();
            network = NetworkBuilder.build(SimInventory.load(config.inventory()), settings);
        } catch (IllegalArgumentException e) {
            throw new StartupFailure("the simulator cannot start: " + e.getMessage()
                    + " (or set meshwatch.sim.enabled=false)");
        }
        planner = new ScenarioPlanner(network, settings);
        stopStrays();
        sink = new KafkaSimSink(bootstrap, meshwatch.topics().bgp(), meshwatch.topics().telemetry(), security());
        simulator = new Simulator(network, settings, sink, clock, runs);
        metrics();
        running = true;
        Thread t = new Thread(this::loop, THREAD);
        t.setDaemon(true);
        thread = t;
        t.start();
        LOG.infof("Simulator started: %d routers, %d sessions, %d circuits, %d tunnels from %s; BGP to %s, "
                        + "telemetry to %s; scenarios at POST /api/v1/sim/scenarios/{name}", network.routers().size(),
                network.sessionNames().size(), network.circuits().size(), network.tunnels().size(), config.inventory(),
                meshwatch.topics().bgp(), meshwatch.topics().telemetry());
    }

    /** Threads of an earlier simulator (a live reload whose shutdown did not finish) are stopped first. */
    private static void stopStrays() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (THREAD.equals(t.getName()) && t.isAlive()) {
                LOG.warnf("Stopping a simulator thread left by an earlier start");
                t.interrupt();
                try {
                    t.join(TimeUnit.SECONDS.toMillis(10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void metrics() {
        Simulator sim = simulator;
        KafkaSimSink s = sink;
        FunctionCounter.builder("meshwatch.sim.events", sim, Simulator::bgpEvents).tag("family", "bgp")
                .description("Events the simulator produced").register(registry);
        FunctionCounter.builder("meshwatch.sim.events", sim, Simulator::telemetryEvents).tag("family", "telemetry")
                .description("Events the simulator produced").register(registry);
        FunctionCounter.builder("meshwatch.sim.prefixes", sim, Simulator::prefixes)
                .description("Prefixes in the simulator's bgp.update events").register(registry);
        FunctionCounter.builder("meshwatch.sim.send.failures", s, KafkaSimSink::failed)
                .description("Simulator events Kafka did not take").register(registry);
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
                    LOG.errorf(e, "Simulator step failed; going on in 1 s");
                    LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
                    continue;
                }
                if (sink.failed() > lastFailures) {
                    lastFailures = sink.failed();
                    LOG.warnf("Kafka did not take %d simulator events so far (%s)", lastFailures, sink.lastError());
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
                LOG.warnf("Closing the simulator's Kafka producer: %s", e.getMessage());
            }
            LOG.infof("Simulator stopped after %d BGP and %d telemetry events", sim.bgpEvents(), sim.telemetryEvents());
        }
    }

    void stop(@Observes ShutdownEvent ev) {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether the simulator runs in this service. */
    public boolean enabled() {
        return running;
    }

    /** The inventory location it plays. */
    public String inventory() {
        return config.inventory();
    }

    /** The planner for the running network; empty when the simulator is off. */
    public Optional<ScenarioPlanner> planner() {
        return Optional.ofNullable(planner);
    }

    public ScenarioRuns runs() {
        return runs;
    }

    /**
     * Plans a scenario from now and hands it to the simulator.
     *
     * @throws IllegalStateException          when the simulator is disabled
     * @throws UnknownTargetException         when the target or an option is not valid
     * @throws ScenarioRuns.ConflictException when it overlaps a run still going
     */
    public ScenarioPlan submit(Scenario scenario, ScenarioRequest request) {
        ScenarioPlanner p = planner;
        if (!running || p == null) {
            throw new IllegalStateException("the simulator is disabled");
        }
        String id = scenario.wire() + "-" + UUID.randomUUID().toString().substring(0, 8);
        // the timeline starts a moment from now, so the simulator's thread holds the plan before its first step
        Instant start = clock.instant().plus(START_LEAD).truncatedTo(ChronoUnit.MILLIS);
        ScenarioPlan plan = p.plan(scenario, request, start, id);
        runs.register(plan);
        pending.add(plan);
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
        LOG.infof("Scenario %s on %s: %d steps until %s", id, plan.target(), plan.steps().size(), plan.end());
        return plan;
    }
}
