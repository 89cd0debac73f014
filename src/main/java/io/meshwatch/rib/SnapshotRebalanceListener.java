package io.meshwatch.rib;

import io.meshwatch.rib.RibService.RouterImage;
import io.meshwatch.rib.SnapshotStore.Stored;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Restores a BGP partition's route tables when the partition is assigned: loads its snapshot,
 * stages the routers for the writer and seeks the consumer to the snapshot's offset, so the records
 * after it are replayed on top. Called by the input channel's listener
 * ({@code ingest.InputRebalanceListener}, {@code mp.messaging.incoming.events-in.consumer-rebalance-listener.name});
 * partitions of other topics than the BGP one are ignored.
 *
 * <p>Runs on the consumer's polling thread, which may block: nothing is fetched for the partition
 * until the restore is staged. Any failure is logged and leaves the partition at its committed
 * offset (the behaviour without snapshots); a snapshot beyond the partition's end (topic recreated)
 * is ignored.
 */
@ApplicationScoped
public class SnapshotRebalanceListener implements KafkaConsumerRebalanceListener {
    private static final Logger LOG = Logger.getLogger(SnapshotRebalanceListener.class);

    private final RibSnapshots snapshots;
    private final SnapshotStore store;
    private final Clock clock;
    private volatile boolean stopping;

    public SnapshotRebalanceListener(RibSnapshots snapshots, SnapshotStore store, Clock clock) {
        this.snapshots = snapshots;
        this.store = store;
        this.clock = clock;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            if (!tp.topic().equals(snapshots.topic())) {
                continue;
            }
            snapshots.assigned(tp.partition());
            if (stopping) {
                LOG.debugf("Not restoring %s: the service is stopping", tp);
            } else if (snapshots.enabled()) {
                try {
                    restore(consumer, tp);
                } catch (RuntimeException | java.io.IOException e) {
                    LOG.warnf("Could not restore the route tables of %s from its snapshot; continuing from the "
                            + "committed offset, tables rebuild from later records only: %s", tp, e.toString());
                }
            }
        }
    }

    private void restore(Consumer<?, ?> consumer, TopicPartition tp) throws java.io.IOException {
        long started = System.nanoTime();
        Optional<Stored> found = store.load(tp.topic(), tp.partition()).await().atMost(Duration.ofSeconds(60));
        if (found.isEmpty()) {
            // the partition's previous owner applied its records without a snapshot yet (it moved soon
            // after its start): the tables are in the records only, so read them all again
            OffsetAndMetadata committed = consumer.committed(java.util.Set.of(tp)).get(tp);
            Long first = consumer.beginningOffsets(List.of(tp)).get(tp);
            if (committed != null && first != null && committed.offset() > first) {
                snapshots.replayUntil(tp.partition(), committed.offset());
                consumer.seek(tp, first);
                LOG.infof("No route-table snapshot for %s: replaying it from its first record %d (committed: %d)",
                        tp, first, committed.offset());
            } else {
                LOG.infof("No route-table snapshot for %s; continuing from the committed offset", tp);
            }
            return;
        }
        Stored s = found.get();
        Map<TopicPartition, Long> end = consumer.endOffsets(List.of(tp));
        Long endOffset = end.get(tp);
        if (endOffset != null && s.nextOffset() > endOffset) {
            // left stored, it would refuse every snapshot of the new topic (lower offsets)
            store.delete(tp.topic(), tp.partition(), s.nextOffset()).await().atMost(Duration.ofSeconds(30));
            LOG.warnf("Dropped the route-table snapshot of %s: its offset %d is beyond the partition's end %d "
                    + "(topic recreated?)", tp, s.nextOffset(), endOffset);
            return;
        }
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(List.of(tp));
        Long first = begin.get(tp);
        if (first != null && s.nextOffset() < first) {
            LOG.warnf("The route-table snapshot of %s (offset %d) is older than the partition's first record %d: "
                    + "records in between are gone, the tables may miss their changes", tp, s.nextOffset(), first);
        }
        List<RouterImage> images = PartitionSnapshot.decode(s.data(), clock);
        snapshots.stage(tp.partition(), s.nextOffset(), images);
        OffsetAndMetadata committed = consumer.committed(java.util.Set.of(tp)).get(tp);
        if (committed != null && committed.offset() > s.nextOffset()) {
            snapshots.replayUntil(tp.partition(), committed.offset());
        }
        consumer.seek(tp, s.nextOffset());
        LOG.infof("Restored %d routers (%d paths) of %s from the snapshot taken at %s in %d ms; resuming at offset %d "
                        + "(committed: %s)", s.routers(), s.paths(), tp, s.takenAt(),
                (System.nanoTime() - started) / 1_000_000, s.nextOffset(),
                committed == null ? "none" : Long.toString(committed.offset()));
    }

    /** A rebalance while stopping (another member leaving, or this consumer closing) must not reload snapshots. */
    void stopping(@Observes ShutdownEvent ev) {
        stopping = true;
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        partitions.stream().filter(tp -> tp.topic().equals(snapshots.topic()))
                .forEach(tp -> snapshots.revoked(tp.partition()));
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        onPartitionsRevoked(consumer, partitions);
    }
}
