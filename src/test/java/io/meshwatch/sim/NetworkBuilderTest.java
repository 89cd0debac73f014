package io.meshwatch.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.inventory.Inventory;
import io.meshwatch.inventory.InventoryReader;
import io.meshwatch.routing.Prefix;
import io.meshwatch.sim.SimNetwork.Node;
import io.meshwatch.sim.SimNetwork.PrefixGroup;
import io.meshwatch.sim.SimNetwork.PrefixKind;
import io.meshwatch.sim.SimNetwork.Session;
import io.meshwatch.sim.SimNetwork.SessionKind;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The demo inventory becomes the network the issue describes: sessions, ASNs, addresses, origins. */
class NetworkBuilderTest {

    private final SimNetwork net = NetworkBuilder.build(SimHarness.demoInventory(), SimHarness.demo());

    private long peerAs(String router, String peer) {
        Session s = net.session(router, peer).orElseThrow();
        int me = net.router(router).orElseThrow().index();
        return net.node(s.other(me).node()).asn();
    }

    @Test
    void circuitEndsListedByBothRoutersAreOneSessionOverTheCircuitAndItsPrimaryTunnel() {
        Session s = net.session("cx-ash", "169.254.10.2").orElseThrow();
        assertEquals(s, net.session("tr-use1", "169.254.10.1").orElseThrow());
        assertEquals(SessionKind.CIRCUIT, s.kind());
        assertEquals("dx-ash-use1", s.circuit());
        assertEquals("vpn-ash-use1-dx", s.tunnel());
        assertEquals(0, s.prepend());
        assertEquals(65001, peerAs("cx-ash", "169.254.10.2"));
        assertEquals(65010, peerAs("tr-use1", "169.254.10.1"));
    }

    @Test
    void cloudCircuitsPeerWithTheCloudEdgeAndBackupsWithTheVpnGatewayOrTheSameRouter() {
        assertEquals(12076, peerAs("cx-ash", "169.254.20.2"), "ExpressRoute: Microsoft edge");
        assertEquals(16550, peerAs("cx-fra", "169.254.30.2"), "Partner Interconnect: Google Cloud Router");
        assertEquals(65515, peerAs("cx-ash", "169.254.120.2"), "Azure VPN gateway");
        assertEquals(64514, peerAs("cx-fra", "169.254.130.2"), "GCP HA VPN Cloud Router");
        Session backup = net.session("cx-ash", "169.254.110.2").orElseThrow();
        assertEquals(backup, net.session("tr-use1", "169.254.110.1").orElseThrow(), "same far router as the primary");
        assertEquals(SessionKind.INTERNET_TUNNEL, backup.kind());
        assertEquals(2, backup.prepend());
        assertEquals("vpn-ash-use1-inet", backup.tunnel());
        // the ExpressRoute cloud and its VPN gateway originate the same Azure prefixes
        Node er = net.node(net.session("cx-ash", "169.254.20.2").orElseThrow().b().node());
        Node vpn = net.node(net.session("cx-ash", "169.254.120.2").orElseThrow().b().node());
        assertEquals(er.origins(), vpn.origins());
    }

    @Test
    void transitRoutersFormAnEbgpFullMesh() {
        List<Session> mesh = net.sessions().stream().filter(s -> s.kind() == SessionKind.MESH).toList();
        assertEquals(3, mesh.size());
        assertTrue(mesh.stream().noneMatch(Session::ibgp));
        assertEquals(65002, peerAs("tr-use1", "169.254.250.2"));
        assertEquals(65003, peerAs("tr-euw1", "169.254.250.10"));
    }

    @Test
    void routersInOneAsPeerOverIbgpWithoutPrepending() throws Exception {
        Inventory inv = InventoryReader.read("""
                version: 1
                routers:
                  - { id: r1, asn: 65100, role: transit }
                  - { id: r2, asn: 65100, role: transit }
                  - { id: r3, asn: 65200, role: transit }
                prefixes:
                  - { prefix: 10.50.0.0/16, name: r1 site }
                """);
        SimHarness h = new SimHarness(inv, SimHarness.demo()).started();
        Session s = h.net.session("r1", "169.254.250.2").orElseThrow();
        assertTrue(s.ibgp());
        var best = h.lookup("r2", "10.50.1.1");
        assertEquals("169.254.250.1", best.path().peer().address().toString());
        assertEquals("", best.path().attributes().asPath().toString(), "iBGP does not prepend");
        assertEquals(100, best.path().attributes().localPref());
        assertEquals("65100", h.lookup("r3", "10.50.1.1").path().attributes().asPath().toString());
    }

