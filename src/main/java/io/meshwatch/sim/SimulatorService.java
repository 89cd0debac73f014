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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs the simulator in the service (dev mode by default, or wherever {@code meshwatch.sim.enabled}
 * is true): loads the inventory, builds the network and starts a {@link SimRunner} whose one thread,
 * named {@value #THREAD}, owns the {@link Simulator} and sends its events through a
 * {@link KafkaSimSink}. Scenario requests are planned and checked on the caller's thread (the
 * network is immutable) and handed to the simulator's thread through a queue.
 *
 * <p>One simulator per JVM: a dev-mode live reload stops the old one on shutdown, and a start finds
 * and stops any thread of that name still alive (from an earlier class loader) before it begins.
 */
@ApplicationScoped
public class SimulatorService implements ScenarioApi.Backend {

    static final String THREAD = "meshwatch-simulator";
    private static final Logger LOG = Logger.getLogger(SimulatorService.class);
    /** Where the runner's messages go: this service's log. */
    private static final SimRunner.Log RUNNER_LOG = new SimRunner.Log() {
        @Override
        public void info(String message) {
            LOG.info(message);
        }

        @Override
        public void warn(String message) {
            LOG.warn(message);
        }

        @Override
        public void error(String message, Throwable cause) {
            LOG.error(message, cause);
        }
    };

    private final SimConfig config;
    private final MeshwatchConfig meshwatch;
    private final Clock clock;
    private final MeterRegistry registry;
    private final String bootstrap;
    private final ScenarioRuns runs = new ScenarioRuns();
    private volatile SimRunner runner;
    @jakarta.inject.Inject
    @io.smallrye.common.annotation.Identifier("default-kafka-broker")
    jakarta.enterprise.inject.Instance<Map<String, Object>> kafkaConfig;

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
        SimNetwork network;
        try {
            settings = config.settings();
            network = SimRunner.network(config.inventory(), settings);
        } catch (IllegalArgumentException e) {
            throw new StartupFailure("the simulator cannot start: " + e.getMessage()
                    + " (or set meshwatch.sim.enabled=false)");
        }
        stopStrays();
        KafkaSimSink sink = new KafkaSimSink(bootstrap, meshwatch.topics().bgp(), meshwatch.topics().telemetry(),
                security());
        SimRunner r = new SimRunner(config.inventory(), network, settings, sink, clock, runs, RUNNER_LOG);
        metrics(r);
        runner = r;
        r.start(THREAD);
        LOG.infof("Simulator started: %s from %s; BGP to %s, telemetry to %s; scenarios at "
                        + "POST /api/v1/sim/scenarios/{name}", r.size(), config.inventory(), meshwatch.topics().bgp(),
                meshwatch.topics().telemetry());
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

    private void metrics(SimRunner r) {
        Simulator sim = r.simulator();
        KafkaSimSink s = r.sink();
        FunctionCounter.builder("meshwatch.sim.events", sim, Simulator::bgpEvents).tag("family", "bgp")
                .description("Events the simulator produced").register(registry);
        FunctionCounter.builder("meshwatch.sim.events", sim, Simulator::telemetryEvents).tag("family", "telemetry")
                .description("Events the simulator produced").register(registry);
        FunctionCounter.builder("meshwatch.sim.prefixes", sim, Simulator::prefixes)
                .description("Prefixes in the simulator's bgp.update events").register(registry);
        FunctionCounter.builder("meshwatch.sim.send.failures", s, KafkaSimSink::failed)
                .description("Simulator events Kafka did not take").register(registry);
    }

    void stop(@Observes ShutdownEvent ev) {
        SimRunner r = runner;
        if (r != null) {
            r.stop(Duration.ofSeconds(10));
        }
    }

    /** Whether the simulator runs in this service. */
    @Override
    public boolean enabled() {
        SimRunner r = runner;
        return r != null && r.enabled();
    }

    /** The inventory location it plays. */
    @Override
    public String inventory() {
        return config.inventory();
    }

    /** The planner for the running network; empty when the simulator is off. */
    @Override
    public Optional<ScenarioPlanner> planner() {
        SimRunner r = runner;
        return r == null ? Optional.empty() : r.planner();
    }

    @Override
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
    @Override
    public ScenarioPlan submit(Scenario scenario, ScenarioRequest request) {
        SimRunner r = runner;
        if (r == null) {
            throw new IllegalStateException("the simulator is disabled");
        }
        return r.submit(scenario, request);
    }
}
