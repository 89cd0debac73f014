package io.meshwatch.ingest;

import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.detect.runtime.DetectionService;
import io.meshwatch.event.EventType;
import io.meshwatch.network.SessionTracker;
import io.meshwatch.rib.RibService;
import io.meshwatch.rib.RibSnapshots;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The Kafka entry points. Each is a thin adapter: decode through {@link BatchIngest}, hand the
 * events to the capabilities, acknowledge. Batches of one channel are processed one at a time, in
 * partition order, on that channel's Vert.x context: this is the single writer of the state each
 * sink owns.
 */
@ApplicationScoped
public class Consumers {

    private final BatchIngest ingest;
    private final SessionTracker sessions;
    private final RibService rib;
    private final RibSnapshots snapshots;
    private final DetectionService detection;

    public Consumers(BatchIngest ingest, SessionTracker sessions, RibService rib, RibSnapshots snapshots,
                     DetectionService detection) {
        this.ingest = ingest;
        this.sessions = sessions;
        this.rib = rib;
        this.snapshots = snapshots;
        this.detection = detection;
    }

    @Incoming("bgp-in")
    public Uni<Void> bgp(KafkaRecordBatch<String, byte[]> batch) {
        // restores staged by a partition assignment land before the batch; snapshots between batches
        long generation = snapshots.dispatched();
        return ingest.process(batch, EventType.Family.BGP, (events, sources) -> {
            RibSnapshots.Fresh fresh = snapshots.fresh(events, sources, batch.getRecords(), generation);
            // detection sees a batch's session changes before the route changes they cause
            detection.sessions(sessions.apply(events));
            rib.apply(fresh.events());
            snapshots.applied(fresh);
            snapshots.snapshotIfDue();
            return sessions.persist();
        });
    }

    @Incoming("telemetry-in")
    public Uni<Void> telemetry(KafkaRecordBatch<String, byte[]> batch) {
        return ingest.process(batch, EventType.Family.TELEMETRY, events -> {
            detection.telemetry(events);
            return Uni.createFrom().voidItem();
        });
    }
}
