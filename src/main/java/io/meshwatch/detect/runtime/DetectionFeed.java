package io.meshwatch.detect.runtime;

import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.facts.Fact;
import io.meshwatch.network.SessionChange;
import io.meshwatch.platform.StartupOrder;
import io.meshwatch.rib.RibService;
import io.meshwatch.rib.RouteDeltaListener;
import io.meshwatch.routing.RouteDelta;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The shard stage's one way to detection: a batch's session changes, the best-path changes its
 * route tables report (it is their {@link RouteDeltaListener}), its telemetry, then {@link #flush()}
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
public class DetectionFeed implements RouteDeltaListener {

    private final DetectionService detection;
    private final FactsProducer producer;
    private final RibService rib;
    private final boolean facts;
    private final List<Fact> pending = new ArrayList<>();
    private boolean replaying;

    public DetectionFeed(DetectionService detection, FactsProducer producer, RibService rib, DetectConfig config) {
        this.detection = detection;
        this.producer = producer;
        this.rib = rib;
        this.facts = config.mode() == DetectConfig.Mode.FACTS;
    }

    /** Subscribes to best-path changes after detection took the inventory, before the consumers start. */
    void start(@Observes @Priority(StartupOrder.RESTORE + 6) StartupEvent ev) {
        rib.listen(this);
    }

    /** Whether detection runs in the elected owner, fed through the facts topic. */
    public boolean factsMode() {
        return facts;
    }

    /**
     * While true (facts mode), what the shard stage reports comes from records the partition's
     * previous owner already applied (a replay after a restore): it is published to no one, neither
     * as facts (the detection owner has them) nor to the live stream. In local mode the replay feeds
     * this instance's own detection as before.
     */
    public void replaying(boolean replaying) {
        this.replaying = replaying;
    }

    /** Session changes of one batch, in order, before the batch's route changes. */
    public void sessions(List<SessionChange> changes) {
        if (facts && replaying) {
            return;
        }
        if (!facts) {
            detection.sessions(changes);
            return;
        }
        detection.observed(changes);
        for (SessionChange c : changes) {
            if (c.stateChanged()) {
                pending.add(new Fact.SessionFact(c.after()));
            }
        }
    }

    /**
     * Telemetry events of one batch, in partition order; in facts mode only those that can matter to
     * detection become facts (not the interfaces that are no circuit's A-end).
     */
    public void telemetry(List<CanonicalEvent> events) {
        if (!facts) {
            detection.telemetry(events);
            return;
        }
        for (CanonicalEvent e : events) {
            if (detection.interested(e)) {
                pending.add(new Fact.TelemetryFact(e));
            }
        }
    }

    @Override
    public boolean interested(String router, RouteDelta delta) {
        return !(facts && replaying) && detection.interested(router, delta);
    }

    @Override
    public void deltas(String router, Instant eventTime, List<RouteDelta> deltas) {
        if (facts && replaying) {
            return;
        }
        if (!facts) {
            detection.deltas(router, eventTime, deltas);
        } else {
            pending.add(new Fact.RouteFact(router, eventTime, deltas));
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
