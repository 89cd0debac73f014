package io.meshwatch.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.dev.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged application ({@code target/quarkus-app}, so Failsafe tests only) started with a bad
 * setting: it must stop by itself, non-zero, printing exactly one line. The database port given is
 * closed unless {@code env} names another, and start-up does not wait for it
 * ({@code MESHWATCH_DB_STARTUP_WAIT=0s} unless {@code env} names another wait); Kafka points at a
 * closed port, HTTP at a free one.
 */
public final class PackagedStartup {

    public static final Path APP = Path.of("target", "quarkus-app");

    private PackagedStartup() {
    }

    /** Starts the jar with {@code env} added and returns its one line, after asserting how it ended. */
    public static String refusedWithOneLine(Map<String, String> env) throws Exception {
        List<String> lines = refused(env);
        assertEquals(1, lines.size(), "exactly one line, got:\n" + String.join("\n", lines));
        return lines.get(0);
    }

    /** Starts the jar with {@code env} added and returns what it printed (non-blank lines), after asserting it stopped non-zero. */
    public static List<String> refused(Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", APP.resolve("quarkus-run.jar").toString()).redirectErrorStream(true);
        pb.environment().put("MESHWATCH_DB_PORT", Integer.toString(EmbeddedKafka.freePort()));
        pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + EmbeddedKafka.freePort());
        pb.environment().put("QUARKUS_HTTP_PORT", "0");
        pb.environment().put("MESHWATCH_DB_STARTUP_WAIT", "0s");
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "the service gives up instead of hanging");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
        assertTrue(p.exitValue() != 0, "non-zero exit, got " + p.exitValue() + ":\n" + out);
        return lines;
    }
}