    private String originOf(String prefix) {
        PrefixGroup g = net.prefixGroups().stream().filter(x -> x.prefixes().equals(List.of(Prefix.parse(prefix))))
                .findFirst().orElseThrow();
        return net.nodes().stream().filter(n -> n.origins().contains(g.index())).findFirst().orElseThrow().id();
    }

    @Test
    void watchedPrefixesAreOriginatedBehindTheTunnelGroupThatReachesThem() {
        assertEquals("tr-use1", originOf("10.1.0.0/16"), "remote gateway 10.1.255.10 is inside");
        assertEquals("tr-use1", originOf("10.1.200.0/24"), "covered by 10.1.0.0/16");
        assertEquals("tr-euw1", originOf("10.2.0.0/16"));
        assertEquals("tr-apse1", originOf("10.3.0.0/16"), "its name mentions ap-southeast-1");
        assertEquals("cloud-er-ash-azure", originOf("10.10.0.0/16"));
        assertEquals("cloud-er-ash-azure", originOf("10.10.50.0/24"));
        assertEquals("cloud-ic-fra-gcp", originOf("10.20.60.0/24"));
    }

    @Test
    void extraPrefixesAreDistinctSlash24sPerRouter() {
        Set<Prefix> all = new HashSet<>();
        for (Node r : net.routers()) {
            PrefixGroup g = net.extras(r.id()).orElseThrow();
            assertEquals(PrefixKind.EXTRA, g.kind());
            assertEquals(20, g.prefixes().size());
            for (Prefix p : g.prefixes()) {
                assertTrue(Prefix.parse("10.128.0.0/9").covers(p), p + " in 10.128.0.0/9");
                assertEquals(24, p.length());
                assertTrue(all.add(p), p + " only once");
            }
        }
        assertEquals(List.of("65010:300"), net.extras("cx-ash").orElseThrow().communities());
        var e = assertThrows(IllegalArgumentException.class,
                () -> NetworkBuilder.build(SimHarness.demoInventory(), SimHarness.demo().withExtraPrefixes(10_000)));
        assertTrue(e.getMessage().contains("full-table"), e.getMessage());
    }

    @Test
    void everyRouterHasATransitSessionThatStartsDown() {
        for (Node r : net.routers()) {
            Session s = net.transitSession(r.id());
            assertEquals(3356, net.node(s.b().node()).asn());
            assertFalse(net.sessionNames().contains(r.id() + "/" + s.b().address()), "not a scenario target");
        }
        SimHarness h = new SimHarness(SimHarness.demo()).started();
        assertFalse(h.sim.state().sessionUp[net.transitSession("cx-ash").index()]);
    }

    @Test
    void interfacesAreTheCircuitEndsPlusAnInternetUplink() {
        List<String> cxAsh = net.interfaces().stream().filter(i -> i.router().equals("cx-ash"))
                .map(i -> i.name() + ":" + i.circuit()).toList();
        assertEquals(List.of("eth1:dx-ash-use1", "eth2:er-ash-azure", "eth0:null"), cxAsh);
        assertEquals(List.of("eth1:dx-ash-use1", "eth0:null"), net.interfaces().stream()
                .filter(i -> i.router().equals("tr-use1")).map(i -> i.name() + ":" + i.circuit()).toList());
    }

    @Test
    void otherEndOfPointToPointLinks() {
        assertEquals("169.254.10.1", NetworkBuilder.otherEnd("169.254.10.2"));
        assertEquals("169.254.10.2", NetworkBuilder.otherEnd("169.254.10.1"));
        assertEquals("169.254.10.6", NetworkBuilder.otherEnd("169.254.10.5"));
        assertEquals("2001:db8::2", NetworkBuilder.otherEnd("2001:db8::1"));
    }
}
