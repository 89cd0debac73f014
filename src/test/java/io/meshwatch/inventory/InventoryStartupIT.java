package io.meshwatch.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meshwatch.testing.PackagedStartup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged application (Failsafe, after {@code package}) given an invalid inventory file stops
 * with one line that names the file and every problem, before it tries the database or Kafka
 * (both point at closed ports here).
 */
class InventoryStartupIT {

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
        String line = PackagedStartup.refusedWithOneLine(Map.of("MESHWATCH_INVENTORY_FILE", file.toString()));
        assertEquals("Meshwatch cannot start: the inventory file '" + file + "' named by meshwatch.inventory.file "
                + "(MESHWATCH_INVENTORY_FILE) is invalid (2 problems): circuits[0].z.router: unknown router 'tr-use1'; "
                + "tunnel-groups[0]: tunnel group 'vpn-ash-use1' has no primary tunnel -- fix the file (format: "
                + "docs/inventory.md) and start again", line);
    }
}
