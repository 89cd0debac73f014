package io.meshwatch.notify.kafka;

import io.meshwatch.alerting.Alert;
import io.meshwatch.alerting.AlertChange;
import io.meshwatch.alerting.AlertLifecycle.Notify;
import io.meshwatch.notify.Attempt;
import io.meshwatch.notify.Outbox;
import io.meshwatch.notify.Sink;
import io.meshwatch.platform.KafkaClientProperties;
import io.meshwatch.platform.MeshwatchConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Publishes outbox rows of the Kafka sink to {@code meshwatch.topics.alerts}, keyed by the alert's
 * fingerprint (so one alert's events stay in order in one partition), with the row's idempotency
 * key in an {@code Idempotency-Key} header. Delivered when the broker acknowledged the record
 * ({@code acks=all}); anything else is retried by the outbox like a 5xx.
 *
 * <p>The producer is created on first use; sends block (metadata, acknowledgement) on a Vert.x worker,
 * never on the sender's event loop.
 */
@ApplicationScoped
public class AlertEventSink implements Sink {

    private final Vertx vertx;
    private final String bootstrap;
    private final Instance<Map<String, Object>> kafkaConfig;
    private final String topic;
    private final long timeoutMs;
    private final boolean enabled;
    private volatile Producer<String, byte[]> producer;

    public AlertEventSink(Vertx vertx, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap,
                          @Identifier("default-kafka-broker") Instance<Map<String, Object>> kafkaConfig,
                          MeshwatchConfig config) {
        this.vertx = vertx;
        this.bootstrap = bootstrap;
        this.kafkaConfig = kafkaConfig;
        this.topic = config.topics().alerts();
        this.timeoutMs = config.notifications().timeout().toMillis();
        this.enabled = config.notifications().kafka().enabled();
    }

    @Override
    public boolean owns(String receiver) {
        return AlertEvents.RECEIVER.equals(receiver);
    }

    /**
     * Every lifecycle change (raised, repeated, acknowledged, resolved) as one event row, when
     * {@code meshwatch.notify.kafka.enabled}; keyed by the change, so a replayed change writes no second row.
     */
    @Override
    public List<Outbox.Entry> entries(Alert a, Notify kind, AlertChange change, String externalUrl) {
        if (change == null || !enabled) {
            return List.of();
        }
        return List.of(new Outbox.Entry(AlertEvents.RECEIVER, AlertEvents.json(change).encode(),
                AlertEvents.RECEIVER + "-" + change.key()));
    }

    @Override
    public Optional<String> builtInName() {
        return Optional.of(AlertEvents.RECEIVER);
    }

    @Override
    public Uni<Attempt> send(Outbox.Row r) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, r.fingerprint(),
                r.payload().getBytes(StandardCharsets.UTF_8));
        record.headers().add(new RecordHeader("Idempotency-Key", r.idempotencyKey().getBytes(StandardCharsets.UTF_8)));
        // send() itself may block (metadata, a full buffer), so it runs on a worker; the broker's
        // acknowledgement completes the attempt from the producer's callback
        return Uni.createFrom().<Attempt>emitter(em -> vertx.executeBlocking(() -> producer().send(record,
                        (md, ex) -> em.complete(ex == null ? Attempt.delivered() : Attempt.retry(ex))), false)
                        .onFailure(em::fail))
                .ifNoItem().after(java.time.Duration.ofMillis(timeoutMs + 1000)).fail()
                .onFailure().recoverWithItem(err -> Attempt.retry(err.getCause() != null ? err.getCause() : err));
    }

    private Producer<String, byte[]> producer() {
        Producer<String, byte[]> p = producer;
        if (p == null) {
            synchronized (this) {
                if (producer == null) {
                    producer = new KafkaProducer<>(config(), new StringSerializer(), new ByteArraySerializer());
                }
                p = producer;
            }
        }
        return p;
    }

    private Properties config() {
        Properties p = KafkaClientProperties.of(kafkaConfig, bootstrap, ProducerConfig.configNames());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "meshwatch-alerts");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(timeoutMs));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(timeoutMs, 2000)));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(timeoutMs, 2000) - 1));
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        return p;
    }

    void stop(@Observes ShutdownEvent ev) {
        Producer<String, byte[]> p = producer;
        if (p != null) {
            p.close(java.time.Duration.ofSeconds(5));
        }
    }
}
