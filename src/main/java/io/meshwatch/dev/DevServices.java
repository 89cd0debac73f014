package io.meshwatch.dev;

import io.meshwatch.platform.MeshwatchConfig;
import io.meshwatch.platform.StartupFailure;
import io.meshwatch.platform.StartupOrder;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Dev mode ({@code ./mvnw quarkus:dev}) only: brings up what the service needs on a bare machine,
 * so that one command runs the product. Makes sure the local PostgreSQL role and database exist
 * (through {@code bin/db-setup}) and starts the in-process Kafka broker on the configured bootstrap
 * address when nothing listens there. A live reload finds the broker still listening and keeps it.
 */
@ApplicationScoped
@IfBuildProfile("dev")
public class DevServices {

    private static final Logger LOG = Logger.getLogger(DevServices.class);

    /** Survives for the JVM's life; a live reload loads a new class but the broker keeps listening. */
    private static volatile EmbeddedKafka broker;

    @Inject
    MeshwatchConfig config;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    void database(@Observes @Priority(StartupOrder.DEV_DATABASE) StartupEvent ev) {
        Path script = Path.of("bin", "db-setup");
        if (!config.dev().setupDatabase() || !Files.isExecutable(script)) {
            return;
        }
        try {
            Process p = new ProcessBuilder(script.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new StartupFailure("bin/db-setup failed: " + out);
            }
            LOG.debug(out);
        } catch (IOException e) {
            throw new StartupFailure("cannot run bin/db-setup: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupFailure("interrupted while running bin/db-setup");
        }
    }

    void kafka(@Observes @Priority(StartupOrder.DEV_KAFKA) StartupEvent ev) {
        if (!config.dev().embeddedKafka()) {
            return;
        }
        String first = bootstrap.split(",")[0].trim();
        int colon = first.lastIndexOf(':');
        String host = first.substring(0, colon);
        int port = Integer.parseInt(first.substring(colon + 1));
        if (EmbeddedKafka.listening(host, port)) {
            LOG.infof("Kafka already listening on %s; using it", first);
            return;
        }
        long t0 = System.nanoTime();
        broker = EmbeddedKafka.start(port, Path.of(config.dev().kafkaDataDir()), config.dev().kafkaPartitions());
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "embedded-kafka-stop"));
        broker.createTopics(List.of(config.topics().bgp(), config.topics().telemetry(), config.topics().alerts(),
                config.topics().dlq()), config.dev().kafkaPartitions());
        broker.createTopics(List.of(config.topics().facts()), 1); // one partition: one detection owner
        LOG.infof("Started in-process Kafka broker on %s in %d ms (data in %s)", broker.bootstrapServers(),
                (System.nanoTime() - t0) / 1_000_000, broker.dataDir());
    }
}
