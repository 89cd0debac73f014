package io.meshwatch.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * After the whole suite (Failsafe runs after every Surefire test): the log that every Quarkus test
 * wrote ({@code target/quarkus-test.log}, test profile) holds none of the test secrets: the
 * secret-probe API key (used for changes, and sent wrong, by {@code AuditApiTest}) and the webhook
 * secret of {@code WebhookDeliveryTest}'s receiver (every signed delivery there used it). The product's log only: the test client's own dumps of
 * failed requests go to the console, not to this file.
 */
class SecretsNotLoggedIT {

    static final Path LOG = Path.of("target", "quarkus-test.log");
    static final List<String> SECRETS = List.of("mw-test-key-7f3a9c1e4b", "s3cret-for-tests");

    @Test
    void noTestSecretAppearsInTheSuitesLog() throws Exception {
        assertTrue(Files.isRegularFile(LOG), LOG + " is written by every @QuarkusTest of the suite (test profile); "
                + "run the whole suite (bin/test) before this test");
        List<String> found = new ArrayList<>();
        long lines = 0;
        List<Path> files;
        try (var listed = Files.list(LOG.getParent())) { // with any rotated file beside it
            files = listed.filter(p -> p.getFileName().toString().startsWith(LOG.getFileName().toString())).toList();
        }
        for (Path file : files) {
            try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    lines++;
                    for (String s : SECRETS) {
                        if (line.contains(s)) {
                            found.add(file.getFileName() + ": " + (line.length() > 300 ? line.substring(0, 300) + "..."
                                    : line));
                        }
                    }
                }
            }
        }
        assertTrue(lines > 1000, "the suite's log has " + lines + " lines: did the Quarkus tests run?");
        assertEquals(List.of(), found, "log lines holding a test secret");
    }
}
