package io.meshwatch.cluster.stream;

import io.meshwatch.cluster.Membership;
import io.meshwatch.notify.stream.EventFormat;
import io.meshwatch.notify.stream.LiveStream;
import io.meshwatch.platform.KafkaClientProperties;
import io.meshwatch.platform.MeshwatchConfig;
import io.meshwatch.platform.StartupOrder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The live stream across instances: every event raised here (alert change, signal, incident, session
 * change) is written to {@code meshwatch.topics.stream} as the API's JSON with its type and this
 * instance's id in headers; every instance reads the whole topic from its end, without a consumer
 * group, and hands the other instances' events to its own {@code GET /api/v1/stream} clients. Its
 * own come back too and are skipped: they already went to its clients directly, so a client sees
 * each event once.
 *
 * <p>Best effort, like the stream itself: events queued while Kafka is away are dropped past
 * {@value #QUEUE} ({@code meshwatch_stream_relay_dropped_total}); a reader sees what was written after
 * it started.
 *
 * <p>Threading: producers of events only queue ({@link LiveStream#onLocal}); one thread,
 * {@value #SENDER}, writes the queue to Kafka; another, {@value #READER}, polls the topic.
 */
@ApplicationScoped
public class StreamRelay {

    static final String SENDER = "meshwatch-stream-relay-send";
    static final String READER = "meshwatch-stream-relay-read";
    /** Record header: the id of the instance the event was raised on. */
    public static final String ORIGIN = "meshwatch-origin";
    /** Record header: the event type ({@code alert}, {@code signal}, {@code incident}, {@code session}). */
    public static final String TYPE = "meshwatch-type";
    static final int QUEUE = 10_000;
    private static final Logger LOG = Logger.getLogger(StreamRelay.class);

    private final LiveStream stream;
    private final EventFormat format;
    private final Membership membership;
    private final boolean enabled;
    private final String topic;
    private final String bootstrap;
    private final Instance<Map<String, Object>> kafkaConfig;
    private final BlockingQueue<LiveStream.Event> queue = new ArrayBlockingQueue<>(QUEUE);
    private final Counter sent;
    private final Counter received;
    private final Counter dropped;
    private volatile boolean running;
    private volatile boolean reading;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Thread sender;
    private volatile Thread reader;

    public StreamRelay(LiveStream stream, EventFormat format, Membership membership, MeshwatchConfig config,
                       MeterRegistry registry, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap,
                       @Identifier("default-kafka-broker") Instance<Map<String, Object>> kafkaConfig) {
        this.stream = stream;
        this.format = format;
        this.membership = membership;
        this.enabled = config.cluster().streamRelay();
        this.topic = config.topics().stream();
        this.bootstrap = bootstrap;
        this.kafkaConfig = kafkaConfig;
        this.sent = Counter.builder("meshwatch.stream.relay.sent")
                .description("Live-stream events of this instance written to the stream topic").register(registry);
        this.received = Counter.builder("meshwatch.stream.relay.received")
                .description("Live-stream events of other instances read from the stream topic").register(registry);
        this.dropped = Counter.builder("meshwatch.stream.relay.dropped")
                .description("Live-stream events not relayed (queue full or not written)").register(registry);
    }

    /** Before the consumers start. */
    void start(@Observes @Priority(StartupOrder.RESTORE + 3) StartupEvent ev) {
        if (!enabled) {
            LOG.info("Live-stream relay off (meshwatch.cluster.stream-relay=false): GET /api/v1/stream carries this "
                    + "instance's events only");
            return;
        }
        ensureTopic();
        running = true;
        stream.onLocal(e -> {
            if (!queue.offer(e)) {
                dropped.increment();
            }
        });
        sender = thread(this::send, SENDER);
        reader = thread(this::read, READER);
        LOG.infof("Live-stream relay through %s: GET /api/v1/stream carries every instance's events", topic);
    }

    /** Whether the reader is positioned at the topic's end (it relays what is written from now on). */
    public boolean reading() {
        return reading;
    }

    private static Thread thread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Creates the topic with one partition and a short retention when missing. */
    private void ensureTopic() {
        try (Admin admin = Admin.create(properties(AdminClientConfig.configNames()))) {
            if (admin.listTopics().names().get(15, TimeUnit.SECONDS).contains(topic)) {
                return;
            }
            short replicas = (short) Math.min(3, admin.describeCluster().nodes().get(15, TimeUnit.SECONDS).size());
            admin.createTopics(List.of(new NewTopic(topic, 1, replicas).configs(Map.of(
                    TopicConfig.RETENTION_MS_CONFIG, Long.toString(Duration.ofHours(1).toMillis())))))
                    .all().get(15, TimeUnit.SECONDS);
            LOG.infof("Created the live-stream topic %s (one partition, replication %d, kept one hour)", topic, replicas);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                LOG.warnf("Could not create the live-stream topic %s (%s); the relay waits for it", topic,
                        e.getCause().toString());
            }
        } catch (TimeoutException e) {
            LOG.warnf("Could not check the live-stream topic %s (no answer); the relay waits for it", topic);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void send() {
        Properties p = properties(ProducerConfig.configNames());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "meshwatch-stream-relay-" + membership.id());
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            while (running) {
                LiveStream.Event e = queue.poll(200, TimeUnit.MILLISECONDS);
                if (e == null) {
                    continue;
                }
                ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, membership.id(),
                        format.json(e).getBytes(StandardCharsets.UTF_8));
                r.headers().add(ORIGIN, membership.id().getBytes(StandardCharsets.UTF_8));
                r.headers().add(TYPE, e.type().wire().getBytes(StandardCharsets.UTF_8));
                producer.send(r, (meta, error) -> {
                    if (error == null) {
                        sent.increment();
                    } else {
                        dropped.increment();
                        LOG.debugf("Live-stream event not relayed: %s", error.toString());
                    }
                });
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.errorf(e, "The live-stream relay's sender stopped");
        }
    }

    private void read() {
        Properties p = properties(ConsumerConfig.configNames());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "meshwatch-stream-relay-" + membership.id());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = c;
            List<TopicPartition> partitions = List.of();
            while (running && partitions.isEmpty()) {
                partitions = c.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                        .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
                if (partitions.isEmpty()) {
                    Thread.sleep(1000);
                }
            }
            c.assign(partitions);
            c.seekToEnd(partitions);
            partitions.forEach(c::position);
            reading = true;
            while (running) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    relay(r);
                }
            }
        } catch (WakeupException e) {
            // shutting down
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.errorf(e, "The live-stream relay's reader stopped");
        } finally {
            reading = false;
        }
    }

    private void relay(ConsumerRecord<String, byte[]> r) {
        String origin = header(r, ORIGIN);
        String type = header(r, TYPE);
        if (origin == null || origin.equals(membership.id()) || type == null || r.value() == null) {
            return; // this instance's own event (its clients had it) or not one of ours
        }
        LiveStream.Type t;
        try {
            t = LiveStream.Type.valueOf(type.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            LOG.debugf("Stream record of unknown type %s skipped", type);
            return;
        }
        received.increment();
        stream.relayed(t, origin, new String(r.value(), StandardCharsets.UTF_8));
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private Properties properties(java.util.Set<String> known) {
        return KafkaClientProperties.of(kafkaConfig, bootstrap, known);
    }

    void stop(@Observes ShutdownEvent ev) {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        for (Thread t : new Thread[] {sender, reader}) {
            if (t != null) {
                try {
                    t.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
