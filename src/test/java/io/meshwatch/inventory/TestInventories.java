package io.meshwatch.inventory;

import java.io.IOException;

/** Inventory documents the integration tests store, and the demo they put back. */
public final class TestInventories {

    /** A small valid network, with a comment that must survive storage. */
    public static final String LAB = """
            # lab network: one circuit, one tunnel group
            version: 1
            routers:
              - { id: lab-a, asn: 64601, role: cloud-exchange }
              - { id: lab-b, asn: 64602, role: transit, region: eu-west-1 }
            circuits:
              - id: lab-dx
                kind: direct-connect
                a: { router: lab-a, interface: eth1 }
                z: { router: lab-b, interface: eth1 }
                sessions: [ { router: lab-a, peer: 169.254.50.2 } ]
            tunnel-groups:
              - id: lab-vpn
                failover-objective: 20s
                tunnels:
                  - { id: lab-vpn-dx, router: lab-a, role: primary, circuit: lab-dx, session: { router: lab-a, peer: 169.254.50.2 } }
                  - { id: lab-vpn-inet, router: lab-a, role: backup, aliases: [ "vpn-lab:192.0.2.4" ] }
            prefixes:
              - { prefix: 10.50.0.0/16, name: lab VPCs }
            """;

    private TestInventories() {
    }

    /** A network of one router, {@code id}: tells one revision from another. */
    public static String oneRouter(String id) {
        return "version: 1\nrouters:\n  - { id: " + id + ", asn: 64700 }\n";
    }

    public static String demo() throws IOException {
        return InventoryReaderTest.demo();
    }

    /** Puts the demo network back in force (tests in the same service expect it). */
    public static void restoreDemo(InventoryService service) throws Exception {
        Inventory demo = InventoryReader.read(demo());
        if (!service.current().equals(demo)) {
            service.replace(demo, demo(), "test clean-up");
        }
    }
}
