package io.meshwatch.ingest;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * {@code meshwatch_ingest_consumer_lag_records{topic,partition}}: how many records of each assigned
 * input partition this instance has not consumed yet, as the Kafka consumer itself measures it
 * after every fetch (its {@code records-lag} metric: high watermark minus position).
 *
 * <p>Every {@link #PERIOD_MS} ms the input consumer's metrics are read on its polling thread (one
 * consumer reads both input topics; the series are per topic and partition all the same); a series
 * exists for exactly the partitions assigned to this instance (a revoked partition's series is
 * removed), so label values are bounded by the topics' partition counts. Nothing runs per record.
 *
 * <p>Threading: the refresh runs on the consumer's polling thread and only writes {@link #lag};
 * gauges read it at scrape time.
 */
@ApplicationScoped
public class ConsumerLag {

    static final long PERIOD_MS = 5000;
    static final List<String> CHANNELS = List.of(Consumers.CHANNEL);
    private static final Logger LOG = Logger.getLogger(ConsumerLag.class);

    private final MeterRegistry registry;
    private final KafkaClientService clients;
    private final Vertx vertx;
    private final Map<TopicPartition, Double> lag = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Gauge> gauges = new ConcurrentHashMap<>();
    private final Map<String, Map<TopicPartition, Double>> byChannel = new ConcurrentHashMap<>();

    public ConsumerLag(MeterRegistry registry, KafkaClientService clients, Vertx vertx) {
        this.registry = registry;
        this.clients = clients;
        this.vertx = vertx;
    }

    void start(@Observes @Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION + 100) StartupEvent ev) {
        vertx.setPeriodic(PERIOD_MS, PERIOD_MS, id -> refresh());
    }

    /** Reads the lag of every channel's assigned partitions. */
    void refresh() {
        for (String channel : CHANNELS) {
            KafkaConsumer<Object, Object> consumer;
            try {
                consumer = clients.getConsumer(channel);
            } catch (RuntimeException e) {
                consumer = null;
            }
            if (consumer == null) {
                continue;
            }
            java.util.function.Function<org.apache.kafka.clients.consumer.Consumer<Object, Object>,
                    Map<TopicPartition, Double>> read = c -> recordsLag(c.metrics(), List.copyOf(c.assignment()));
            consumer.runOnPollingThread(read)
                    .subscribe().with(m -> update(channel, m), e -> LOG.debugf("lag of %s not read: %s", channel, e));
        }
    }

    /** The {@code records-lag} of each assigned partition that has been fetched at least once. */
    static Map<TopicPartition, Double> recordsLag(Map<MetricName, ? extends Metric> metrics,
                                                 List<TopicPartition> assigned) {
        Map<TopicPartition, Double> out = new HashMap<>();
        for (Map.Entry<MetricName, ? extends Metric> m : metrics.entrySet()) {
            MetricName n = m.getKey();
            if (!n.name().equals("records-lag") || !n.group().equals("consumer-fetch-manager-metrics")) {
                continue;
            }
            String topic = n.tags().get("topic");
            String partition = n.tags().get("partition");
            if (topic == null || partition == null) {
                continue;
            }
            TopicPartition tp = new TopicPartition(topic, Integer.parseInt(partition));
            if (assigned.contains(tp) && m.getValue().metricValue() instanceof Number v
                    && !Double.isNaN(v.doubleValue())) {
                out.put(tp, v.doubleValue());
            }
        }
        return out;
    }

    private synchronized void update(String channel, Map<TopicPartition, Double> now) {
        Map<TopicPartition, Double> before = byChannel.put(channel, now);
        if (before != null) {
            for (TopicPartition gone : before.keySet()) {
                if (!now.containsKey(gone)) {
                    lag.remove(gone);
                    Gauge g = gauges.remove(gone);
                    if (g != null) {
                        registry.remove(g);
                    }
                }
            }
        }
        lag.putAll(now);
        for (TopicPartition tp : now.keySet()) {
            gauges.computeIfAbsent(tp, k -> Gauge.builder("meshwatch.ingest.consumer.lag",
                            () -> lag.getOrDefault(k, Double.NaN))
                    .description("Records of an assigned input partition not consumed yet (high watermark minus position)")
                    .baseUnit("records").tag("topic", k.topic()).tag("partition", Integer.toString(k.partition()))
                    .register(registry));
        }
    }
}
