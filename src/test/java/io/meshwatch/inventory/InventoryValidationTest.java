package io.meshwatch.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The checks added for mistakes an operator makes when wiring tunnels, sessions and circuits. */
class InventoryValidationTest {

    static final String ROUTERS = """
            routers:
              - { id: cx-ash, asn: 65010 }
              - { id: cx-fra, asn: 65011 }
              - { id: tr-use1, asn: 65001 }
            """;

    @Test
    void tunnelsSessionsAndCircuitsMustAgree() {
        String doc = ROUTERS + """
                circuits:
                  - id: dx-ash
                    kind: direct-connect
                    a: { router: cx-ash, interface: eth1 }
                    z: { router: tr-use1, interface: eth1 }
                    sessions:
                      - { router: cx-ash, peer: 169.254.10.2 }
                      - { router: cx-ash, peer: 169.254.10.2 }
                  - id: dx-ash-2
                    kind: direct-connect
                    a: { router: cx-ash, interface: eth1 }
                tunnel-groups:
                  - id: g1
                    tunnels:
                      - { id: t1, router: cx-fra, role: primary, circuit: dx-ash }
                      - { id: t2, router: cx-ash, role: backup, session: { router: cx-ash, peer: 169.254.10.2 } }
                  - id: g2
                    tunnels:
                      - { id: t3, router: cx-ash, role: primary, circuit: dx-ash, session: { router: cx-ash, peer: 169.254.10.2 } }
                      - { id: t4, router: cx-fra, role: backup, session: { router: cx-fra, peer: 169.254.10.2 } }
                """;
        InvalidInventoryException e = assertThrows(InvalidInventoryException.class, () -> InventoryReader.read(doc));
        assertFalse(e.malformed());
        assertEquals(List.of(
                "circuits[0].sessions[1]: session cx-ash 169.254.10.2 is listed twice",
                "circuits[1].a: interface cx-ash eth1 is already an end of circuit 'dx-ash'",
                "tunnel-groups[0].tunnels[0].circuit: circuit 'dx-ash' has no end on the tunnel's router 'cx-fra'",
                "tunnel-groups[0].tunnels[1].circuit: session cx-ash 169.254.10.2 rides circuit 'dx-ash' (it is in that "
                        + "circuit's sessions) but tunnel 't2' rides the internet",
                "tunnel-groups[1].tunnels[0].session: session cx-ash 169.254.10.2 already runs over tunnel 't2'",
                "tunnel-groups[1].tunnels[1].session.router: peer 169.254.10.2 is a session of circuit 'dx-ash' on "
                        + "router 'cx-ash', not on 'cx-fra'; a session is named by its router, VRF and peer"),
                e.problems());
    }

    @Test
    void aCircuitWhoseEndsAreOneInterfaceIsRefused() {
        String doc = ROUTERS + """
                circuits:
                  - { id: loop, kind: cross-connect, a: { router: cx-ash, interface: eth3 }, z: { router: cx-ash, interface: eth3 } }
                """;
        InvalidInventoryException e = assertThrows(InvalidInventoryException.class, () -> InventoryReader.read(doc));
        assertEquals(List.of("circuits[0].z: interface cx-ash eth3 is already an end of circuit 'loop' (both ends are "
                + "the same interface)"), e.problems());
    }

    @Test
    void aKeyGivenTwiceIsAnErrorNotTheLastOneWins() {
        String doc = ROUTERS + """
                circuits:
                  - id: dx-ash
                    kind: direct-connect
                    a: { router: cx-ash, interface: eth1 }
                    thresholds: { latency-ms: 15 }
                    thresholds: { latency-ms: 150 }
                """;
        InvalidInventoryException e = assertThrows(InvalidInventoryException.class, () -> InventoryReader.read(doc));
        assertTrue(e.malformed());
        assertEquals(1, e.problems().size());
        assertTrue(e.problems().get(0).startsWith("not valid YAML or JSON at line 10, column 15: Duplicate field 'thresholds'"), e.problems().toString());
    }

    @Test
    void downProbesIsAWholeNumber() {
        String doc = ROUTERS + """
                circuits:
                  - { id: c1, kind: cross-connect, a: { router: cx-ash, interface: eth1 }, thresholds: { down-probes: 2.5 } }
                """;
        InvalidInventoryException e = assertThrows(InvalidInventoryException.class, () -> InventoryReader.read(doc));
        assertEquals(List.of("circuits[0].thresholds.down-probes: expected a whole number of probe rounds, got 2.5"),
                e.problems());
    }

    @Test
    void jsonIsReadAsJsonTabsAndEscapedSlashesIncluded() throws Exception {
        String json = "{\n\t\"routers\": [\n\t\t{\"id\": \"cx\\/ash\", \"asn\": 65010}\n\t]\n}";
        assertEquals("cx/ash", InventoryReader.read(json, DocumentFormat.JSON).routers().get(0).id());
        InvalidInventoryException e = assertThrows(InvalidInventoryException.class,
                () -> InventoryReader.read("{\"routers\": [}", DocumentFormat.JSON));
        assertTrue(e.malformed());
        assertTrue(e.problems().get(0).startsWith("not valid JSON at line 1, column 14"), e.problems().toString());
    }

    @Test
    void theDemoNetworkPassesEveryCheck() throws Exception {
        assertEquals(4, InventoryReader.read(InventoryReaderTest.demo()).tunnelGroups().size());
    }
}
