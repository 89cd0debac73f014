package io.meshwatch.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.event.EventCodec;
import io.meshwatch.event.EventType;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends the simulator's events to Kafka as canonical JSON ({@link EventCodec}, source {@code sim}),
 * keyed by router id, BGP events to one topic and telemetry to the other. A plain
 * {@link KafkaProducer} tuned for throughput (batches up to 512 KiB lingering 20 ms, lz4) with
 * idempotence on, so each router's events stay in order; {@link #emit} blocks when the producer's
 * buffer is full, which paces the simulator to what the brokers take.
 *
 * <p>Threading: {@link #emit} on the simulator's thread; the counters may be read from any thread.
 */
public final class KafkaSimSink implements SimSink, AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final EventCodec codec = new EventCodec(new ObjectMapper());
    private final String bgpTopic;
    private final String telemetryTopic;
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Exception> lastError = new AtomicReference<>();

    public KafkaSimSink(String bootstrap, String bgpTopic, String telemetryTopic, Map<String, Object> overrides) {
        this.bgpTopic = bgpTopic;
        this.telemetryTopic = telemetryTopic;
        this.producer = new KafkaProducer<>(properties(bootstrap, overrides), new StringSerializer(),
                new ByteArraySerializer());
    }

    /** The producer settings: throughput first, order per key kept. */
    static Map<String, Object> properties(String bootstrap, Map<String, Object> overrides) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "meshwatch-sim");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // one router's table is one key, so one partition: big batches are what makes it fast
        // (0.6M -> 0.9M prefixes/s into the in-process broker, docs/benchmarks.md); compressed, a
        // batch stays far below a default broker's 1 MB message.max.bytes
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
        p.putAll(overrides);
        return p;
    }

    @Override
    public void emit(CanonicalEvent event) {
        String topic = event.type().family() == EventType.Family.BGP ? bgpTopic : telemetryTopic;
        producer.send(new ProducerRecord<>(topic, event.router(), codec.encode(event, "sim")), (meta, error) -> {
            if (error == null) {
                acked.incrementAndGet();
            } else {
                failed.incrementAndGet();
                lastError.set(error);
            }
        });
    }

    /**
     * Asks the brokers for the partitions of both topics, so that an unreachable cluster, refused
     * credentials or a missing topic show at once instead of as failed sends. Waits at most the
     * producer's {@code max.block.ms} for each topic.
     *
     * @throws org.apache.kafka.common.KafkaException when they do not answer in time (a
     *                                                {@code TimeoutException}, also for a topic that does not exist) or refuse
     */
    public void checkTopics() {
        producer.partitionsFor(bgpTopic);
        producer.partitionsFor(telemetryTopic);
    }

    /** Waits until every event sent so far is acknowledged or failed. */
    public void flush() {
        producer.flush();
    }

    /** Events the brokers acknowledged. */
    public long acked() {
        return acked.get();
    }

    /** Events the producer gave up on (see {@link #lastError}). */
    public long failed() {
        return failed.get();
    }

    public Exception lastError() {
        return lastError.get();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
