package io.meshwatch.ingest;

import io.meshwatch.event.RejectReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ingest counters: {@code meshwatch_ingest_records_consumed_total{topic}},
 * {@code meshwatch_ingest_records_rejected_total{topic,reason}} and the batch size summary
 * {@code meshwatch_ingest_batch_records}. Label values are bounded: topics are configured, reasons
 * are a fixed enumeration.
 */
@ApplicationScoped
public class IngestMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> consumed = new ConcurrentHashMap<>();
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
    private final Map<String, DistributionSummary> batches = new ConcurrentHashMap<>();

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void consumed(String topic, int count) {
        consumed.computeIfAbsent(topic, t -> Counter.builder("meshwatch.ingest.records.consumed")
                .description("Records read from an input topic, valid or not")
                .tag("topic", t).register(registry)).increment(count);
        batches.computeIfAbsent(topic, t -> DistributionSummary.builder("meshwatch.ingest.batch.records")
                .description("Records per consumed batch").tag("topic", t).register(registry)).record(count);
    }

    void rejected(String topic, RejectReason reason) {
        rejected.computeIfAbsent(topic + '\n' + reason.label(), k -> Counter
                .builder("meshwatch.ingest.records.rejected")
                .description("Records refused and sent to the dead-letter topic, by reason")
                .tag("topic", topic).tag("reason", reason.label()).register(registry)).increment();
    }
}
