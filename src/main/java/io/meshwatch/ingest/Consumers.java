package io.meshwatch.ingest;

import io.meshwatch.detect.runtime.DetectionFeed;
import io.meshwatch.event.EventType;
import io.meshwatch.ingest.BatchIngest.Part;
import io.meshwatch.network.SessionChange;
import io.meshwatch.network.SessionTracker;
import io.meshwatch.shard.ShardStage;
import io.meshwatch.platform.MeshwatchConfig;
import io.meshwatch.rib.RibService;
import io.meshwatch.rib.RibSnapshots;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import io.meshwatch.event.CanonicalEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The Kafka entry point: one batch channel, {@code events-in}, subscribed to both input topics with
 * a co-partitioning assignor (Kafka's {@code RangeAssignor}, see {@link CoPartitioning}), so the
 * instance that owns partition p of the BGP topic owns partition p of the telemetry topic: a router's
 * BGP and telemetry events are processed by the same instance, whatever the number of instances.
 *
 * <p>A thin adapter: decode ({@link BatchIngest}), call the shard stage ({@link ShardStage}: one
 * plain step, a batch in, what it changed out), publish what it returned ({@link DetectionFeed}: to
 * detection in process or to the facts topic), keep the snapshot and session bookkeeping, acknowledge.
 * Records below a restored partition's committed offset (a replay after a snapshot restore) go
 * through {@link ShardStage#rebuild} first. Batches are processed one at a time, in partition order,
 * on the channel's Vert.x context: this is the single writer of the shard stage's state.
 */
@ApplicationScoped
public class Consumers {

    /** The input channel (application.properties: {@code mp.messaging.incoming.events-in.*}). */
    public static final String CHANNEL = "events-in";

    private final BatchIngest ingest;
    private final SessionTracker sessions;
    private final RibSnapshots snapshots;
    private final DetectionFeed detection;
    private final ShardStage stage;
    private final String bgpTopic;
    private final String telemetryTopic;
    private final Map<String, EventType.Family> families;

    public Consumers(BatchIngest ingest, SessionTracker sessions, RibService rib, RibSnapshots snapshots,
                     DetectionFeed detection, MeshwatchConfig config) {
        this.ingest = ingest;
        this.sessions = sessions;
        this.snapshots = snapshots;
        this.detection = detection;
        this.stage = new ShardStage(sessions.state(), rib, detection::interested);
        // a snapshot covers only records whose facts are safe on the facts topic (at once in local mode)
        snapshots.safeWhen(() -> detection.drained().toCompletableFuture().isDone());
        this.bgpTopic = config.topics().bgp();
        this.telemetryTopic = config.topics().telemetry();
        this.families = Map.of(bgpTopic, EventType.Family.BGP, telemetryTopic, EventType.Family.TELEMETRY);
    }

    @Incoming(CHANNEL)
    public Uni<Void> events(KafkaRecordBatch<String, byte[]> batch) {
        // restores staged by a partition assignment land before the batch; snapshots between batches
        long generation = snapshots.dispatched();
        Context ctx = Vertx.currentContext(); // the channel's: the single writer's callbacks come back to it
        return ingest.process(batch, families, split -> {
            Part bgp = split.part(bgpTopic);
            List<CanonicalEvent> live = List.of();
            RibSnapshots.Fresh fresh = null;
            if (!bgp.isEmpty()) {
                fresh = snapshots.fresh(bgp.events(), bgp.sources(), bgp.records(), generation);
                RibSnapshots.Replay replay = snapshots.replay(fresh);
                List<CanonicalEvent> replayed = replay.replayed().events();
                if (!replayed.isEmpty()) {
                    // applied and published by the partition's previous owner: safe already
                    ShardStage.Step rebuilt = detection.judgesReplays()
                            ? stage.apply(replayed, List.of()) : stage.rebuild(replayed);
                    sessions.changed(rebuilt.sessions());
                    detection.replayed(rebuilt);
                }
                live = replay.live().events();
            }
            ShardStage.Step step = stage.apply(live, split.part(telemetryTopic).events());
            detection.publish(step);
            if (fresh != null) {
                snapshots.applied(fresh);
            }
            List<SessionChange> changed = step.sessions();
            return detection.flush().chain(durable -> {
                // what must wait until the facts handed over so far are safe on the facts topic:
                // a changed session's write to the restart cache (a crash before it replays the batch,
                // whose events are then still news to the state; session changes are rare), and a
                // snapshot (it covers only records whose facts are safe). The rest goes on at once and
                // the batch is acknowledged when its facts are safe.
                boolean snapshot = snapshots.due();
                boolean wait = !changed.isEmpty() || snapshot;
                CompletionStage<Void> all = detection.drained();
                Uni<Void> safe = !wait || all.toCompletableFuture().isDone() ? Uni.createFrom().voidItem()
                        : Uni.createFrom().completionStage(all).emitOn(r -> onContext(ctx, r));
                return safe.invoke(() -> {
                    sessions.changed(changed);
                    snapshots.snapshotIfDue();
                }).chain(sessions::persist).replaceWith(durable);
            });
        });
    }

    /** Runs {@code action} on the channel's context (at once when already on it). */
    private static void onContext(Context ctx, Runnable action) {
        if (ctx == null || ctx == Vertx.currentContext()) {
            action.run();
        } else {
            ctx.runOnContext(v -> action.run());
        }
    }
}
