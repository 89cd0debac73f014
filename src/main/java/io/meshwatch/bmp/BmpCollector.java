package io.meshwatch.bmp;

import io.meshwatch.event.EventCodec;
import io.meshwatch.platform.MeshwatchConfig;
import io.meshwatch.platform.StartupFailure;
import io.meshwatch.platform.StartupOrder;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The BMP collector: a TCP server on {@code meshwatch.bmp.host:port} that accepts any number of
 * routers at once (each connection lives on one Vert.x event loop, see {@link BmpConnection}) and
 * produces their canonical events to {@code meshwatch.topics.bgp}, keyed by router id.
 */
@ApplicationScoped
public class BmpCollector {

    private static final Logger LOG = Logger.getLogger(BmpCollector.class);

    private final Vertx vertx;
    private final MeshwatchConfig config;
    private final EventCodec codec;
    private final Clock clock;
    private final MeterRegistry registry;
    private final Instance<Map<String, Object>> kafkaConfig;
    private final String bootstrap;
    private BmpServer server;
    private BmpProducer producer;
    private volatile int port = -1;

    public BmpCollector(Vertx vertx, MeshwatchConfig config, EventCodec codec, Clock clock, MeterRegistry registry,
                        @Identifier("default-kafka-broker") Instance<Map<String, Object>> kafkaConfig,
                        @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.vertx = vertx;
        this.config = config;
        this.codec = codec;
        this.clock = clock;
        this.registry = registry;
        this.kafkaConfig = kafkaConfig;
        this.bootstrap = bootstrap;
    }

    void start(@Observes @Priority(StartupOrder.BMP) StartupEvent ev) {
        MeshwatchConfig.Bmp bmp = config.bmp();
        if (!bmp.enabled()) {
            LOG.info("BMP collector disabled (meshwatch.bmp.enabled=false)");
            return;
        }
        String keepalive = BmpServer.Settings.keepaliveProblem(bmp.keepaliveIdle(), bmp.keepaliveInterval(),
                bmp.keepaliveCount());
        if (keepalive != null) {
            throw new StartupFailure(keepalive);
        }
        BmpServer.Limits limits = new BmpServer.Limits(bmp.maxConnections(), bmp.maxConnectionsPerAddress(),
                bmp.firstMessageTimeout(), bmp.messageTimeout());
        if (limits.problem() != null) {
            throw new StartupFailure(limits.problem());
        }
        Map<String, Object> kafka = new HashMap<>();
        if (kafkaConfig.isResolvable()) {
            kafka.putAll(kafkaConfig.get());
        }
        kafka.put("bootstrap.servers", bootstrap);
        producer = new BmpProducer(kafka, config.topics().bgp());
        server = new BmpServer(vertx, new BmpServer.Settings(bmp.host(), bmp.port(), Map.copyOf(bmp.routerIds()),
                bmp.maxClockSkew(), bmp.maxMessageBytes(), bmp.maxInFlight(), bmp.keepaliveIdle(),
                bmp.keepaliveInterval(), bmp.keepaliveCount(), limits), producer, codec, clock,
                new BmpMetrics(registry));
        try {
            port = server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            producer.close();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new StartupFailure("the BMP collector cannot listen on " + bmp.host() + ":" + bmp.port() + " ("
                    + cause.getMessage() + "); set MESHWATCH_BMP_PORT to a free port, or MESHWATCH_BMP_ENABLED=false");
        }
        LOG.infof("BMP collector listening on %s:%d, events to %s", bmp.host(), port, config.topics().bgp());
    }

    /** The port the collector listens on (the real one when configured as 0), or -1 when not listening. */
    public int port() {
        return port;
    }

    void stop(@Observes ShutdownEvent ev) {
        if (server != null) {
            try {
                server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warnf("BMP collector did not close cleanly: %s", e.toString());
            }
            port = -1;
        }
        if (producer != null) {
            producer.close();
        }
    }
}
