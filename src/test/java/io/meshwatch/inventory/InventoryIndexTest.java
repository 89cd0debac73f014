package io.meshwatch.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class InventoryIndexTest {

    static InventoryIndex demo;

    @BeforeAll
    static void index() throws Exception {
        demo = InventoryIndex.of(InventoryReader.read(InventoryReaderTest.demo()));
    }

    @Test
    void routersAndCircuitsById() {
        assertEquals(65010, demo.router("cx-ash").orElseThrow().asn());
        assertEquals(Optional.empty(), demo.router("cx-nowhere"));
        assertEquals(CircuitKind.EXPRESSROUTE, demo.circuit("er-ash-azure").orElseThrow().kind());
        assertEquals(Optional.empty(), demo.circuit("cx-ash"));
    }

    @Test
    void circuitByEitherEndsInterface() {
        assertEquals("dx-ash-use1", demo.circuit("cx-ash", "eth1").orElseThrow().id());
        assertEquals("dx-ash-use1", demo.circuit("tr-use1", "eth1").orElseThrow().id());
        assertEquals("er-ash-azure", demo.circuit("cx-ash", "eth2").orElseThrow().id());
        // the far end of a cloud circuit is not a router interface
        assertEquals(Optional.empty(), demo.circuit("cx-ash", "msee-eastus-primary"));
        assertEquals(Optional.empty(), demo.circuit("cx-ash", "eth9"));
        assertEquals(Optional.empty(), demo.circuit("cx-fra", "eth1").filter(c -> c.id().equals("dx-ash-use1")));
    }

    @Test
    void circuitsAndTunnelOfASession() {
        // BGP over the primary tunnel over Direct Connect: both the circuit and the tunnel
        assertEquals(List.of("dx-ash-use1"), ids(demo.circuitsOf("cx-ash", "default", "169.254.10.2")));
        assertEquals("vpn-ash-use1-dx", demo.tunnelOf("cx-ash", "default", "169.254.10.2").orElseThrow().id());
        // the backup rides the internet: a tunnel, no circuit
        assertEquals(List.of(), demo.circuitsOf("cx-ash", "default", "169.254.110.2"));
        assertEquals("vpn-ash-use1-inet", demo.tunnelOf(new SessionRef("cx-ash", "default", "169.254.110.2"))
                .orElseThrow().id());
        // the transit router's side of the circuit: no tunnel of its own
        assertEquals(List.of("dx-ash-use1"), ids(demo.circuitsOf("tr-use1", "default", "169.254.10.1")));
        assertEquals(Optional.empty(), demo.tunnelOf("tr-use1", "default", "169.254.10.1"));
        // the key is the whole (router, vrf, peer)
        assertEquals(List.of(), demo.circuitsOf("cx-ash", "blue", "169.254.10.2"));
        assertEquals(List.of(), demo.circuitsOf("cx-fra", "default", "169.254.10.2"));
        assertEquals(Optional.empty(), demo.tunnelOf("cx-fra", "default", "169.254.10.2"));
    }

    @Test
    void aSessionDependsOnTheCircuitItsTunnelRidesEvenWhenTheCircuitDoesNotListIt() {
        Router r = new Router("r1", null, null, 65001, RouterRole.EDGE);
        Circuit c = new Circuit("c1", CircuitKind.CROSS_CONNECT, null, new Endpoint("r1", "eth0"), null, List.of(),
                CircuitThresholds.defaults());
        SessionRef s = new SessionRef("r1", "default", "10.9.9.2");
        Tunnel primary = new Tunnel("t1", "r1", null, TunnelRole.PRIMARY, "c1", s, List.of());
        Tunnel backup = new Tunnel("t2", "r1", null, TunnelRole.BACKUP, null, null, List.of());
        InventoryIndex x = InventoryIndex.of(new Inventory(List.of(r), List.of(c),
                List.of(new TunnelGroup("g1", Duration.ofSeconds(30), List.of(primary, backup))), List.of()));
        assertEquals(List.of("c1"), ids(x.circuitsOf(s)));
        assertEquals("t1", x.tunnelOf(s).orElseThrow().id());
        assertEquals(List.of(primary), x.tunnelsOver("c1"));
    }

    @Test
    void tunnelsByIdOrAliasAndTheirGroups() {
        Tunnel inet = demo.tunnel("vpn-ash-use1-inet").orElseThrow();
        assertEquals(inet, demo.tunnel("vpn-0a11c0ffee0000001:52.23.10.10").orElseThrow());
        assertEquals("vpn-ash-use1", demo.groupOf("vpn-0a11c0ffee0000001:52.23.10.10").orElseThrow().id());
        assertEquals("vpn-fra-gcp", demo.groupOf("vpn-fra-gcp-ic").orElseThrow().id());
        assertEquals(Duration.ofSeconds(45), demo.tunnelGroup("vpn-ash-azure").orElseThrow().failoverObjective());
        assertEquals(Optional.empty(), demo.tunnel("vpn-ash-use1"));
        assertEquals(Optional.empty(), demo.groupOf("vpn-ash-use1"));
        assertEquals(List.of("vpn-ash-azure-er"), demo.tunnelsOver("er-ash-azure").stream().map(Tunnel::id).toList());
        assertEquals(List.of(), demo.tunnelsOver("no-such-circuit"));
    }

    @Test
    void watchedPrefixesByVrfAndPrefix() {
        WatchedPrefix p = demo.prefix("default", "10.1.200.0/24").orElseThrow();
        assertEquals(Severity.CRITICAL, p.severity());
        assertEquals(List.of("cx-ash"), p.routers());
        assertEquals(Optional.empty(), demo.prefix("default", "10.1.200.0/23"));
        assertEquals(Optional.empty(), demo.prefix("blue", "10.1.200.0/24"));
    }

    @Test
    void answersAreImmutable() {
        assertThrows(UnsupportedOperationException.class,
                () -> demo.circuitsOf("cx-ash", "default", "169.254.10.2").clear());
        assertThrows(UnsupportedOperationException.class, () -> demo.tunnelsOver("dx-ash-use1").clear());
        assertTrue(InventoryIndex.of(Inventory.empty()).router("cx-ash").isEmpty());
    }

    private static List<String> ids(List<Circuit> circuits) {
        return circuits.stream().map(Circuit::id).toList();
    }
}
