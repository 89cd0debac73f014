package io.meshwatch.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A watched prefix's route policy: read, written back, and every wrong value named with its place. */
class RoutePolicyInventoryTest {

    static final String DOC = """
            routers: [ { id: r1, asn: 65001 } ]
            prefixes:
              - prefix: 10.1.0.0/16
                name: AWS us-east-1 VPCs
                policy: { origins: [16509, 65001], neighbours: [65001], as-path: '^65001( 16509)+$', max-length: 24 }
              - { prefix: 10.2.0.0/16, policy: { origins: [16509] } }
              - { prefix: 10.3.0.0/16 }
            """;

    @Test
    void aPolicyIsReadWithEveryField() throws Exception {
        Inventory inv = InventoryReader.read(DOC);
        assertEquals(new RoutePolicy(List.of(16509L, 65001L), List.of(65001L), "^65001( 16509)+$", 24),
                inv.prefixes().get(0).policy());
        assertEquals(new RoutePolicy(List.of(16509L), List.of(), null, null), inv.prefixes().get(1).policy());
        assertNull(inv.prefixes().get(2).policy(), "no policy: nothing judged");
    }

    @Test
    void aPolicyIsWrittenBackAsRead() throws Exception {
        Inventory inv = InventoryReader.read(DOC);
        assertEquals(inv, InventoryReader.read(InventoryWriter.yaml(inv)));
        assertEquals(inv, InventoryReader.read(InventoryWriter.json(inv)));
        assertEquals("[16509]", InventoryWriter.tree(inv).at("/prefixes/1/policy/origins").toString());
        assertEquals(false, InventoryWriter.tree(inv).at("/prefixes/1/policy").has("max-length"));
    }

    @Test
    void wrongValuesAreNamedWithTheirPlace() {
        String doc = """
                prefixes:
                  - { prefix: 10.1.0.0/16, policy: { origins: [-1, x], as-path: '(65001', max-length: 12 } }
                  - { prefix: 10.2.0.0/16, policy: { max-length: 33, origin: [1] } }
                  - { prefix: 2001:db8::/32, policy: { max-length: 48.5 } }
                  - { prefix: 10.4.0.0/16, policy: [1] }
                """;
        InvalidInventoryException e = assertThrows(InvalidInventoryException.class, () -> InventoryReader.read(doc));
        assertEquals(List.of(
                "prefixes[0].policy.as-path: not a regular expression: Unclosed group near index 6",
                "prefixes[0].policy.origins[0]: expected an AS number 0..4294967295, got -1",
                "prefixes[0].policy.origins[1]: expected an AS number 0..4294967295, got 'x'",
                "prefixes[1].policy.origin: unknown field; expected one of [as-path, max-length, neighbours, origins]",
                "prefixes[2].policy.max-length: expected a whole prefix length, got 48.5",
                "prefixes[3].policy: expected a mapping, got a list"), e.problems());
        String lengths = """
                prefixes:
                  - { prefix: 10.1.0.0/16, policy: { max-length: 12 } }
                  - { prefix: 10.2.0.0/16, policy: { max-length: 33 } }
                  - { prefix: 10.3.0.0/16, policy: { max-length: 16 } }
                  - { prefix: 10.4.0.0/16, policy: { max-length: 32 } }
                """;
        e = assertThrows(InvalidInventoryException.class, () -> InventoryReader.read(lengths));
        assertEquals(List.of(
                "prefixes[0].policy.max-length: is 12; expected 16..32 (from the prefix's own length to the longest "
                        + "IPv4 prefix)",
                "prefixes[1].policy.max-length: is 33; expected 16..32 (from the prefix's own length to the longest "
                        + "IPv4 prefix)"), e.problems());
    }
}
