package io.meshwatch.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.dev.EmbeddedKafka;
import io.meshwatch.testing.PackagedStartup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * Checks the packaged application in {@code target/quarkus-app} (run by Failsafe after
 * {@code package}): it carries no Kafka broker, and with an unreachable database it stops with one
 * line that says where it tried and how to fix it.
 */
class ProductionPackagingIT {

    static final Path APP = Path.of("target", "quarkus-app");

    @Test
    void productionArtifactContainsNoKafkaBroker() throws IOException {
        assertTrue(Files.isRegularFile(APP.resolve("quarkus-run.jar")), "the application is packaged");
        List<Path> jars;
        try (Stream<Path> s = Files.walk(APP)) {
            jars = s.filter(p -> p.toString().endsWith(".jar")).toList();
        }
        assertTrue(jars.size() > 50, "found the dependency jars");
        for (Path jar : jars) {
            String name = jar.getFileName().toString();
            assertTrue(!name.contains("kafka_2.13") && !name.contains("kafka-server-") && !name.contains("kafka-raft")
                    && !name.contains("kafka-metadata") && !name.contains("scala-library"),
                    "broker artifact in the production application: " + name);
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                assertTrue(zip.getEntry("kafka/server/KafkaRaftServer.class") == null,
                        "Kafka broker classes in " + name);
            }
        }
        assertTrue(jars.stream().anyMatch(p -> p.getFileName().toString().contains("kafka-clients")),
                "the Kafka client is there");
    }

    @Test
    void unreachableDatabaseIsWaitedForWithOneLineThenStartupStopsWithOneLine() throws Exception {
        int closedPort = EmbeddedKafka.freePort();
        List<String> printed = PackagedStartup.refused(Map.of("MESHWATCH_DB_PORT", Integer.toString(closedPort),
                "MESHWATCH_DB_STARTUP_WAIT", "4s"));
        // Quarkus' banner comes with the first log line; after it, only our two lines
        List<String> lines = printed.stream().dropWhile(l -> !l.matches("^\\d{4}-\\d\\d-\\d\\d .*")).toList();
        assertEquals(2, lines.size(), "a warning while it waits, then the reason it stops; no stack trace:\n"
                + String.join("\n", printed));
        assertTrue(lines.get(0).contains("WARN") && lines.get(0).contains("Waiting for PostgreSQL (up to PT4S")
                && lines.get(0).contains("127.0.0.1:" + closedPort), lines.get(0));
        assertTrue(lines.get(1).startsWith("Meshwatch cannot start: cannot use PostgreSQL"), lines.get(1));
    }

    /** With no wait ({@code meshwatch.db.startup-wait=0s}), start-up stops at the first refused connection. */
    @Test
    void unreachableDatabaseStopsStartupWithOneClearLine() throws Exception {
        int closedPort = EmbeddedKafka.freePort();
        String line = PackagedStartup.refusedWithOneLine(Map.of("MESHWATCH_DB_PORT", Integer.toString(closedPort)));
        assertTrue(line.startsWith("Meshwatch cannot start:"), line);
        assertTrue(line.contains("127.0.0.1:" + closedPort), "says where it tried: " + line);
        assertTrue(line.contains("bin/db-setup") && line.contains("MESHWATCH_DB_PORT"), "says how to fix: " + line);
    }
}
