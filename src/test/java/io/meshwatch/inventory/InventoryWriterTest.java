package io.meshwatch.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class InventoryWriterTest {

    @Test
    void theDemoReadsBackEqualFromYamlAndJson() throws Exception {
        Inventory demo = InventoryReader.read(InventoryReaderTest.demo());
        assertEquals(demo, InventoryReader.read(InventoryWriter.yaml(demo)));
        assertEquals(demo, InventoryReader.read(InventoryWriter.json(demo), DocumentFormat.JSON));
    }

    @Test
    void fieldNamesAndValuesAreThoseOfTheDocument() throws Exception {
        ObjectNode t = InventoryWriter.tree(InventoryReader.read(InventoryReaderTest.demo()));
        assertEquals(1, t.get("version").asInt());
        assertEquals("cloud-exchange", t.at("/routers/3/role").asText());
        JsonNode dx = t.at("/circuits/0");
        assertEquals("direct-connect", dx.get("kind").asText());
        assertEquals("cx-ash", dx.at("/a/router").asText());
        assertEquals("default", dx.at("/sessions/0/vrf").asText());
        assertEquals("15", dx.at("/thresholds/latency-ms").toString());
        assertEquals("30s", dx.at("/thresholds/dwell").asText());
        assertEquals("0.8", dx.at("/thresholds/clear-ratio").toString());
        // a cloud's edge is not a router: no router field at all
        assertFalse(t.at("/circuits/2/z").has("router"));
        assertEquals("30s", t.at("/tunnel-groups/0/failover-objective").asText());
        assertEquals("primary", t.at("/tunnel-groups/0/tunnels/0/role").asText());
        assertEquals("10.1.255.10", t.at("/tunnel-groups/0/tunnels/0/remote-gateway").asText());
        assertFalse(t.at("/tunnel-groups/0/tunnels/0").has("aliases"), "no empty alias list");
        assertEquals("vpn-0a11c0ffee0000001:52.23.10.10", t.at("/tunnel-groups/0/tunnels/1/aliases/0").asText());
        assertEquals("critical", t.at("/prefixes/5/severity").asText());
    }

    @Test
    void thresholdsAreWrittenInFullSoThatNotCheckedSurvives() throws Exception {
        Inventory inv = InventoryReader.read("""
                routers: [ { id: r1, asn: 65001 } ]
                circuits:
                  - { id: c1, kind: cross-connect, a: { router: r1, interface: eth0 }, thresholds: { loss-pct: null } }
                  - { id: c2, kind: cross-connect, a: { router: r1, interface: eth1 } }
                """);
        assertEquals(null, inv.circuits().get(0).thresholds().lossPct());
        JsonNode t = InventoryWriter.tree(inv);
        assertTrue(t.at("/circuits/0/thresholds/loss-pct").isNull());
        assertTrue(t.at("/circuits/0/thresholds").has("loss-pct"));
        assertEquals("2", t.at("/circuits/1/thresholds/loss-pct").toString());
        assertEquals("3", t.at("/circuits/1/thresholds/down-probes").toString());
        assertEquals(inv, InventoryReader.read(InventoryWriter.yaml(inv)));
    }

    @Test
    void durationsUseTheShortestExactSpelling() {
        assertEquals("30s", InventoryWriter.duration(Duration.ofSeconds(30)));
        assertEquals("90s", InventoryWriter.duration(Duration.ofSeconds(90)));
        assertEquals("2m", InventoryWriter.duration(Duration.ofMinutes(2)));
        assertEquals("1h", InventoryWriter.duration(Duration.ofMinutes(60)));
        assertEquals("1500ms", InventoryWriter.duration(Duration.ofMillis(1500)));
        assertEquals("0s", InventoryWriter.duration(Duration.ZERO));
        assertEquals("PT0.0005S", InventoryWriter.duration(Duration.ofNanos(500_000)));
    }

    @Test
    void yamlQuotesWhatWouldOtherwiseReadAsAnotherType() throws Exception {
        Inventory inv = new Inventory(List.of(new Router("65001", "yes", "null", 65001, RouterRole.EDGE)), List.of(),
                List.of(), List.of());
        String yaml = InventoryWriter.yaml(inv);
        assertEquals(inv, InventoryReader.read(yaml), yaml);
    }
}
