package io.meshwatch.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class InventoryReaderTest {

    static String demo() throws IOException {
        try (InputStream in = InventoryReaderTest.class.getResourceAsStream("/inventory/demo.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsTheDemoNetwork() throws Exception {
        Inventory inv = InventoryReader.read(demo());
        assertEquals(List.of("tr-use1", "tr-euw1", "tr-apse1", "cx-ash", "cx-fra"),
                inv.routers().stream().map(Router::id).toList());
        Circuit dx = inv.circuits().get(0);
        assertEquals(CircuitKind.DIRECT_CONNECT, dx.kind());
        assertEquals(new Endpoint("cx-ash", "eth1"), dx.a());
        assertEquals(new SessionRef("cx-ash", "default", "169.254.10.2"), dx.sessions().get(0));
        assertEquals(15.0, dx.thresholds().latencyMs());
        assertEquals(Duration.ofSeconds(30), dx.thresholds().dwell());
        assertEquals(3, dx.thresholds().downProbes());
        assertEquals(0.8, dx.thresholds().clearRatio());
        Circuit er = inv.circuits().get(2);
        assertNull(er.z().router());
        TunnelGroup g = inv.tunnelGroups().get(0);
        assertEquals(Duration.ofSeconds(30), g.failoverObjective());
        assertEquals(TunnelRole.PRIMARY, g.tunnels().get(0).role());
        assertEquals("dx-ash-use1", g.tunnels().get(0).circuit());
        assertNull(g.tunnels().get(1).circuit());
        assertEquals(List.of("vpn-0a11c0ffee0000001:52.23.10.10"), g.tunnels().get(1).aliases());
        WatchedPrefix customer = inv.prefixes().get(5);
        assertEquals(Severity.CRITICAL, customer.severity());
        assertEquals(List.of("cx-ash"), customer.routers());
        assertEquals(Severity.MAJOR, inv.prefixes().get(0).severity());
        assertTrue(inv.prefixes().get(0).routers().isEmpty());
    }

    @Test
    void listsEveryProblemWithItsPlace() {
        String doc = """
                routers:
                  - { id: r1, asn: 65001, role: transit }
                  - { id: r1, asn: 70000000000 }
                circuits:
                  - id: c1
                    kind: dx
                    a: { router: nowhere, interface: eth0 }
                    sessions: [ { router: r1, peer: 10.0.0.300 } ]
                    thresholds: { latency: 5, dwell: soon }
                tunnel-groups:
                  - id: g1
                    tunnels:
                      - { id: t1, router: r1, role: backup, circuit: c9 }
                prefixes:
                  - { prefix: 10.0.0.0/33, severity: urgent, routers: [r2] }
                """;
        InvalidInventoryException e = assertThrows(InvalidInventoryException.class, () -> InventoryReader.read(doc));
        List<String> p = e.problems();
        assertTrue(p.contains("routers[1].asn: expected an AS number 1..4294967295, got 70000000000"), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.startsWith("circuits[0].kind: unknown value \"dx\"")), p.toString());
        assertTrue(p.contains("circuits[0].sessions[0].peer: not an IP address: '10.0.0.300'"), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.startsWith("circuits[0].thresholds.latency: unknown field")), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.startsWith("circuits[0].thresholds.dwell: expected a duration")), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.startsWith("prefixes[0].prefix: not a prefix")), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.startsWith("prefixes[0].severity: unknown value")), p.toString());
        assertEquals(7, p.size(), p.toString());
    }

    @Test
    void crossReferencesAreCheckedOnceFieldsAreWellFormed() {
        String doc = """
                routers:
                  - { id: r1, asn: 65001 }
                  - { id: r1, asn: 65002 }
                circuits:
                  - id: c1
                    kind: direct-connect
                    a: { router: nowhere, interface: eth0 }
                    sessions: [ { router: r1, peer: 10.0.0.1 } ]
                tunnel-groups:
                  - id: g1
                    failover-objective: 30s
                    tunnels:
                      - { id: t1, router: r1, role: backup, circuit: c9 }
                prefixes:
                  - { prefix: 10.0.0.0/8, routers: [r2] }
                """;
        InvalidInventoryException e = assertThrows(InvalidInventoryException.class, () -> InventoryReader.read(doc));
        assertEquals(List.of(
                "routers[1].id: duplicate router id 'r1'",
                "circuits[0].a.router: unknown router 'nowhere'",
                "circuits[0].sessions[0].router: router 'r1' is at neither end of circuit 'c1'",
                "tunnel-groups[0]: tunnel group 'g1' has no primary tunnel",
                "tunnel-groups[0].tunnels[0].circuit: unknown circuit 'c9'",
                "prefixes[0].routers[0]: unknown router 'r2'"), e.problems());
    }

    @Test
    void malformedYamlSaysWhere() {
        InvalidInventoryException e = assertThrows(InvalidInventoryException.class,
                () -> InventoryReader.read("routers: [ { id: r1\n"));
        assertTrue(e.problems().get(0).startsWith("not valid YAML or JSON at line"), e.problems().toString());
    }
}
