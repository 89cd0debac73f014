package io.meshwatch.rib;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.platform.MeshwatchConfig;
import io.meshwatch.testing.KafkaBroker;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * A route-table snapshot whose offset lies beyond its partition's end (the topic was recreated, or
 * the database served another broker) is dropped when the partition is assigned: left stored, it
 * would refuse every snapshot of the new topic, whose offsets are lower.
 */
@QuarkusTest
class SnapshotBeyondEndTest {

    static final long FAR = 1L << 40;

    @Inject
    SnapshotStore store;

    @Inject
    SnapshotRebalanceListener listener;

    @Inject
    MeshwatchConfig config;

    @Test
    void aSnapshotBeyondItsPartitionsEndIsDroppedOnAssignmentSoNewOnesAreStoredAgain() throws Exception {
        String topic = config.topics().bgp();
        int partition = 3;
        PartitionSnapshot.Encoded empty = PartitionSnapshot.encode(List.of());
        Duration wait = Duration.ofSeconds(30);
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrap());
        TopicPartition tp = new TopicPartition(topic, partition);
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            long end = c.endOffsets(List.of(tp)).get(tp);
            assertTrue(store.save(topic, partition, FAR, Instant.now(), empty).await().atMost(wait));
            // the stale row refuses what the partition's owner would store now
            assertFalse(store.save(topic, partition, end, Instant.now(), empty).await().atMost(wait));

            c.assign(List.of(tp));
            listener.onPartitionsAssigned(c, List.of(tp));

            assertTrue(store.load(topic, partition).await().atMost(wait).map(s -> s.nextOffset() < FAR).orElse(true),
                    "the stale snapshot is gone");
            assertTrue(store.save(topic, partition, end, Instant.now(), empty).await().atMost(wait),
                    "a snapshot of the partition as it is now is stored again");
            // leave no empty snapshot behind for a later start of the service to restore
            store.delete(topic, partition, end).await().atMost(wait);
        }
    }
}
