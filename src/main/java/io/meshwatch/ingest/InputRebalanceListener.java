package io.meshwatch.ingest;

import io.meshwatch.cluster.Membership;
import io.meshwatch.platform.MeshwatchConfig;
import io.meshwatch.rib.SnapshotRebalanceListener;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * The input channel's rebalance listener
 * ({@code mp.messaging.incoming.events-in.consumer-rebalance-listener.name=meshwatch-input-rebalance}).
 * On assignment, in this order: the BGP partitions' route tables are restored from their snapshots
 * ({@link SnapshotRebalanceListener}, which seeks), the co-partitioning is checked again (the topics
 * may have been altered since start-up: an error is logged, consumption goes on), and the
 * membership row is updated ({@link Membership}). On revocation or loss, the same in reverse.
 *
 * <p>Runs on the consumer's polling thread. A failure of one step is logged and never skips the
 * others, nor reaches the consumer (an exception here would fail the channel).
 */
@ApplicationScoped
@Identifier(InputRebalanceListener.NAME)
public class InputRebalanceListener implements KafkaConsumerRebalanceListener {

    public static final String NAME = "meshwatch-input-rebalance";
    private static final Logger LOG = Logger.getLogger(InputRebalanceListener.class);
    static final Duration METADATA = Duration.ofSeconds(5);

    private final SnapshotRebalanceListener snapshots;
    private final Membership membership;
    private final String bgp;
    private final String telemetry;

    public InputRebalanceListener(SnapshotRebalanceListener snapshots, Membership membership, MeshwatchConfig config) {
        this.snapshots = snapshots;
        this.membership = membership;
        this.bgp = config.topics().bgp();
        this.telemetry = config.topics().telemetry();
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        step("restore route tables", () -> snapshots.onPartitionsAssigned(consumer, partitions));
        step("check co-partitioning", () -> check(consumer, partitions).ifPresent(LOG::error));
        step("publish membership", () -> membership.assigned(partitions, count(consumer, bgp)));
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        step("publish membership", () -> membership.revoked(partitions));
        step("forget route-table partitions", () -> snapshots.onPartitionsRevoked(consumer, partitions));
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        step("publish membership", () -> membership.revoked(partitions));
        step("forget route-table partitions", () -> snapshots.onPartitionsLost(consumer, partitions));
    }

    /** The topics' current partition counts (from the consumer's metadata) against the assignment. */
    private Optional<String> check(Consumer<?, ?> consumer, Collection<TopicPartition> assigned) {
        return CoPartitioning.atRebalance(bgp, count(consumer, bgp), telemetry, count(consumer, telemetry), assigned);
    }

    private static int count(Consumer<?, ?> consumer, String topic) {
        try {
            List<PartitionInfo> ps = consumer.partitionsFor(topic, METADATA);
            return ps == null || ps.isEmpty() ? -1 : ps.size();
        } catch (RuntimeException e) {
            LOG.debugf("Partitions of %s not known: %s", topic, e.toString());
            return -1;
        }
    }

    private static void step(String what, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warnf("Rebalance: could not %s: %s", what, e.toString());
        }
    }
}
