package io.meshwatch.bench;

import io.meshwatch.dev.EmbeddedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * A fresh in-process broker for one benchmark: {@link EmbeddedKafka} on a free port with its log in
 * a new temporary directory and the two topics the service consumes, {@value #TOPIC} and
 * {@code meshwatch.telemetry.v1}, created with 4 partitions each (as in a deployment; a topic the
 * broker created on first use later would rebalance the service's consumer group mid-run). Closing
 * it stops the broker and deletes the directory.
 */
final class ScratchKafka implements AutoCloseable {

    static final String TOPIC = "meshwatch.bgp.v1";

    private final Path dir;
    private final EmbeddedKafka broker;

    private ScratchKafka(Path dir, EmbeddedKafka broker) {
        this.dir = dir;
        this.broker = broker;
    }

    static ScratchKafka start() throws IOException {
        Path dir = Files.createTempDirectory("meshwatch-bench-kafka");
        EmbeddedKafka broker = null;
        try {
            broker = EmbeddedKafka.start(0, dir, 4);
            broker.createTopics(List.of(TOPIC, "meshwatch.telemetry.v1"), 4);
            return new ScratchKafka(dir, broker);
        } catch (RuntimeException e) {
            if (broker != null) {
                broker.close();
            }
            deleteTree(dir);
            throw e;
        }
    }

    EmbeddedKafka broker() {
        return broker;
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    @Override
    public void close() {
        try {
            broker.close();
        } finally {
            deleteTree(dir);
        }
    }

    /** Deletes a directory and everything below it. */
    static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
