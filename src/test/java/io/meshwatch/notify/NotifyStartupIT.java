package io.meshwatch.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.dev.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged application (Failsafe, after {@code package}) given a bad Alertmanager URL stops with
 * one line naming the property and what is wrong, before it tries the database or Kafka (both
 * point at closed ports here).
 */
class NotifyStartupIT {

    static final Path APP = Path.of("target", "quarkus-app");

    @Test
    void aBadAlertmanagerUrlStopsStartUpWithOneLine() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", APP.resolve("quarkus-run.jar").toString()).redirectErrorStream(true);
        pb.environment().put("MESHWATCH_NOTIFY_ALERTMANAGER_URL", "alertmanager:9093");
        pb.environment().put("MESHWATCH_DB_PORT", Integer.toString(EmbeddedKafka.freePort()));
        pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + EmbeddedKafka.freePort());
        pb.environment().put("QUARKUS_HTTP_PORT", "0");
        Process p = pb.start();
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "the service gives up instead of hanging");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
        assertTrue(p.exitValue() != 0, "non-zero exit, got " + p.exitValue());
        assertEquals(1, lines.size(), "exactly one line, got:\n" + out);
        assertEquals("Meshwatch cannot start: meshwatch.notify.alertmanager.url: url 'alertmanager:9093' must be an "
                + "absolute http:// or https:// URL with a host", lines.get(0));
    }
}
