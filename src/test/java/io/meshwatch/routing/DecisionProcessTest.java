package io.meshwatch.routing;

import static io.meshwatch.routing.Fixtures.announce;
import static io.meshwatch.routing.Fixtures.attrs;
import static io.meshwatch.routing.Fixtures.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecisionProcessTest {

    private static final String P = "203.0.113.0/24";
    private static final Prefix PREFIX = Prefix.parse(P);

    private final RouteTable table = Fixtures.table();

    private BestRoute best() {
        return table.best("", PREFIX);
    }

    @Test
    void singlePathIsOnlyPath() {
        Peer a = peer("10.0.0.1", 100, "1.1.1.1");
        table.apply(announce(a, attrs("100").build(), P));
        assertEquals(a, best().path().peer());
        assertEquals(BestPathReason.ONLY_PATH, best().reason());
    }

    @Test
    void prefersHigherLocalPref() {
        Peer a = peer("10.0.0.1", 65000, "1.1.1.1");
        Peer b = peer("10.0.0.2", 65000, "2.2.2.2");
        table.apply(announce(a, attrs("100").localPref(100).build(), P));
        table.apply(announce(b, attrs("100 200 300").localPref(200).build(), P));
        assertEquals(b, best().path().peer());
        assertEquals(BestPathReason.LOCAL_PREF, best().reason());
    }

    @Test
    void absentLocalPrefCountsAsDefault100() {
        Peer a = peer("10.0.0.1", 65000, "1.1.1.1");
        Peer b = peer("10.0.0.2", 65000, "2.2.2.2");
        table.apply(announce(a, attrs("100 200").localPref(99).build(), P));
        table.apply(announce(b, attrs("100 200 300").build(), P));
        assertEquals(b, best().path().peer());
        assertEquals(BestPathReason.LOCAL_PREF, best().reason());
    }

    @Test
    void prefersShorterAsPath() {
        Peer a = peer("10.0.0.1", 100, "1.1.1.1");
        Peer b = peer("10.0.0.2", 200, "2.2.2.2");
        table.apply(announce(a, attrs("100 300 400").build(), P));
        table.apply(announce(b, attrs("200 400").build(), P));
        assertEquals(b, best().path().peer());
        assertEquals(BestPathReason.AS_PATH_LENGTH, best().reason());
    }

    @Test
    void asSetCountsAsOne() {
        Peer a = peer("10.0.0.1", 100, "1.1.1.1");
        Peer b = peer("10.0.0.2", 200, "2.2.2.2");
        // a: 100 {1,2,3,4,5} = length 2; b: 200 300 400 = length 3
        table.apply(announce(a, attrs("100 {1,2,3,4,5}").build(), P));
        table.apply(announce(b, attrs("200 300 400").build(), P));
        assertEquals(a, best().path().peer());
        assertEquals(BestPathReason.AS_PATH_LENGTH, best().reason());
        assertEquals(2, AsPath.parse("100 {1,2,3,4,5}").decisionLength());
    }

    @Test
    void prefersLowerOrigin() {
        Peer a = peer("10.0.0.1", 100, "1.1.1.1");
        Peer b = peer("10.0.0.2", 200, "2.2.2.2");
        table.apply(announce(a, attrs("100 400").origin(Origin.INCOMPLETE).build(), P));
        table.apply(announce(b, attrs("200 400").origin(Origin.EGP).build(), P));
        assertEquals(b, best().path().peer());
        assertEquals(BestPathReason.ORIGIN, best().reason());
    }

    @Test
    void comparesMedOnlyWithinSameNeighbourAs() {
        Peer a = peer("10.0.0.1", 100, "1.1.1.1");
        Peer b = peer("10.0.0.2", 100, "2.2.2.2");
        Peer c = peer("10.0.0.3", 300, "0.0.0.3");
        // same neighbour AS 100: lower MED wins even though its router id is higher
        table.apply(announce(a, attrs("100 400").med(50).build(), P));
        table.apply(announce(b, attrs("100 400").med(10).build(), P));
        assertEquals(b, best().path().peer());
        assertEquals(BestPathReason.MED, best().reason());
        // different neighbour AS 300 with a much higher MED: MED is not compared, router id decides
        table.apply(announce(c, attrs("300 400").med(1000).build(), P));
        assertEquals(c, best().path().peer());
        assertEquals(BestPathReason.ROUTER_ID, best().reason());
    }

    @Test
    void missingMedCountsAsZero() {
        Peer a = peer("10.0.0.1", 100, "1.1.1.1");
        Peer b = peer("10.0.0.2", 100, "2.2.2.2");
        table.apply(announce(a, attrs("100 400").med(1).build(), P));
        table.apply(announce(b, attrs("100 400").build(), P));
        assertEquals(b, best().path().peer());
        assertEquals(BestPathReason.MED, best().reason());
    }

    @Test
    void medDecisionIsIndependentOfArrivalOrder() {
        // p1 loses to p2 on MED (same AS 100); p2 loses to p3 on router id; p3 vs p1 alone would be p1.
        Peer p1 = peer("10.0.0.1", 100, "1.1.1.1");
        Peer p2 = peer("10.0.0.2", 100, "3.3.3.3");
        Peer p3 = peer("10.0.0.3", 200, "2.2.2.2");
        List<BgpUpdate> updates = List.of(
                announce(p1, attrs("100 9").med(20).build(), P),
                announce(p2, attrs("100 9").med(10).build(), P),
                announce(p3, attrs("200 9").med(0).build(), P));
        for (int[] order : permutations()) {
            RouteTable t = Fixtures.table();
            for (int i : order) {
                t.apply(updates.get(i));
            }
            BestRoute r = t.best("", PREFIX);
            assertEquals(p3, r.path().peer(), "order " + java.util.Arrays.toString(order));
            assertEquals(BestPathReason.ROUTER_ID, r.reason());
        }
    }

    private static List<int[]> permutations() {
        List<int[]> out = new ArrayList<>();
        int[][] all = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
        out.addAll(List.of(all));
        return out;
    }

    @Test
    void emptyAsPathIsFromLocalAsForMed() {
        Peer a = peer("10.0.0.1", 65000, "1.1.1.1");
        Peer b = peer("10.0.0.2", 65000, "2.2.2.2");
        table.apply(announce(a, attrs("").med(30).build(), P));
        table.apply(announce(b, attrs("").med(20).build(), P));
        assertEquals(b, best().path().peer());
        assertEquals(BestPathReason.MED, best().reason());
    }

    @Test
    void prefersEbgpOverIbgp() {
        Peer ibgp = peer("10.0.0.1", 65000, "1.1.1.1");
        Peer ebgp = peer("10.0.0.2", 200, "9.9.9.9");
        table.apply(announce(ibgp, attrs("100 400").build(), P));
        table.apply(announce(ebgp, attrs("200 400").build(), P));
        assertEquals(ebgp, best().path().peer());
        assertEquals(BestPathReason.EBGP_OVER_IBGP, best().reason());
    }

    @Test
    void prefersLowerOriginatorIdOverPeerRouterId() {
        Peer a = peer("10.0.0.1", 65000, "1.1.1.1");
        Peer b = peer("10.0.0.2", 65000, "5.5.5.5");
        // a's own router id is lowest, but its ORIGINATOR_ID 9.9.9.9 is what counts
        table.apply(announce(a, attrs("100").originatorId(Addresses.parseIpv4("9.9.9.9")).build(), P));
        table.apply(announce(b, attrs("100").build(), P));
        assertEquals(b, best().path().peer());
        assertEquals(BestPathReason.ROUTER_ID, best().reason());
    }

    @Test
    void prefersShorterClusterList() {
        Peer a = peer("10.0.0.1", 65000, "1.1.1.1");
        Peer b = peer("10.0.0.2", 65000, "2.2.2.2");
        int orig = Addresses.parseIpv4("7.7.7.7");
        table.apply(announce(a, attrs("100").originatorId(orig).clusterList(1, 2).build(), P));
        table.apply(announce(b, attrs("100").originatorId(orig).clusterList(3).build(), P));
        assertEquals(b, best().path().peer());
        assertEquals(BestPathReason.CLUSTER_LIST_LENGTH, best().reason());
    }

    @Test
    void prefersLowerPeerAddress() {
        Peer high = peer("10.0.0.20", 65000, "1.1.1.1");
        Peer low = peer("10.0.0.3", 65000, "2.2.2.2");
        int orig = Addresses.parseIpv4("7.7.7.7");
        table.apply(announce(high, attrs("100").originatorId(orig).build(), P));
        table.apply(announce(low, attrs("100").originatorId(orig).build(), P));
        assertEquals(low, best().path().peer());
        assertEquals(BestPathReason.PEER_ADDRESS, best().reason());
    }

    @Test
    void lowestPathIdIsFinalTiebreak() {
        Peer a = peer("10.0.0.1", 100, "1.1.1.1");
        PathAttributes same = attrs("100").build();
        table.apply(BgpUpdate.announce(a, same, new Nlri(PREFIX, 7), new Nlri(PREFIX, 3), new Nlri(PREFIX, 5)));
        assertEquals(3, best().path().pathId());
        assertEquals(BestPathReason.PATH_ID, best().reason());
    }
}
