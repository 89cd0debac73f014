package io.meshwatch.ingest;

import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.event.EventCodec;
import io.meshwatch.event.EventType;
import io.meshwatch.event.RejectReason;
import io.meshwatch.event.RejectedRecordException;
import io.meshwatch.platform.MeshwatchConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The shared decode-validate-dispatch step of the input channel: a batch may hold records of every
 * input topic; each record is decoded as an event of its topic's family (so a telemetry type on the
 * BGP topic is refused as {@code unknown_type}); refused ones go to the dead-letter topic; the valid
 * events, split by topic and in partition order within each, go to the sink; the batch is
 * acknowledged when both are done. A refused record never stops the batch.
 */
@ApplicationScoped
public class BatchIngest {

    private final EventCodec codec;
    private final DeadLetters deadLetters;
    private final IngestMetrics metrics;
    private final int maxBytes;

    public BatchIngest(EventCodec codec, DeadLetters deadLetters, IngestMetrics metrics, MeshwatchConfig config) {
        this.codec = codec;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.maxBytes = config.ingest().maxRecordBytes();
    }

    /**
     * One topic's share of a batch.
     *
     * @param records every record of the topic in the batch, valid or not, in batch order
     * @param events  the valid events decoded from them, in the same order
     * @param sources for each event, the record it was decoded from (same index)
     */
    public record Part(List<KafkaRecord<String, byte[]>> records, List<CanonicalEvent> events,
                       List<KafkaRecord<String, byte[]>> sources) {

        static final Part EMPTY = new Part(List.of(), List.of(), List.of());

        public boolean isEmpty() {
            return records.isEmpty();
        }
    }

    /** The batch's parts by topic; a topic without records in the batch has the empty part. */
    public record Split(Map<String, Part> byTopic) {

        public Part part(String topic) {
            return byTopic.getOrDefault(topic, Part.EMPTY);
        }
    }

    /**
     * Gets the split batch once its refused records are dead-lettered (also when every record was
     * refused: offsets still advance). The returned Uni completes when the channel may go on with
     * its next batch; its item completes when the batch may be acknowledged (what it produced is
     * safe where it must be), which may be later.
     */
    interface SplitSink {
        Uni<CompletionStage<Void>> accept(Split split);
    }

    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

    /**
     * Decodes every record of {@code batch} as its topic's family ({@code families}: topic to family),
     * dead-letters the refused ones, hands the rest to {@code sink}; acknowledges the batch when the
     * sink says it may (the returned Uni may complete before: the offsets are committed in order, so
     * a later batch acknowledged first commits nothing past this one).
     */
    Uni<Void> process(KafkaRecordBatch<String, byte[]> batch, Map<String, EventType.Family> families, SplitSink sink) {
        List<KafkaRecord<String, byte[]>> records = batch.getRecords();
        Map<String, Part> parts = new LinkedHashMap<>();
        List<Uni<Void>> dlq = new ArrayList<>();
        for (KafkaRecord<String, byte[]> rec : records) {
            String topic = rec.getTopic();
            Part part = parts.computeIfAbsent(topic, t -> new Part(new ArrayList<>(), new ArrayList<>(), new ArrayList<>()));
            part.records().add(rec);
            try {
                part.events().add(decode(rec, families.get(topic)));
                part.sources().add(rec);
            } catch (RejectedRecordException e) {
                metrics.rejected(topic, e.reason());
                dlq.add(deadLetters.send(rec, e).invoke(() -> metrics.deadLettered(topic)));
            }
        }
        parts.forEach((topic, part) -> metrics.consumed(topic, part.records().size()));
        Uni<Void> dead = dlq.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(dlq).andFailFast().replaceWithVoid();
        Split split = new Split(parts);
        return dead.chain(() -> parts.isEmpty() ? Uni.createFrom().item(DONE) : sink.accept(split))
                .invoke(() -> parts.forEach((topic, part) -> metrics.applied(topic, part.sources())))
                .chain(durable -> {
                    CompletableFuture<Void> f = durable.toCompletableFuture();
                    if (f.isDone() && !f.isCompletedExceptionally()) {
                        return Uni.createFrom().completionStage(batch::ack);
                    }
                    durable.whenComplete((v, err) -> {
                        if (err == null) {
                            batch.ack();
                        } else {
                            batch.nack(err);
                        }
                    });
                    return Uni.createFrom().voidItem();
                });
    }

    private CanonicalEvent decode(KafkaRecord<String, byte[]> rec, EventType.Family family)
            throws RejectedRecordException {
        if (family == null) {
            throw new RejectedRecordException(RejectReason.UNKNOWN_TYPE, "topic '" + rec.getTopic()
                    + "' is not an input topic (meshwatch.topics.bgp, meshwatch.topics.telemetry)");
        }
        byte[] value = rec.getPayload();
        if (value != null && value.length > maxBytes) {
            throw new RejectedRecordException(RejectReason.TOO_LARGE, "record of " + value.length
                    + " bytes is larger than meshwatch.ingest.max-record-bytes=" + maxBytes);
        }
        CanonicalEvent event = codec.decode(value, family);
        String key = rec.getKey();
        if (key != null && !key.equals(event.router())) {
            throw new RejectedRecordException(RejectReason.INVALID_VALUE, "record key '" + key
                    + "' is not the event's router '" + event.router() + "'; events must be keyed by router id");
        }
        return event;
    }
}
