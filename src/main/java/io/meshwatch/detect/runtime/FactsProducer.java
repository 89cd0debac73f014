package io.meshwatch.detect.runtime;

import io.meshwatch.facts.Fact;
import io.meshwatch.facts.FactCodec;
import io.meshwatch.platform.KafkaClientProperties;
import io.meshwatch.platform.MeshwatchConfig;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Publishes a batch's facts to the facts topic, keyed by router, and completes when the broker
 * acknowledged them all (acks=all, idempotent), so the input batch is acknowledged only after its
 * facts are safe. Sends run on one thread of their own, in order (a producer's send may block on
 * metadata; the input channel's event loop must not).
 */
@ApplicationScoped
public class FactsProducer {

    private final FactCodec codec;
    private final String topic;
    private final String bootstrap;
    private final Instance<Map<String, Object>> kafkaConfig;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "meshwatch-facts-producer");
        t.setDaemon(true);
        return t;
    });
    private volatile Producer<String, byte[]> producer;

    public FactsProducer(FactCodec codec, MeshwatchConfig config,
                         @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap,
                         @Identifier("default-kafka-broker") Instance<Map<String, Object>> kafkaConfig) {
        this.codec = codec;
        this.topic = config.topics().facts();
        this.bootstrap = bootstrap;
        this.kafkaConfig = kafkaConfig;
    }

    /** Sends the facts in order; the Uni completes when every one is acknowledged, fails on the first error. */
    public Uni<Void> send(List<Fact> facts) {
        if (facts.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        sender.execute(() -> {
            try {
                AtomicInteger left = new AtomicInteger(facts.size());
                Producer<String, byte[]> p = producer();
                for (Fact f : facts) {
                    p.send(new ProducerRecord<>(topic, f.router(), codec.encode(f)), (md, ex) -> {
                        if (ex != null) {
                            done.completeExceptionally(ex);
                        } else if (left.decrementAndGet() == 0) {
                            done.complete(null);
                        }
                    });
                }
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        return Uni.createFrom().completionStage(done);
    }

    private Producer<String, byte[]> producer() {
        if (producer == null) {
            Properties p = KafkaClientProperties.of(kafkaConfig, bootstrap,
                    ProducerConfig.configNames());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            p.put(ProducerConfig.CLIENT_ID_CONFIG, "meshwatch-facts");
            p.put(ProducerConfig.LINGER_MS_CONFIG, "2");
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(Duration.ofSeconds(10).toMillis()));
            producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    @PreDestroy
    void close() {
        sender.shutdown();
        Producer<String, byte[]> p = producer;
        if (p != null) {
            p.close(Duration.ofSeconds(5));
        }
    }
}
