package io.meshwatch.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Value;
import org.junit.jupiter.api.Test;

/** Lag is read from the Kafka consumer's own per-partition {@code records-lag} metric, as Kafka registers it. */
class ConsumerLagTest {

    @Test
    void readsTheRecordsLagOfAssignedFetchedPartitionsOnly() {
        try (Metrics metrics = new Metrics()) {
            record(metrics, "meshwatch.bgp.v1", 0, 42);
            record(metrics, "meshwatch.bgp.v1", 1, 0);
            record(metrics, "meshwatch.bgp.v1", 2, 7); // revoked: Kafka may not have removed it yet
            metrics.sensor("other").add(new MetricName("records-lag-max", "consumer-fetch-manager-metrics", "",
                    Map.of("client-id", "c")), new Value());
            List<TopicPartition> assigned = List.of(tp(0), tp(1), tp(3));
            // partition 3 is assigned but not fetched yet: Kafka has no records-lag for it, so no series
            assertEquals(Map.of(tp(0), 42.0, tp(1), 0.0), ConsumerLag.recordsLag(metrics.metrics(), assigned));
        }
    }

    private static TopicPartition tp(int p) {
        return new TopicPartition("meshwatch.bgp.v1", p);
    }

    private static void record(Metrics metrics, String topic, int partition, double lag) {
        Sensor s = metrics.sensor(topic + "-" + partition + ".records-lag");
        s.add(new MetricName("records-lag", "consumer-fetch-manager-metrics", "",
                Map.of("client-id", "c", "topic", topic, "partition", Integer.toString(partition))), new Value());
        s.record(lag);
    }
}
