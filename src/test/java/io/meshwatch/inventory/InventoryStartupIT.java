package io.meshwatch.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.dev.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged application (Failsafe, after {@code package}) given an invalid inventory file stops
 * with one line that names the file and every problem, before it tries the database or Kafka
 * (both point at closed ports here).
 */
class InventoryStartupIT {

    static final Path APP = Path.of("target", "quarkus-app");

    @TempDir
    Path dir;

    @Test
    void anInvalidInventoryFileStopsStartUpWithOneLine() throws Exception {
        Path file = dir.resolve("inventory.yaml");
        Files.writeString(file, """
                routers:
                  - { id: cx-ash, asn: 65010 }
                circuits:
                  - id: dx-ash-use1
                    kind: direct-connect
                    a: { router: cx-ash, interface: eth1 }
                    z: { router: tr-use1, interface: eth1 }
                tunnel-groups:
                  - id: vpn-ash-use1
                    tunnels:
                      - { id: vpn-ash-use1-inet, router: cx-ash, role: backup }
                """);
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", APP.resolve("quarkus-run.jar").toString()).redirectErrorStream(true);
        pb.environment().put("MESHWATCH_INVENTORY_FILE", file.toString());
        pb.environment().put("MESHWATCH_DB_PORT", Integer.toString(EmbeddedKafka.freePort()));
        pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + EmbeddedKafka.freePort());
        pb.environment().put("QUARKUS_HTTP_PORT", "0");
        Process p = pb.start();
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "the service gives up instead of hanging");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
        assertTrue(p.exitValue() != 0, "non-zero exit, got " + p.exitValue());
        assertEquals(1, lines.size(), "exactly one line, got:\n" + out);
        assertEquals("Meshwatch cannot start: the inventory file '" + file + "' named by meshwatch.inventory.file "
                + "(MESHWATCH_INVENTORY_FILE) is invalid (2 problems): circuits[0].z.router: unknown router 'tr-use1'; "
                + "tunnel-groups[0]: tunnel group 'vpn-ash-use1' has no primary tunnel -- fix the file (format: "
                + "docs/inventory.md) and start again", lines.get(0));
    }
}
