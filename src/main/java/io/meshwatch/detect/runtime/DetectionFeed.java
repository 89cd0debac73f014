package io.meshwatch.detect.runtime;

import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.facts.Fact;
import io.meshwatch.network.SessionChange;
import io.meshwatch.rib.RouteChange;
import io.meshwatch.routing.RouteDelta;
import io.meshwatch.shard.ShardStage;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The shard stage's one way to detection: each {@link ShardStage.Step} (session changes, the
 * best-path changes detection is interested in, telemetry) is published here, then {@link #flush()}
 * before the batch is acknowledged.
 *
 * <p>{@code meshwatch.detect.mode=local}: straight into this instance's {@link DetectionService}.
 * {@code facts}: the same inputs become {@link Fact}s, published to the facts topic at
 * {@link #flush()} (the batch waits for their acknowledgement), where the elected
 * {@link DetectionOwner} reads them; this instance still keeps its session gauges and the live
 * stream's session changes.
 *
 * <p>Threading: called only on the input channel's context (the single writer); the pending facts
 * belong to it.
 */
@ApplicationScoped
public class DetectionFeed {

    private final DetectionService detection;
    private final FactsProducer producer;
    private final boolean facts;
    private final List<Fact> pending = new ArrayList<>();

    public DetectionFeed(DetectionService detection, FactsProducer producer, DetectConfig config) {
        this.detection = detection;
        this.producer = producer;
        this.facts = config.mode() == DetectConfig.Mode.FACTS;
    }

    /** Whether detection runs in the elected owner, fed through the facts topic. */
    public boolean factsMode() {
        return facts;
    }

    /** Whether a best-path change can matter to detection: the shard stage's interest predicate. */
    public boolean interested(String router, RouteDelta delta) {
        return detection.interested(router, delta);
    }

    /**
     * Whether detection must see what a replay after a restore changes (records the partition's
     * previous owner already applied). Not in facts mode: the detection owner has them already, so
     * they are published to no one, neither as facts nor to the live stream. In local mode this
     * instance's own detection has only what it saw, so the replay feeds it as before.
     */
    public boolean judgesReplays() {
        return !facts;
    }

    /** What a replay changed (see {@link #judgesReplays()}). */
    public void replayed(ShardStage.Step step) {
        if (!facts) {
            publish(step);
        }
    }

    /**
     * What one live step changed: its session changes, then its route changes, then its telemetry.
     * In facts mode only the telemetry that can matter to detection becomes facts (not the
     * interfaces that are no circuit's A-end).
     */
    public void publish(ShardStage.Step step) {
        if (!facts) {
            detection.sessions(step.sessions());
            for (RouteChange c : step.routes()) {
                detection.deltas(c.router(), c.eventTime(), c.deltas());
            }
            detection.telemetry(step.telemetry());
            return;
        }
        detection.observed(step.sessions());
        for (SessionChange c : step.sessions()) {
            if (c.stateChanged()) {
                pending.add(new Fact.SessionFact(c.after()));
            }
        }
        for (RouteChange c : step.routes()) {
            pending.add(new Fact.RouteFact(c.router(), c.eventTime(), c.deltas()));
        }
        for (CanonicalEvent e : step.telemetry()) {
            if (detection.interested(e)) {
                pending.add(new Fact.TelemetryFact(e));
            }
        }
    }

    /** Completes when this batch's facts are safe on the facts topic (at once in local mode). */
    public Uni<Void> flush() {
        if (pending.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Fact> batch = List.copyOf(pending);
        pending.clear();
        // the batch is not acknowledged until its facts are; sent again after a failure (facts are
        // idempotent to detection), never dropped
        return producer.send(batch).onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(10))
                .indefinitely();
    }
}
