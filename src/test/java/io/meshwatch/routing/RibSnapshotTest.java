package io.meshwatch.routing;

import static io.meshwatch.routing.Fixtures.CLOCK;
import static io.meshwatch.routing.Fixtures.attrs;
import static io.meshwatch.routing.Fixtures.peer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Export and import of a whole route table give back every path, every best path and every peer. */
class RibSnapshotTest {

    static final Peer A = peer("10.0.0.1", 65001, "1.1.1.1");
    static final Peer B = peer("10.0.0.2", 65000, "2.2.2.2"); // iBGP
    static final Peer GONE = peer("10.0.0.9", 65009, "9.9.9.9");
    static final Peer V6 = new Peer("", IpAddress.parse("2001:db8::1"), 65002, Addresses.parseIpv4("3.3.3.3"));
    static final Peer BLUE = new Peer("blue", IpAddress.parse("172.16.0.1"), 65003, Addresses.parseIpv4("4.4.4.4"));

    @Test
    void roundTripKeepsEveryPathAndBest() throws IOException {
        RouteTable t = richTable();
        RouteTable back = roundTrip(t);

        assertEquals(RibSnapshot.digest(t), RibSnapshot.digest(back));
        assertEquals(t.vrfs(), back.vrfs());
        assertEquals(t.peers(), back.peers(), "peers, counts, first-seen and End-of-RIB times");
        assertEquals(t.localAs(), back.localAs());
        assertArrayEquals(t.internStats(), back.internStats());
        int prefixes = 0;
        for (String vrf : t.vrfs()) {
            for (Afi afi : Afi.values()) {
                assertEquals(t.pathCount(vrf, afi), back.pathCount(vrf, afi));
                List<BestRoute> all = t.page(vrf, afi, null, 10_000);
                assertEquals(all, back.page(vrf, afi, null, 10_000));
                for (BestRoute r : all) {
                    prefixes++;
                    assertEquals(new java.util.HashSet<>(t.paths(vrf, r.prefix())),
                            new java.util.HashSet<>(back.paths(vrf, r.prefix())), r.prefix().toString());
                    assertEquals(t.best(vrf, r.prefix()), back.best(vrf, r.prefix()));
                    assertEquals(t.computedBest(vrf, r.prefix()), back.computedBest(vrf, r.prefix()));
                }
            }
        }
        assertEquals(11, prefixes);
        assertEquals(t.longestMatch("", IpAddress.parse("10.1.2.3")), back.longestMatch("", IpAddress.parse("10.1.2.3")));
        // the image of the restored table is the same bytes
        assertArrayEquals(bytes(t), bytes(back));
    }

    @Test
    void restoredTableBehavesLikeTheOriginal() throws IOException {
        Random rnd = new Random(42);
        RouteTable t = Fixtures.table();
        randomOps(t, rnd, 3000);
        RouteTable back = roundTrip(t);
        // the same later updates (withdrawals, peer downs, re-announcements) give the same table
        long seed = rnd.nextLong();
        randomOps(t, new Random(seed), 3000);
        randomOps(back, new Random(seed), 3000);
        assertEquals(RibSnapshot.digest(t), RibSnapshot.digest(back));
        assertArrayEquals(t.internStats(), back.internStats(), "reference counts survive the round trip");
        // and flushing everything frees every attribute set: no reference leaked or lost
        for (PeerStatus p : back.peers()) {
            back.peerDown(p.peer());
        }
        back.locRibDown("", d -> { });
        back.locRibDown("blue", d -> { });
        assertArrayEquals(new int[] {0, 0, 0}, back.internStats());
    }

    @Test
    void digestSeesAnyDifference() {
        RouteTable a = richTable();
        RouteTable b = richTable();
        assertEquals(RibSnapshot.digest(a), RibSnapshot.digest(b));
        b.apply(Fixtures.withdraw(A, "0.0.0.0/0"));
        assertNotEquals(RibSnapshot.digest(a), RibSnapshot.digest(b));
    }

    @Test
    void theDigestDependsOnTheContentOnlyNotOnTheOrderItArrivedIn() {
        PathAttributes x = attrs("65001 65100").build();
        PathAttributes y = attrs("65002 65200").localPref(150).build();
        String[] prefixes = {"10.1.0.0/16", "10.0.0.0/8", "192.0.2.0/24", "10.1.2.0/24", "0.0.0.0/0"};
        RouteTable a = Fixtures.table();
        for (String p : prefixes) {
            a.apply(Fixtures.announce(A, x, p));
        }
        a.apply(Fixtures.announce(B, y, "10.1.0.0/16"));
        a.apply(Fixtures.announce(BLUE, y, "172.16.5.0/24"));
        // the same content: the other peer first, prefixes backwards, one that comes and goes, so the
        // table's internal peer and prefix ids differ
        RouteTable b = Fixtures.table();
        b.apply(Fixtures.announce(BLUE, y, "172.16.5.0/24"));
        b.apply(Fixtures.announce(B, y, "10.1.0.0/16"));
        b.apply(Fixtures.announce(A, x, "198.51.100.0/24"));
        for (int i = prefixes.length - 1; i >= 0; i--) {
            b.apply(Fixtures.announce(A, x, prefixes[i]));
        }
        b.apply(Fixtures.withdraw(A, "198.51.100.0/24"));
        assertEquals(RibSnapshot.digest(a), RibSnapshot.digest(b));
    }

