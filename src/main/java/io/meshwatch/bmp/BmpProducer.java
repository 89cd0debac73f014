package io.meshwatch.bmp;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends the collector's events to the BGP topic. {@link KafkaProducer#send} may block (metadata,
 * full buffer), so every send is handed to one dedicated thread: the event loops never block, and
 * since that thread sends in the order it was given, each connection's events keep their order
 * (the producer is idempotent, so retries do not reorder them either).
 */
final class BmpProducer implements AutoCloseable {

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "meshwatch-bmp-kafka");
        t.setDaemon(true);
        return t;
    });

    BmpProducer(Map<String, Object> kafka, String topic) {
        this.topic = topic;
        this.producer = new KafkaProducer<>(config(kafka), new StringSerializer(), new ByteArraySerializer());
    }

    /** Producer settings: the application's {@code kafka.*} producer-relevant ones, then reliability. */
    static Properties config(Map<String, Object> kafka) {
        Properties p = new Properties();
        kafka.forEach((k, v) -> {
            if (ProducerConfig.configNames().contains(k) && v != null) {
                p.put(k, String.valueOf(v));
            }
        });
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "meshwatch-bmp");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        return p;
    }

    /**
     * Queues one record; {@code done} is called once, on a Kafka thread, with null on
     * acknowledgement or the failure.
     */
    void send(String key, byte[] value, Consumer<Exception> done) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
        try {
            sender.execute(() -> {
                try {
                    producer.send(record, (md, ex) -> done.accept(ex));
                } catch (RuntimeException e) {
                    done.accept(e);
                }
            });
        } catch (RuntimeException rejected) {
            done.accept(rejected);
        }
    }

    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(10));
    }
}
