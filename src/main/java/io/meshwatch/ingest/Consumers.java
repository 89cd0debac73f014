package io.meshwatch.ingest;

import io.meshwatch.detect.runtime.DetectionFeed;
import io.meshwatch.event.EventType;
import io.meshwatch.ingest.BatchIngest.Part;
import io.meshwatch.network.SessionTracker;
import io.meshwatch.platform.MeshwatchConfig;
import io.meshwatch.rib.RibService;
import io.meshwatch.rib.RibSnapshots;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import io.meshwatch.event.CanonicalEvent;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The Kafka entry point: one batch channel, {@code events-in}, subscribed to both input topics with
 * a co-partitioning assignor (Kafka's {@code RangeAssignor}, see {@link CoPartitioning}), so the
 * instance that owns partition p of the BGP topic owns partition p of the telemetry topic: a router's
 * BGP and telemetry events are processed by the same instance, whatever the number of instances.
 *
 * <p>A thin adapter: decode through {@link BatchIngest}, hand each topic's events to the
 * capabilities (detection through {@link DetectionFeed}, in process or through the facts topic),
 * acknowledge. A batch holds records of both topics; its BGP part goes first (session
 * changes to detection before the route changes they cause, snapshot bookkeeping on the BGP records
 * only), then its telemetry part. Batches are processed one at a time, in partition order, on the
 * channel's Vert.x context: this is the single writer of the state each sink owns.
 */
@ApplicationScoped
public class Consumers {

    /** The input channel (application.properties: {@code mp.messaging.incoming.events-in.*}). */
    public static final String CHANNEL = "events-in";

    private final BatchIngest ingest;
    private final SessionTracker sessions;
    private final RibService rib;
    private final RibSnapshots snapshots;
    private final DetectionFeed detection;
    private final String bgpTopic;
    private final String telemetryTopic;
    private final Map<String, EventType.Family> families;

    public Consumers(BatchIngest ingest, SessionTracker sessions, RibService rib, RibSnapshots snapshots,
                     DetectionFeed detection, MeshwatchConfig config) {
        this.ingest = ingest;
        this.sessions = sessions;
        this.rib = rib;
        this.snapshots = snapshots;
        this.detection = detection;
        this.bgpTopic = config.topics().bgp();
        this.telemetryTopic = config.topics().telemetry();
        this.families = Map.of(bgpTopic, EventType.Family.BGP, telemetryTopic, EventType.Family.TELEMETRY);
    }

    @Incoming(CHANNEL)
    public Uni<Void> events(KafkaRecordBatch<String, byte[]> batch) {
        // restores staged by a partition assignment land before the batch; snapshots between batches
        long generation = snapshots.dispatched();
        return ingest.process(batch, families, split -> {
            Part bgp = split.part(bgpTopic);
            if (!bgp.isEmpty()) {
                RibSnapshots.Fresh fresh = snapshots.fresh(bgp.events(), bgp.sources(), bgp.records(), generation);
                RibSnapshots.Replay replay = snapshots.replay(fresh);
                List<CanonicalEvent> live = bgp.events();
                if (!replay.replayed().events().isEmpty()) {
                    // records the partition's previous owner applied: they rebuild this instance's state;
                    // what they change is no news to detection (in facts mode the owner has it already)
                    detection.replaying(true);
                    try {
                        detection.sessions(sessions.apply(replay.replayed().events()));
                        rib.apply(replay.replayed().events());
                    } finally {
                        detection.replaying(false);
                    }
                    live = replay.live().events();
                }
                // detection sees a batch's session changes before the route changes they cause
                detection.sessions(sessions.apply(live));
                rib.apply(replay.live().events());
                snapshots.applied(fresh);
            }
            snapshots.snapshotIfDue();
            detection.telemetry(split.part(telemetryTopic).events());
            // in facts mode the batch's facts must be on the facts topic before it is acknowledged
            return detection.flush().chain(sessions::persist);
        });
    }
}
