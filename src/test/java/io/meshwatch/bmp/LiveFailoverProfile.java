package io.meshwatch.bmp;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The live failover test's service: the simulator off, and an inventory describing the lab of
 * {@link FailoverLab} (written by {@link Inventory} before Quarkus starts, because its names carry the
 * run id, so that one run's routers and sessions never meet another's in the database).
 */
public class LiveFailoverProfile implements QuarkusTestProfile {

    /** Where each run keeps its inventory, configurations and logs: {@code target/live-failover/<run id>/}. */
    static final Path ROOT = Path.of("target", "live-failover").toAbsolutePath();

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("meshwatch.sim.enabled", "false");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Inventory.class));
    }

    /** The names of one run's lab in the inventory. */
    record Names(String id) {

        /** The run whose inventory file this is. */
        static Names of(String inventoryFile) {
            return new Names(Path.of(inventoryFile).getParent().getFileName().toString());
        }

        Path dir() {
            return ROOT.resolve(id);
        }

        /** r1's router id: its FRR hostname, which FRR sends as the BMP sysName. */
        String r1() {
            return "fo" + id + "-r1";
        }

        String r2() {
            return "fo" + id + "-r2";
        }

        String circuit() {
            return "xc-" + id;
        }

        String group() {
            return "vpn-" + id;
        }

        String primary() {
            return "vpn-" + id + "-xc";
        }

        String backup() {
            return "vpn-" + id + "-inet";
        }

        String inventory() {
            return """
                    # The live failover test's lab (FailoverLab), run %1$s: r1 and r2 with an IPSec tunnel group,
                    # the primary over a cross-connect, the backup over the internet, eBGP inside each tunnel.
                    version: 1
                    routers:
                      - { id: %2$s, asn: %4$d, role: edge, site: network namespace mwf%1$s-r1 }
                      - { id: %3$s, asn: %5$d, role: edge, site: network namespace mwf%1$s-r2 }
                    circuits:
                      - id: %6$s
                        kind: cross-connect
                        provider: Linux bridge in network namespace mwf%1$s-cx
                        a: { router: %2$s, interface: %7$s }
                        z: { router: %3$s, interface: %7$s }
                        sessions:
                          - { router: %2$s, peer: %8$s }
                    tunnel-groups:
                      - id: %9$s
                        failover-objective: 30s
                        tunnels:
                          - id: %10$s
                            router: %2$s
                            remote-gateway: %11$s
                            role: primary
                            circuit: %6$s
                            session: { router: %2$s, peer: %8$s }
                          - id: %12$s
                            router: %2$s
                            remote-gateway: %13$s
                            role: backup
                            session: { router: %2$s, peer: %14$s }
                    prefixes:
                      - { prefix: %15$s, name: watched prefix originated by r2, severity: major, routers: [ %2$s ] }
                    """.formatted(id, r1(), r2(), FailoverLab.R1_AS, FailoverLab.R2_AS, circuit(),
                    FailoverLab.CIRCUIT_INTERFACE, FailoverLab.R2_PRIMARY, group(), primary(), FailoverLab.R2_CIRCUIT,
                    backup(), FailoverLab.R2_INTERNET, FailoverLab.R2_BACKUP, FailoverLab.WATCHED);
        }
    }

    /** Picks the run id and writes the run's inventory before the service starts; names it in the configuration. */
    public static class Inventory implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            Names names = new Names(HexFormat.of().formatHex(LiveLab.randomBytes(3)));
            try {
                Path file = Files.createDirectories(names.dir()).resolve("inventory.yaml");
                Files.writeString(file, names.inventory());
                return Map.of("meshwatch.inventory.file", file.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void stop() {
        }
    }
}
