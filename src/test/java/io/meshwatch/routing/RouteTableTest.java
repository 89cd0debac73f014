package io.meshwatch.routing;

import static io.meshwatch.routing.Fixtures.announce;
import static io.meshwatch.routing.Fixtures.attrs;
import static io.meshwatch.routing.Fixtures.peer;
import static io.meshwatch.routing.Fixtures.withdraw;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RouteTableTest {

    private static final String P = "198.51.100.0/24";
    private static final Prefix PREFIX = Prefix.parse(P);

    private final RouteTable table = Fixtures.table();
    private final Peer a = peer("10.0.0.1", 100, "1.1.1.1");
    private final Peer b = peer("10.0.0.2", 200, "2.2.2.2");

    @Test
    void firstAnnouncementProducesDeltaFromNothing() {
        List<RouteDelta> d = table.apply(announce(a, attrs("100").build(), P));
        assertEquals(1, d.size());
        assertNull(d.get(0).oldBest());
        assertEquals(a, d.get(0).newBest().peer());
        assertEquals(PREFIX, d.get(0).prefix());
        assertEquals(BestPathReason.ONLY_PATH, d.get(0).reason());
    }

    @Test
    void implicitWithdrawReplacesPath() {
        table.apply(announce(a, attrs("100").med(5).build(), P));
        List<RouteDelta> d = table.apply(announce(a, attrs("100").med(7).build(), P));
        assertEquals(1, table.paths("", PREFIX).size());
        assertEquals(7, table.best("", PREFIX).path().attributes().med());
        assertEquals(1, d.size(), "changed attributes of the best path are a change");
        assertEquals(5, d.get(0).oldBest().attributes().med());
        assertEquals(7, d.get(0).newBest().attributes().med());
        assertEquals(1, table.routeCount(a, Afi.IPV4));
    }

    @Test
    void replacingNonBestPathProducesNoDelta() {
        table.apply(announce(a, attrs("100").build(), P));
        table.apply(announce(b, attrs("200 300").build(), P));
        assertTrue(table.apply(announce(b, attrs("200 300 400").build(), P)).isEmpty());
        assertEquals(a, table.best("", PREFIX).path().peer());
    }

    @Test
    void withdrawOfUnknownPathIsNoOp() {
        assertTrue(table.apply(withdraw(a, P)).isEmpty());
        table.apply(announce(a, attrs("100").build(), P));
        assertTrue(table.apply(withdraw(b, P)).isEmpty(), "other peer");
        assertTrue(table.apply(BgpUpdate.withdraw(a, new Nlri(PREFIX, 9))).isEmpty(), "other path id");
        assertTrue(table.apply(withdraw(a, "198.51.0.0/16")).isEmpty(), "other prefix");
        assertEquals(a, table.best("", PREFIX).path().peer());
    }

    @Test
    void withdrawOfLastPathRemovesPrefix() {
        table.apply(announce(a, attrs("100").build(), P));
        List<RouteDelta> d = table.apply(withdraw(a, P));
        assertEquals(1, d.size());
        assertNull(d.get(0).newBest());
        assertEquals(BestPathReason.NO_PATH, d.get(0).reason());
        assertNull(table.best("", PREFIX));
        assertEquals(0, table.prefixCount("", Afi.IPV4));
        assertNull(table.longestMatch("", IpAddress.parse("198.51.100.7")));
    }

    @Test
    void duplicateAnnouncementProducesNoDelta() {
        assertEquals(1, table.apply(announce(a, attrs("100").med(5).build(), P)).size());
        assertTrue(table.apply(announce(a, attrs("100").med(5).build(), P)).isEmpty());
        assertEquals(1, table.pathCount("", Afi.IPV4));
    }

    @Test
    void peerDownFlushesItsPaths() {
        table.apply(announce(a, attrs("100").build(), P, "192.0.2.0/24"));
        table.apply(announce(b, attrs("200 300").build(), P));
        table.apply(BgpUpdate.announce(a, attrs("100").build(), Nlri.of("2001:db8::/32")));
        List<RouteDelta> d = table.peerDown(a);
        assertEquals(3, d.size());
        assertEquals(b, table.best("", PREFIX).path().peer());
        assertNull(table.best("", Prefix.parse("192.0.2.0/24")));
        assertNull(table.best("", Prefix.parse("2001:db8::/32")));
        assertEquals(0, table.routeCount(a, Afi.IPV4));
        assertEquals(1, table.pathCount("", Afi.IPV4));
        assertEquals(List.of(b), table.peers().stream().map(PeerStatus::peer).toList());
    }

    @Test
    void endOfRibRecordedPerPeer() {
        table.apply(announce(a, attrs("100").build(), P));
        table.endOfRib(a, Afi.IPV4);
        assertTrue(table.isEndOfRib(a, Afi.IPV4));
        assertFalse(table.isEndOfRib(a, Afi.IPV6));
        assertFalse(table.isEndOfRib(b, Afi.IPV4));
        PeerStatus s = table.peers().get(0);
        assertEquals(Fixtures.CLOCK.instant(), s.ipv4EndOfRib());
        assertNull(s.ipv6EndOfRib());
        table.peerDown(a);
        assertFalse(table.isEndOfRib(a, Afi.IPV4), "a new session starts without End-of-RIB");
    }

    @Test
    void addPathKeepsPathsApart() {
        PathAttributes x = attrs("100 1").build();
        PathAttributes y = attrs("100 2 3").build();
        table.apply(BgpUpdate.announce(a, x, new Nlri(PREFIX, 1)));
        table.apply(BgpUpdate.announce(a, y, new Nlri(PREFIX, 2)));
        assertEquals(2, table.paths("", PREFIX).size());
        assertEquals(2, table.routeCount(a, Afi.IPV4));
        assertEquals(1, table.best("", PREFIX).path().pathId());
        List<RouteDelta> d = table.apply(BgpUpdate.withdraw(a, new Nlri(PREFIX, 1)));
        assertEquals(2, d.get(0).newBest().pathId());
        assertEquals(1, table.paths("", PREFIX).size());
    }

    @Test
    void reportedLocRibWinsOverComputed() {
        table.apply(announce(a, attrs("100").build(), P));
        PathAttributes routerChoice = attrs("200 300").localPref(300).build();
        List<RouteDelta> d = table.applyLocRib(new LocRibUpdate("", routerChoice, List.of(PREFIX), List.of()));
        assertEquals(1, d.size());
        assertEquals(BestPathReason.ROUTER_REPORTED, d.get(0).reason());
        BestRoute r = table.best("", PREFIX);
        assertTrue(r.reported());
        assertEquals(routerChoice, r.path().attributes());
        assertEquals(a, table.computedBest("", PREFIX).path().peer());
        // computed changes are hidden while the router reports its own best
        assertTrue(table.apply(announce(b, attrs("200").localPref(500).build(), P)).isEmpty());
        List<RouteDelta> back = table.applyLocRib(new LocRibUpdate("", null, List.of(), List.of(PREFIX)));
        assertEquals(b, back.get(0).newBest().peer());
        assertFalse(table.best("", PREFIX).reported());
    }

    @Test
    void reportedOnlyPrefixIsFoundAndRemovedWithLocRibDown() {
        table.applyLocRib(new LocRibUpdate("red", attrs("").build(), List.of(PREFIX), List.of()));
        assertTrue(table.longestMatch("red", IpAddress.parse("198.51.100.1")).reported());
        table.locRibDown("red", d -> { });
        assertNull(table.best("red", PREFIX));
        assertEquals(0, table.prefixCount("red", Afi.IPV4));
    }

    @Test
    void vrfsAreSeparate() {
        Peer red = new Peer("red", IpAddress.parse("10.0.0.1"), 100, 1);
        table.apply(announce(red, attrs("100").build(), P));
        assertNull(table.best("", PREFIX));
        assertEquals(red, table.best("red", PREFIX).path().peer());
        assertEquals(1, table.prefixCount("red", Afi.IPV4));
    }

    @Test
    void attributesAreInternedAndFreed() {
        table.apply(announce(a, attrs("100 200").build(), P, "192.0.2.0/24"));
        table.apply(announce(b, attrs("100 200").build(), P));
        PathAttributes x = table.paths("", PREFIX).get(0).attributes();
        PathAttributes y = table.paths("", Prefix.parse("192.0.2.0/24")).get(0).attributes();
        assertSame(x, y);
        assertSame(x.asPath(), table.paths("", PREFIX).get(1).attributes().asPath());
        assertEquals(1, table.internStats()[0]);
        table.peerDown(a);
        table.peerDown(b);
        assertEquals(0, table.internStats()[0]);
        assertEquals(0, table.internStats()[1]);
        assertEquals(0, table.internStats()[2]);
    }

    @Test
    void routeCountsPerPeerAndFamily() {
        table.apply(announce(a, attrs("100").build(), P, "192.0.2.0/24", "2001:db8::/32"));
        table.apply(announce(b, attrs("200").build(), P));
        assertEquals(2, table.routeCount(a, Afi.IPV4));
        assertEquals(1, table.routeCount(a, Afi.IPV6));
        assertEquals(1, table.routeCount(b, Afi.IPV4));
        assertEquals(3, table.pathCount("", Afi.IPV4));
        assertEquals(2, table.prefixCount("", Afi.IPV4));
        assertEquals(1, table.prefixCount("", Afi.IPV6));
    }

    @Test
    void moreAndLessSpecificsAndPaging() {
        table.apply(announce(a, attrs("100").build(),
                "10.0.0.0/8", "10.0.0.0/16", "10.1.0.0/16", "10.1.2.0/24", "11.0.0.0/8", "9.0.0.0/8", "0.0.0.0/0"));
        assertEquals(List.of("10.0.0.0/16", "10.1.0.0/16", "10.1.2.0/24"), prefixes(table.moreSpecifics("", Prefix.parse("10.0.0.0/8"), 10)));
        assertEquals(List.of("10.0.0.0/16"), prefixes(table.moreSpecifics("", Prefix.parse("10.0.0.0/8"), 1)));
        assertEquals(List.of("0.0.0.0/0", "10.0.0.0/8", "10.1.0.0/16"), prefixes(table.lessSpecifics("", Prefix.parse("10.1.2.0/24"))));
        List<BestRoute> page1 = table.page("", Afi.IPV4, null, 3);
        assertEquals(List.of("0.0.0.0/0", "9.0.0.0/8", "10.0.0.0/8"), prefixes(page1));
        List<BestRoute> page2 = table.page("", Afi.IPV4, page1.get(2).prefix(), 3);
        assertEquals(List.of("10.0.0.0/16", "10.1.0.0/16", "10.1.2.0/24"), prefixes(page2));
        assertEquals(List.of("11.0.0.0/8"), prefixes(table.page("", Afi.IPV4, page2.get(2).prefix(), 3)));
    }

    private static List<String> prefixes(List<BestRoute> routes) {
        return routes.stream().map(r -> r.prefix().toString()).toList();
    }
}