    @Test
    void refusesAnotherFormatVersion() {
        byte[] bad = {99, 0, 0, 0, 0};
        IOException e = assertThrows(IOException.class,
                () -> RibSnapshot.read(new DataInputStream(new ByteArrayInputStream(bad)), CLOCK));
        assertEquals(true, e.getMessage().contains("format 99"));
    }

    static RouteTable richTable() {
        RouteTable t = Fixtures.table();
        PathAttributes a1 = attrs("65001 65100").localPref(200).med(5)
                .communities(new int[] {65001 << 16 | 300, 65001 << 16 | 1}, new long[] {0x0002fde800000001L},
                        new int[] {65001, 1, 2}).build();
        PathAttributes a2 = attrs("65001 65200 {65300,65301}").atomicAggregate(true).build();
        PathAttributes ibgp = PathAttributes.builder().asPath(AsPath.EMPTY).nextHop(IpAddress.parse("10.0.0.2"))
                .localPref(100).originatorId(Addresses.parseIpv4("5.5.5.5")).clusterList(7, 8).origin(Origin.INCOMPLETE)
                .build();
        // ADD-PATH: two paths of one peer for the same prefix
        t.apply(new BgpUpdate(A, a1, List.of(new Nlri(Prefix.parse("10.1.0.0/16"), 1),
                new Nlri(Prefix.parse("10.1.2.0/24"), 1), Nlri.of("0.0.0.0/0")), List.of()));
        t.apply(new BgpUpdate(A, a2, List.of(new Nlri(Prefix.parse("10.1.0.0/16"), 2)), List.of()));
        t.apply(Fixtures.announce(B, ibgp, "10.1.0.0/16", "10.2.0.0/15", "192.0.2.255/32"));
        t.apply(Fixtures.announce(GONE, a2, "10.9.0.0/16"));
        t.peerDown(GONE); // leaves a hole in the peer indices
        PathAttributes v6 = PathAttributes.builder().asPath(AsPath.sequence(65002)).nextHop(IpAddress.parse("2001:db8::1"))
                .build();
        t.apply(Fixtures.announce(V6, v6, "2001:db8:100::/40", "::/0", "2001:db8::5/128"));
        t.apply(Fixtures.announce(BLUE, a1, "10.1.0.0/16", "2001:db8:200::/48"));
        t.endOfRib(A, Afi.IPV4);
        t.endOfRib(V6, Afi.IPV6);
        // router-reported Loc-RIB: one prefix with computed paths too, one reported only
        t.applyLocRib(new LocRibUpdate("", a2, List.of(Prefix.parse("10.1.0.0/16"), Prefix.parse("10.3.0.0/16")),
                List.of()));
        return t;
    }

    static void randomOps(RouteTable t, Random rnd, int n) {
        Peer[] peers = {A, B, V6, BLUE, GONE};
        List<PathAttributes> pool = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            pool.add(attrs("65001 " + (65100 + i % 7)).localPref(100 + i % 3).med(i % 4).build());
        }
        for (int i = 0; i < n; i++) {
            Peer p = peers[rnd.nextInt(peers.length)];
            Prefix prefix = rnd.nextBoolean() ? Prefix.ipv4(10 << 24 | rnd.nextInt(64) << 8, 24)
                    : Prefix.ipv6(0x20010db800000000L | (long) rnd.nextInt(64) << 16, 0, 48);
            int op = rnd.nextInt(100);
            if (op < 60) {
                t.apply(new BgpUpdate(p, pool.get(rnd.nextInt(pool.size())), List.of(new Nlri(prefix, rnd.nextInt(3))),
                        List.of()));
            } else if (op < 90) {
                t.apply(new BgpUpdate(p, null, List.of(), List.of(new Nlri(prefix, rnd.nextInt(3)))));
            } else if (op < 93) {
                t.peerDown(p);
            } else if (op < 98) {
                t.applyLocRib(new LocRibUpdate(p.vrf(), pool.get(rnd.nextInt(pool.size())), List.of(prefix), List.of()));
            } else {
                t.applyLocRib(new LocRibUpdate(p.vrf(), null, List.of(), List.of(prefix)));
            }
        }
    }

    static byte[] bytes(RouteTable t) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buf)) {
            RibSnapshot.write(t, out);
        }
        return buf.toByteArray();
    }

    static RouteTable roundTrip(RouteTable t) throws IOException {
        return RibSnapshot.read(new DataInputStream(new ByteArrayInputStream(bytes(t))), CLOCK);
    }
}
