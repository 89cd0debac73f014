package io.meshwatch.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.cluster.ClusterView.Here;
import io.meshwatch.cluster.ClusterView.Nobody;
import io.meshwatch.cluster.ClusterView.There;
import io.meshwatch.cluster.MemberStore.Member;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Who answers a call: the rules of {@link ClusterView}, both sides of each. */
class ClusterViewTest {

    static final String BGP = "meshwatch.bgp.v1";
    static final Instant T0 = Instant.parse("2026-12-07T09:00:00Z");

    static Member member(String id, List<Integer> partitions, boolean detection, Instant heartbeat) {
        return new Member(id, "g", "http://" + id + ":8080", Map.of(BGP, partitions), detection, T0, heartbeat);
    }

    /** A router whose partition (of 4) is {@code p}. */
    static String routerIn(int p) {
        return IntStream.range(0, 1000).mapToObj(i -> "r" + i)
                .filter(r -> ClusterView.partitionOf(r, 4) == p).findFirst().orElseThrow();
    }

    @Test
    void partitionIsKafkasMurmur2OfTheKeyModuloTheCount() {
        // what the Kafka producer does with a keyed record (the simulator and collectors key by router id)
        for (String r : List.of("a", "rtr-1", "edge-fra-1", "ÿ-unicode-router", "aws-use1-tr-7")) {
            for (int n : new int[] {1, 4, 12, 13}) {
                assertEquals(org.apache.kafka.clients.producer.internals.BuiltInPartitioner.partitionForKey(
                        new org.apache.kafka.common.serialization.StringSerializer().serialize("t", r), n),
                        ClusterView.partitionOf(r, n), r + " of " + n);
            }
        }
    }

    @Test
    void aloneEverythingIsAnsweredHereEvenBeforeAnyAssignment() {
        ClusterView v = new ClusterView("me", BGP, -1, Set.of(), false, List.of());
        assertInstanceOf(Here.class, v.router("anything"));
        assertInstanceOf(Here.class, v.detection(true));
    }

    @Test
    void theOwnerOfTheRoutersPartitionAnswers() {
        Member other = member("other", List.of(2, 3), false, T0);
        ClusterView v = new ClusterView("me", BGP, 4, Set.of(0, 1), false, List.of(other));
        assertInstanceOf(Here.class, v.router(routerIn(0)));
        assertInstanceOf(Here.class, v.router(routerIn(1)));
        assertEquals(other, ((There) v.router(routerIn(2))).member());
        assertEquals(other, ((There) v.router(routerIn(3))).member());
        assertTrue(v.unowned().isEmpty());
    }

    @Test
    void aPartitionNobodyOwnsIsUnavailableForAMoment() {
        ClusterView v = new ClusterView("me", BGP, 4, Set.of(0, 1), false, List.of(member("other", List.of(2), false, T0)));
        Nobody n = assertInstanceOf(Nobody.class, v.router(routerIn(3)));
        assertEquals(ClusterView.RETRY_MOVING, n.retryAfterSeconds());
        assertTrue(n.why().contains("partition 3"), n.why());
        assertEquals(Set.of(3), v.unowned());
    }

    @Test
    void withOthersButNoAssignmentYetNothingIsAnsweredHere() {
        ClusterView v = new ClusterView("me", BGP, -1, Set.of(), false, List.of(member("other", List.of(0), false, T0)));
        assertInstanceOf(Nobody.class, v.router("r1"));
    }

    @Test
    void twoRowsClaimingAPartitionTheFreshestWins() {
        Member stale = member("stale", List.of(2), false, T0);
        Member fresh = member("fresh", List.of(2), false, T0.plusSeconds(5));
        ClusterView v = new ClusterView("me", BGP, 4, Set.of(0, 1, 3), false, List.of(fresh, stale));
        assertEquals(fresh, ((There) v.router(routerIn(2))).member());
    }

    @Test
    void detectionViewsComeFromTheDetectionOwnerInFactsModeOnly() {
        Member owner = member("owner", List.of(2, 3), true, T0);
        ClusterView v = new ClusterView("me", BGP, 4, Set.of(0, 1), false, List.of(owner));
        assertEquals(owner, ((There) v.detection(true)).member());
        assertInstanceOf(Here.class, v.detection(false));
        ClusterView ownerHere = new ClusterView("me", BGP, 4, Set.of(0, 1), true, List.of(member("x", List.of(2, 3),
                false, T0)));
        assertInstanceOf(Here.class, ownerHere.detection(true));
        ClusterView none = new ClusterView("me", BGP, 4, Set.of(0, 1), false, List.of(member("x", List.of(2, 3),
                false, T0)));
        assertEquals(ClusterView.RETRY_GONE, assertInstanceOf(Nobody.class, none.detection(true)).retryAfterSeconds());
    }
}
