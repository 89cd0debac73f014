package io.meshwatch.ingest;

import io.meshwatch.event.RejectReason;
import io.meshwatch.platform.MeshwatchConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Ingest metrics, all labelled by input topic (configured, so bounded):
 * <ul>
 * <li>{@code meshwatch_ingest_records_consumed_total{topic}}: records read, valid or not;</li>
 * <li>{@code meshwatch_ingest_records_rejected_total{topic,reason}}: records refused, by
 *     {@link RejectReason} (a fixed enumeration);</li>
 * <li>{@code meshwatch_ingest_dead_letters_total{topic}}: refused records the dead-letter topic has
 *     acknowledged (lower than rejected while a write is pending or has failed);</li>
 * <li>{@code meshwatch_ingest_batch_records{topic}}: records of the topic per consumed batch (a batch
 *     holds records of both input topics; each topic's share is recorded when it has any) (histogram);</li>
 * <li>{@code meshwatch_ingest_processing_latency_seconds{topic}}: per applied record, the record's
 *     Kafka timestamp to the moment its batch was applied (histogram).</li>
 * </ul>
 * Consumer lag is {@link ConsumerLag}'s. Per batch the cost is one map look-up per metric, never
 * one per record.
 */
@ApplicationScoped
@Startup // created at start-up, so the zero series exist before the first batch
public class IngestMetrics {

    /** Bucket bounds of the processing latency histogram. */
    static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofSeconds(60)};
    /** Bucket bounds of the batch size histogram (max.poll.records is 2000). */
    static final double[] BATCH_BUCKETS = {1, 10, 50, 100, 250, 500, 1000, 2000};

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, Counter> consumed = new ConcurrentHashMap<>();
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
    private final Map<String, Counter> deadLetters = new ConcurrentHashMap<>();
    private final Map<String, DistributionSummary> batches = new ConcurrentHashMap<>();
    private final Map<String, Timer> latency = new ConcurrentHashMap<>();

    public IngestMetrics(MeterRegistry registry, Clock clock, MeshwatchConfig config) {
        this.registry = registry;
        this.clock = clock;
        // every series of the input topics exists from the start, at zero: rate() and alert rules
        // then see the first refused record as an increase, and dashboards show 0 rather than nothing
        for (String topic : List.of(config.topics().bgp(), config.topics().telemetry())) {
            consumedCounter(topic);
            batchSummary(topic);
            for (RejectReason r : RejectReason.values()) {
                rejected(topic, r, 0);
            }
            deadLetters(topic, 0);
            latency(topic);
        }
    }

    void consumed(String topic, int count) {
        consumedCounter(topic).increment(count);
        batchSummary(topic).record(count);
    }

    private Counter consumedCounter(String topic) {
        return consumed.computeIfAbsent(topic, t -> Counter.builder("meshwatch.ingest.records.consumed")
                .description("Records read from an input topic, valid or not")
                .tag("topic", t).register(registry));
    }

    private DistributionSummary batchSummary(String topic) {
        return batches.computeIfAbsent(topic, t -> DistributionSummary.builder("meshwatch.ingest.batch.records")
                .description("Records per consumed batch").serviceLevelObjectives(BATCH_BUCKETS)
                .tag("topic", t).register(registry));
    }

    void rejected(String topic, RejectReason reason) {
        rejected(topic, reason, 1);
    }

    private void rejected(String topic, RejectReason reason, int count) {
        rejected.computeIfAbsent(topic + '\n' + reason.label(), k -> Counter
                .builder("meshwatch.ingest.records.rejected")
                .description("Records refused and sent to the dead-letter topic, by reason")
                .tag("topic", topic).tag("reason", reason.label()).register(registry)).increment(count);
    }

    void deadLettered(String topic) {
        deadLetters(topic, 1);
    }

    private void deadLetters(String topic, int count) {
        deadLetters.computeIfAbsent(topic, t -> Counter.builder("meshwatch.ingest.dead.letters")
                .description("Refused records written to the dead-letter topic (acknowledged by the broker)")
                .tag("topic", t).register(registry)).increment(count);
    }

    private Timer latency(String topic) {
        return latency.computeIfAbsent(topic, t -> Timer.builder("meshwatch.ingest.processing.latency")
                .description("Record timestamp (producer or broker time) to the record's batch applied")
                .serviceLevelObjectives(LATENCY_BUCKETS).tag("topic", t).register(registry));
    }

    /** Records the latency of every applied record of one batch, from its Kafka timestamp to now. */
    public void applied(String topic, List<? extends KafkaRecord<?, ?>> records) {
        if (records.isEmpty()) {
            return;
        }
        Timer timer = latency(topic);
        long now = clock.millis();
        for (KafkaRecord<?, ?> r : records) {
            Instant ts = r.getTimestamp();
            if (ts != null) {
                timer.record(Math.max(0, now - ts.toEpochMilli()), TimeUnit.MILLISECONDS);
            }
        }
    }
}
