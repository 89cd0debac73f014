package io.meshwatch.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The allocation-free lookup (precomputed best handles) agrees with {@link RouteTable#best} through churn. */
class RouteMatchTest {

    private final RouteTable table = Fixtures.table();
    private final Peer a = Fixtures.peer("10.0.0.1", 65001, "1.1.1.1");
    private final Peer b = Fixtures.peer("10.0.0.2", 65002, "2.2.2.2");

    @Test
    void emptyTableAndUnknownVrfFindNothing() {
        RouteMatch m = new RouteMatch();
        assertFalse(table.lookup("", IpAddress.parse("10.1.2.3"), m));
        assertFalse(m.found());
        assertNull(m.prefix());
        assertEquals(BestPathReason.NO_PATH, m.reason());
        table.apply(Fixtures.announce(a, Fixtures.attrs("65001").build(), "10.0.0.0/8"));
        assertFalse(table.lookup("other", IpAddress.parse("10.1.2.3"), m));
        assertFalse(table.lookup("", IpAddress.parse("11.1.2.3"), m));
    }

    @Test
    void fillsPrefixPeerAttributesAndReason() {
        PathAttributes shortPath = Fixtures.attrs("65002").build();
        table.apply(Fixtures.announce(a, Fixtures.attrs("65001 65010").build(), "10.1.0.0/16", "2001:db8::/32"));
        table.apply(Fixtures.announce(b, shortPath, "10.1.0.0/16", "2001:db8::/32"));
        RouteMatch m = new RouteMatch();
        assertTrue(table.lookup("", IpAddress.parse("10.1.200.7"), m));
        assertEquals(Prefix.parse("10.1.0.0/16"), m.prefix());
        assertEquals(b, m.peer());
        assertEquals(shortPath, m.attributes());
        assertEquals(table.best("", Prefix.parse("10.1.0.0/16")), m.toBestRoute());
        assertTrue(table.lookup("", IpAddress.parse("2001:db8:ffff::1"), m));
        assertEquals(Prefix.parse("2001:db8::/32"), m.prefix());
        assertEquals(table.best("", Prefix.parse("2001:db8::/32")), m.toBestRoute());

        PathAttributes loc = Fixtures.attrs("65009").build();
        table.applyLocRib(new LocRibUpdate("", loc, List.of(Prefix.parse("10.1.0.0/16")), List.of()));
        assertTrue(table.lookup("", IpAddress.parse("10.1.0.1"), m));
        assertTrue(m.reported());
        assertNull(m.peer());
        assertEquals(loc, m.attributes());
        assertEquals(table.best("", Prefix.parse("10.1.0.0/16")), m.toBestRoute());
        table.locRibDown("", d -> { });
        assertTrue(table.lookup("", IpAddress.parse("10.1.0.1"), m));
        assertEquals(b, m.peer());
    }

    @Test
    void agreesWithBestThroughRandomChurn() {
        Random r = new Random(42);
        String[] pool = new String[300];
        for (int i = 0; i < pool.length; i++) {
            int len = 8 + r.nextInt(25);
            pool[i] = Prefix.ipv4((10 << 24 | r.nextInt(1 << 20) << 4) & Prefix.mask32(len), len).toString();
        }
        Peer[] peers = {a, b};
        RouteMatch m = new RouteMatch();
        for (int step = 0; step < 4000; step++) {
            Peer p = peers[r.nextInt(2)];
            String prefix = pool[r.nextInt(pool.length)];
            int op = r.nextInt(20);
            if (op < 12) {
                PathAttributes at = Fixtures.attrs(p.peerAs() + " " + (100 + r.nextInt(3 + r.nextInt(4))))
                        .med(r.nextInt(3)).build();
                table.apply(Fixtures.announce(p, at, prefix));
            } else if (op < 18) {
                table.apply(Fixtures.withdraw(p, prefix));
            } else if (op == 18) {
                table.applyLocRib(new LocRibUpdate("", Fixtures.attrs("65099").build(),
                        r.nextBoolean() ? List.of(Prefix.parse(prefix)) : List.of(),
                        r.nextBoolean() ? List.of() : List.of(Prefix.parse(pool[r.nextInt(pool.length)]))));
            } else if (r.nextInt(10) == 0) {
                table.peerDown(p);
            }
            for (int k = 0; k < 5; k++) {
                IpAddress addr = IpAddress.ipv4(10 << 24 | r.nextInt(1 << 24));
                boolean hit = table.lookup("", addr, m);
                Prefix covering = table.longestMatchingPrefix("", addr);
                assertEquals(covering != null, hit, "step " + step + " " + addr);
                if (hit) {
                    assertEquals(covering, m.prefix());
                    assertEquals(table.best("", covering), m.toBestRoute(), "step " + step + " " + addr);
                    assertEquals(m.toBestRoute(), table.longestMatch("", addr));
                }
            }
        }
    }
}
