package io.meshwatch.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meshwatch.testing.KafkaBroker;
import io.meshwatch.testing.PackagedStartup;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The packaged application (Failsafe, after {@code package}) pointed at the real broker whose input
 * topics cannot be co-partitioned stops before the consumers start, with one line naming both topics,
 * their counts and the fix (the database points at a closed port: the check comes before it).
 */
class InputTopicsStartupIT {

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String bgp = "meshwatch.bgp.copart-it-" + run;
    final String telemetry = "meshwatch.telemetry.copart-it-" + run;

    @Test
    void differentPartitionCountsStopStartUpWithOneLine() throws Exception {
        KafkaBroker.get().createTopics(List.of(bgp), 4);
        KafkaBroker.get().createTopics(List.of(telemetry), 2);
        String line = PackagedStartup.refusedWithOneLine(Map.of("KAFKA_BOOTSTRAP_SERVERS", KafkaBroker.bootstrap(),
                "MESHWATCH_TOPICS_BGP", bgp, "MESHWATCH_TOPICS_TELEMETRY", telemetry));
        assertEquals("Meshwatch cannot start: input topics " + bgp + " (4 partitions) and " + telemetry
                + " (2 partitions) must have the same number of partitions, or a router's BGP and telemetry events "
                + "can be consumed by different instances; add partitions to the smaller one (kafka-topics --alter "
                + "--topic " + telemetry + " --partitions 4; adding partitions moves routers between partitions, so "
                + "do it while producers are stopped, or recreate both topics)", line);
    }

    @Test
    void aMissingTopicTheBrokerWouldCreateWithAnotherCountStopsStartUpWithOneLine() throws Exception {
        // the test broker creates topics on first use with num.partitions=4
        KafkaBroker.get().createTopics(List.of(bgp), 2);
        String line = PackagedStartup.refusedWithOneLine(Map.of("KAFKA_BOOTSTRAP_SERVERS", KafkaBroker.bootstrap(),
                "MESHWATCH_TOPICS_BGP", bgp, "MESHWATCH_TOPICS_TELEMETRY", telemetry));
        assertEquals("Meshwatch cannot start: input topic " + telemetry + " does not exist and the broker would "
                + "create it with num.partitions=4 while " + bgp + " has 2 partitions, so a router's BGP and "
                + "telemetry events could be consumed by different instances; create it first with 2 partitions "
                + "(kafka-topics --create --topic " + telemetry + " --partitions 2)", line);
    }
}
