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
import java.util.List;

/**
 * The shared decode-validate-dispatch step of every input topic: each record of a batch is decoded;
 * refused ones go to the dead-letter topic; the valid events go, in order, to the sink; the batch is
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

    /** A sink that also gets, for each event, the record it was decoded from (same index). */
    interface TrackedSink {
        Uni<Void> accept(List<CanonicalEvent> events, List<KafkaRecord<String, byte[]>> sources);
    }

    Uni<Void> process(KafkaRecordBatch<String, byte[]> batch, EventType.Family family, EventSink sink) {
        return process(batch, family, (events, sources) -> sink.accept(events));
    }

    Uni<Void> process(KafkaRecordBatch<String, byte[]> batch, EventType.Family family, TrackedSink sink) {
        List<KafkaRecord<String, byte[]>> records = batch.getRecords();
        List<CanonicalEvent> events = new ArrayList<>(records.size());
        List<KafkaRecord<String, byte[]>> sources = new ArrayList<>(records.size());
        List<Uni<Void>> dlq = new ArrayList<>();
        String topic = null;
        for (KafkaRecord<String, byte[]> rec : records) {
            topic = rec.getTopic();
            try {
                events.add(decode(rec, family));
                sources.add(rec);
            } catch (RejectedRecordException e) {
                String source = rec.getTopic();
                metrics.rejected(source, e.reason());
                dlq.add(deadLetters.send(rec, e).invoke(() -> metrics.deadLettered(source)));
            }
        }
        if (topic != null) {
            metrics.consumed(topic, records.size());
        }
        Uni<Void> dead = dlq.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(dlq).andFailFast().replaceWithVoid();
        String applied = topic;
        return dead.chain(() -> events.isEmpty() ? Uni.createFrom().voidItem() : sink.accept(events, sources))
                .invoke(() -> metrics.applied(applied, sources))
                .chain(() -> Uni.createFrom().completionStage(batch::ack));
    }

    private CanonicalEvent decode(KafkaRecord<String, byte[]> rec, EventType.Family family)
            throws RejectedRecordException {
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
