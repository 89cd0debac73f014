package io.meshwatch.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.ingest.CoPartitioning.BrokerDefaults;
import io.meshwatch.ingest.CoPartitioning.Kind;
import io.meshwatch.ingest.CoPartitioning.Verdict;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** What start-up and a rebalance make of the input topics' partition counts. */
class CoPartitioningTest {

    static final String BGP = "meshwatch.bgp.v1";
    static final String TEL = "meshwatch.telemetry.v1";
    static final Optional<BrokerDefaults> CREATES_12 = Optional.of(new BrokerDefaults(true, 12));
    static final Optional<BrokerDefaults> CREATES_NONE = Optional.of(new BrokerDefaults(false, 12));

    @Test
    void equalCountsAreFine() {
        Verdict v = CoPartitioning.atStartup(BGP, OptionalInt.of(12), TEL, OptionalInt.of(12), Optional.empty());
        assertEquals(Kind.OK, v.kind());
        assertTrue(v.message().contains("12 partitions each"), v.message());
    }

    @Test
    void differentCountsRefuseWithTheFix() {
        Verdict v = CoPartitioning.atStartup(BGP, OptionalInt.of(12), TEL, OptionalInt.of(6), Optional.empty());
        assertEquals(Kind.REFUSE, v.kind());
        assertEquals("input topics meshwatch.bgp.v1 (12 partitions) and meshwatch.telemetry.v1 (6 partitions) must "
                + "have the same number of partitions, or a router's BGP and telemetry events can be consumed by "
                + "different instances; add partitions to the smaller one (kafka-topics --alter --topic "
                + "meshwatch.telemetry.v1 --partitions 12; adding partitions moves routers between partitions, so do "
                + "it while producers are stopped, or recreate both topics)", v.message());
        assertTrue(CoPartitioning.atStartup(BGP, OptionalInt.of(3), TEL, OptionalInt.of(6), Optional.empty()).message()
                .contains("--alter --topic meshwatch.bgp.v1 --partitions 6"));
    }

    @Test
    void aMissingTopicIsFineOnlyWhenTheBrokerWouldCreateItWithTheSameCount() {
        assertEquals(Kind.OK, CoPartitioning.atStartup(BGP, OptionalInt.of(12), TEL, OptionalInt.empty(), CREATES_12)
                .kind());
        Verdict wrong = CoPartitioning.atStartup(BGP, OptionalInt.of(4), TEL, OptionalInt.empty(), CREATES_12);
        assertEquals(Kind.REFUSE, wrong.kind());
        assertTrue(wrong.message().contains("num.partitions=12 while meshwatch.bgp.v1 has 4 partitions"), wrong.message());
        assertTrue(wrong.message().contains("kafka-topics --create --topic meshwatch.telemetry.v1 --partitions 4"),
                wrong.message());
        // the broker does not create topics, or we may not ask it: say what to do, go on
        for (Optional<BrokerDefaults> b : List.of(CREATES_NONE, Optional.<BrokerDefaults>empty())) {
            Verdict v = CoPartitioning.atStartup(BGP, OptionalInt.empty(), TEL, OptionalInt.of(4), b);
            assertEquals(Kind.UNKNOWN, v.kind());
            assertTrue(v.message().contains("create it with 4 partitions"), v.message());
        }
    }

    @Test
    void bothMissingAreCreatedAlikeByTheBrokerOrLeftToTheOperator() {
        assertEquals(Kind.OK, CoPartitioning.atStartup(BGP, OptionalInt.empty(), TEL, OptionalInt.empty(), CREATES_12)
                .kind());
        assertEquals(Kind.UNKNOWN, CoPartitioning.atStartup(BGP, OptionalInt.empty(), TEL, OptionalInt.empty(),
                CREATES_NONE).kind());
    }

    @Test
    void aRebalanceNamesDivergedCountsAndAMismatchedAssignment() {
        List<TopicPartition> aligned = List.of(new TopicPartition(BGP, 0), new TopicPartition(TEL, 0));
        assertEquals(Optional.empty(), CoPartitioning.atRebalance(BGP, 4, TEL, 4, aligned));
        assertTrue(CoPartitioning.atRebalance(BGP, 4, TEL, 8, aligned).orElseThrow()
                .contains("the topics changed after start-up"));
        List<TopicPartition> split = List.of(new TopicPartition(BGP, 0), new TopicPartition(TEL, 1));
        assertTrue(CoPartitioning.atRebalance(BGP, 4, TEL, 4, split).orElseThrow()
                .contains("partitions [0] of meshwatch.bgp.v1 but [1] of meshwatch.telemetry.v1"));
        // a topic that does not exist is not consumed: nothing to say until it is created
        assertEquals(Optional.empty(), CoPartitioning.atRebalance(BGP, 4, TEL, -1, List.of(new TopicPartition(BGP, 0))));
    }
}
