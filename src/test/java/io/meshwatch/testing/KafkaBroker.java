package io.meshwatch.testing;

import io.meshwatch.dev.EmbeddedKafka;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/**
 * Test resource: one real in-process Kafka broker (KRaft) per test JVM, on a free port, shared by
 * every {@code @QuarkusTest} (Quarkus restarts between test profiles; the broker does not).
 */
public class KafkaBroker implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedKafka broker;

    /** The running broker, started on first use. */
    public static synchronized EmbeddedKafka get() {
        if (broker == null) {
            try {
                broker = EmbeddedKafka.start(0, Files.createTempDirectory("meshwatch-test-kafka"), 4);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            broker.createTopics(List.of("meshwatch.bgp.v1", "meshwatch.telemetry.v1", "meshwatch.alerts.v1",
                    "meshwatch.dlq.v1"), 4);
            broker.createTopics(List.of("meshwatch.facts.v1"), 1);
            EmbeddedKafka started = broker;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "test-kafka-stop"));
        }
        return broker;
    }

    public static String bootstrap() {
        return get().bootstrapServers();
    }

    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", bootstrap());
    }

    @Override
    public void stop() {
        // shared for the JVM's life; closed by the shutdown hook
    }
}
