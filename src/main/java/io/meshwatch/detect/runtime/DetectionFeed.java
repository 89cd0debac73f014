package io.meshwatch.detect.runtime;

import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.event.FeedStateEvent;
import io.meshwatch.facts.Fact;
import io.meshwatch.network.SessionChange;
import io.meshwatch.rib.RouteChange;
import io.meshwatch.routing.RouteDelta;
import io.meshwatch.shard.ShardStage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

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
 * belong to it. The publisher's queue is shared with the producer's callbacks under its own monitor.
 */
@ApplicationScoped
public class DetectionFeed {

    private final DetectionService detection;
    private final boolean facts;
    /** Facts that may wait for the topic before the input is held back. */
    static final int MAX_QUEUED = 50_000;
    private static final Duration RETRY_FIRST = Duration.ofSeconds(1);
    private static final Duration RETRY_MAX = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(DetectionFeed.class);

    /** This batch's facts, not yet handed to the publisher (input channel only). */
    private final List<Fact> pending = new ArrayList<>();
    private final FactsPublisher publisher;
    private final Timer publishTime;
    private final Counter sendFailures;

    public DetectionFeed(DetectionService detection, FactsProducer producer, DetectConfig config,
                         MeterRegistry registry) {
        this.detection = detection;
        this.facts = config.mode() == DetectConfig.Mode.FACTS;
        this.publishTime = Timer.builder("meshwatch.detect.facts.publish")
                .description("Facts mode: one send of facts to the facts topic, until the broker acknowledged it")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(registry);
        this.sendFailures = Counter.builder("meshwatch.detect.facts.publish.failures")
                .description("Facts mode: sends of facts that failed and were tried again").register(registry);
        this.publisher = new FactsPublisher(facts -> producer.send(facts).subscribeAsCompletionStage(),
                (delay, task) -> CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS).execute(task),
                MAX_QUEUED, RETRY_FIRST, RETRY_MAX, nanos -> publishTime.record(nanos, TimeUnit.NANOSECONDS),
                (size, err) -> {
                    sendFailures.increment();
                    LOG.warnf("Could not publish %d facts (sending them again; nothing later goes first): %s", size,
                            err.toString());
                });
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
     * What one live step changed: its session changes, then its route changes, then its telemetry,
     * then its routers' feed changes.
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
            detection.observedFeeds(step.feeds());
            detection.feeds(step.feeds());
            return;
        }
        detection.observedFeeds(step.feeds());
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
        for (FeedStateEvent e : step.feeds()) {
            pending.add(new Fact.FeedFact(e));
        }
    }

    /**
     * Hands this batch's facts to the publisher ({@link FactsPublisher}: in order, one send in flight,
     * never dropped). The Uni completes as soon as the input may go on with its next batch: at once,
     * unless more than {@value #MAX_QUEUED} facts still wait for the topic (then when this batch's
     * are on it). Its item completes when this batch's facts and every earlier batch's are safe on
     * the facts topic: only then may the batch be acknowledged (at once in local mode).
     */
    public Uni<CompletionStage<Void>> flush() {
        if (pending.isEmpty()) {
            return Uni.createFrom().item(publisher.drained());
        }
        List<Fact> batch = List.copyOf(pending);
        pending.clear();
        CompletionStage<Void> durable = publisher.hand(batch);
        return publisher.full() ? Uni.createFrom().completionStage(durable).replaceWith(durable)
                : Uni.createFrom().item(durable);
    }

    /** Completes when every fact handed over so far is safe on the facts topic. */
    public CompletionStage<Void> drained() {
        return publisher.drained();
    }
}
