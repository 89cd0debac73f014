package io.meshwatch.detect.runtime;

import io.meshwatch.cluster.Membership;
import io.meshwatch.detect.EngineState;
import io.meshwatch.detect.EngineStateCodec;
import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.facts.Fact;
import io.meshwatch.facts.FactCodec;
import io.meshwatch.facts.FactFormatException;
import io.meshwatch.network.BgpSession;
import io.meshwatch.platform.KafkaClientProperties;
import io.meshwatch.platform.MeshwatchConfig;
import io.meshwatch.platform.StartupFailure;
import io.meshwatch.platform.StartupOrder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The detection owner (facts mode, ADR 0003): every instance is a member of the consumer group
 * {@code meshwatch.detect.owner.group-id} on the facts topic; the topic has one partition, so Kafka's
 * group coordinator gives it to exactly one member at a time, and that member feeds the facts to its
 * {@link DetectionService}, in order. The others stand by with nothing assigned. When the owner dies,
 * the coordinator gives the partition to another member after {@code owner.session-timeout}; it
 * goes on from the group's committed offset.
 *
 * <p>The owner checkpoints the engine's whole state to PostgreSQL ({@link CheckpointStore}) with the
 * offset of the next fact, every {@code owner.checkpoint-interval} and when it gives the partition
 * up; a new owner (or the same one restarted) restores that state and seeks to that offset, so
 * signals, deadlines, flap windows, failovers being measured and incidents go on across a take-over,
 * and the facts after the checkpoint are replayed. Facts the old owner applied after its last
 * checkpoint are applied again: the signals they raise are the ones already stored, which the alert
 * lifecycle takes as the same occurrence (no second notification). Without a checkpoint (the first
 * owner ever, or one that cannot be read) the owner goes on from the group's committed offset with
 * the engine seeded at start-up. An instance that gives the partition up empties its engine
 * ({@link DetectionService#standDown()}), so nothing left there raises or resolves anything.
 *
 * <p>Threading: one thread of its own, {@value #THREAD}, polls and feeds the engine (whose calls take
 * the service's lock); the rebalance callbacks run on it too. Checkpoints are taken there and
 * encoded and stored on one more thread, {@code meshwatch-detection-checkpoint}, in order.
 */
@ApplicationScoped
public class DetectionOwner {

    static final String THREAD = "meshwatch-detection-owner";
    private static final Duration DB_WAIT = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(DetectionOwner.class);

    private final DetectionService detection;
    private final FactCodec codec;
    private final Membership membership;
    private final DetectConfig config;
    private final String topic;
    private final String bootstrap;
    private final Instance<Map<String, Object>> kafkaConfig;
    private final Counter malformed;
    private final Counter applied;
    private final Timer delay;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Thread thread;
    private volatile boolean running;
    private volatile boolean owner;
    private final CheckpointStore checkpoints;
    private final EngineStateCodec stateCodec = new EngineStateCodec();
    private final long checkpointInterval;
    private final Timer checkpointTime;
    private final Counter checkpointFailures;
    private final Counter restores;
    private volatile long checkpointBytes;
    private final ExecutorService checkpointWriter = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "meshwatch-detection-checkpoint");
        t.setDaemon(true);
        return t;
    });
    // the owner's thread only
    private TopicPartition held;
    private long lastCheckpoint;
    private Future<?> writing;

    public DetectionOwner(DetectionService detection, FactCodec codec, Membership membership, DetectConfig config,
                          CheckpointStore checkpoints,
                          MeshwatchConfig meshwatch, MeterRegistry registry,
                          @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap,
                          @Identifier("default-kafka-broker") Instance<Map<String, Object>> kafkaConfig) {
        this.detection = detection;
        this.codec = codec;
        this.membership = membership;
        this.config = config;
        this.topic = meshwatch.topics().facts();
        this.bootstrap = bootstrap;
        this.kafkaConfig = kafkaConfig;
        this.malformed = Counter.builder("meshwatch.detect.facts.malformed")
                .description("Facts the detection owner could not read (logged and skipped)").register(registry);
        this.applied = Counter.builder("meshwatch.detect.facts.applied")
                .description("Facts the detection owner fed to its engine").register(registry);
        this.delay = Timer.builder("meshwatch.detect.facts.delay")
                .description("Facts mode: from a fact's write to the facts topic (its record time) to the owner "
                        + "feeding it to the engine")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(1)).register(registry);
        this.checkpoints = checkpoints;
        this.checkpointInterval = config.owner().checkpointInterval().toNanos();
        this.checkpointTime = Timer.builder("meshwatch.detect.checkpoint.duration")
                .description("Time to take, encode and store one detection checkpoint").register(registry);
        this.checkpointFailures = Counter.builder("meshwatch.detect.checkpoint.failures")
                .description("Detection checkpoints that could not be stored (logged; the next one is tried)")
                .register(registry);
        this.restores = Counter.builder("meshwatch.detect.checkpoint.restores")
                .description("Take-overs that restored the stored detection checkpoint").register(registry);
        Gauge.builder("meshwatch.detect.checkpoint.size", () -> checkpointBytes).baseUnit("bytes")
                .description("Size of the last detection checkpoint stored (gzipped JSON)").register(registry);
        // local mode: every instance judges what it consumes, so each counts as an owner (one is right)
        boolean local = config.mode() != DetectConfig.Mode.FACTS;
        Gauge.builder("meshwatch.detect.owner", () -> local || owner ? 1 : 0)
                .description("1 while detection runs on this instance: always in local mode, on the elected owner "
                        + "in facts mode; else 0").register(registry);
    }

    /** In facts mode, joins the owner's group once detection is seeded, before the input consumers. */
    void start(@Observes @Priority(StartupOrder.RESTORE + 7) StartupEvent ev) {
        if (config.mode() != DetectConfig.Mode.FACTS) {
            return;
        }
        checkFactsTopic();
        running = true;
        thread = new Thread(this::run, THREAD);
        thread.setDaemon(true);
        thread.start();
        LOG.infof("Detection in facts mode: standing by for the facts topic %s in group %s", topic,
                config.owner().groupId());
    }

    /**
     * The facts topic must have exactly one partition (more would make several owners): created with
     * one when missing; any other count stops start-up with one line.
     */
    private void checkFactsTopic() {
        Properties p = KafkaClientProperties.of(kafkaConfig, bootstrap,
                AdminClientConfig.configNames());
        try (Admin admin = Admin.create(p)) {
            Map<String, TopicListing> topics = admin.listTopics().namesToListings()
                    .get(15, TimeUnit.SECONDS);
            if (!topics.containsKey(topic)) {
                short replicas = (short) Math.min(3, admin.describeCluster().nodes()
                        .get(15, TimeUnit.SECONDS).size());
                admin.createTopics(List.of(new NewTopic(topic, 1, replicas)))
                        .all().get(15, TimeUnit.SECONDS);
                LOG.infof("Created the facts topic %s with one partition (replication %d)", topic, replicas);
                return;
            }
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(15, TimeUnit.SECONDS).get(topic).partitions().size();
            if (partitions != 1) {
                throw new StartupFailure("The facts topic " + topic + " has " + partitions
                        + " partitions; detection in facts mode needs exactly one (one owner): recreate it with "
                        + "kafka-topics --create --topic " + topic + " --partitions 1");
            }
        } catch (ExecutionException | TimeoutException e) {
            LOG.warnf("Could not check the facts topic %s (%s); the owner's consumer will wait for it", topic,
                    e.getCause() != null ? e.getCause().toString() : e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether this instance owns detection now. */
    public boolean owner() {
        return owner;
    }

    private void run() {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(properties(), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = c;
            c.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    if (!partitions.isEmpty()) {
                        takeOver(c, partitions.iterator().next());
                    }
                }

                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    if (!partitions.isEmpty()) {
                        checkpoint(c, true);
                        try {
                            c.commitSync(Duration.ofSeconds(5));
                        } catch (RuntimeException e) {
                            LOG.warnf("Could not commit the facts offset on giving up detection: %s", e.toString());
                        }
                        giveUp();
                        LOG.infof("This instance (%s) no longer owns detection", membership.id());
                    }
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    // no checkpoint: another owner may be writing already
                    giveUp();
                    LOG.warnf("Detection ownership lost (the group moved on without this instance): %s", partitions);
                }
            });
            while (running) {
                ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    feed(records);
                    c.commitAsync();
                }
                if (held != null && System.nanoTime() - lastCheckpoint >= checkpointInterval) {
                    checkpoint(c, false);
                }
            }
        } catch (WakeupException e) {
            // shutting down
        } catch (RuntimeException e) {
            LOG.errorf(e, "The detection owner's consumer stopped");
        } finally {
            owner = false;
        }
    }

    /**
     * Becomes the owner of detection: restores the group's checkpoint, if there is a usable one, and
     * goes on from the facts offset it covers (else from the group's committed offset with the
     * engine as it is). Runs in the consumer's rebalance callback, before the first fetch.
     */
    private void takeOver(KafkaConsumer<String, byte[]> c, TopicPartition tp) {
        long started = System.nanoTime();
        String how = "no checkpoint: from the group's committed offset";
        try {
            Optional<CheckpointStore.Stored> stored = checkpoints.read(config.owner().groupId())
                    .await().atMost(DB_WAIT);
            if (stored.isPresent()) {
                how = restore(c, tp, stored.get());
            }
        } catch (RuntimeException e) {
            how = "the checkpoint could not be read (" + e + "): from the group's committed offset";
            LOG.errorf("Taking over detection without its checkpoint: %s", e.toString());
        }
        held = tp;
        lastCheckpoint = System.nanoTime();
        owner = true;
        membership.detectionOwner(true);
        LOG.infof("This instance (%s) owns detection now (%s), %s; ready in %d ms", membership.id(), tp, how,
                (System.nanoTime() - started) / 1_000_000);
    }

    /** Restores a stored checkpoint and seeks to its offset; says what it did. */
    private String restore(KafkaConsumer<String, byte[]> c, TopicPartition tp, CheckpointStore.Stored stored) {
        long end = c.endOffsets(List.of(tp), Duration.ofSeconds(10)).getOrDefault(tp, 0L);
        if (!stored.topic().equals(tp.topic()) || stored.factsOffset() > end) {
            checkpoints.delete(config.owner().groupId()).await().atMost(DB_WAIT);
            LOG.warnf("Dropped the detection checkpoint for %s@%d (taken at %s): the facts topic %s ends at %d "
                    + "(recreated?)", stored.topic(), stored.factsOffset(), stored.takenAt(), tp.topic(), end);
            return "checkpoint dropped (does not match the facts topic): from the group's committed offset";
        }
        try {
            detection.restore(stateCodec.decode(stored.state()));
        } catch (IllegalArgumentException e) {
            LOG.errorf("The detection checkpoint taken at %s cannot be restored; detection goes on without it: %s",
                    stored.takenAt(), e.getMessage());
            return "checkpoint unusable: from the group's committed offset";
        }
        c.seek(tp, stored.factsOffset());
        restores.increment();
        return String.format("restored the checkpoint taken at %s by %s (%d bytes), replaying facts %d..%d",
                stored.takenAt(), stored.writtenBy(), stored.state().length, stored.factsOffset(), end);
    }

    /**
     * Takes the engine's state with the offset of the next fact to apply, on this thread (an immutable
     * value, taken under the engine's lock in well under a millisecond), and has it encoded and stored
     * on the checkpoint writer's thread, so the facts keep flowing meanwhile (encoding and storing took
     * up to 0.2 s on the owner's thread: a pause every interval in front of every fact). Writes are
     * stored in the order taken; a periodic one is skipped while the previous is still being written.
     * With {@code wait} (giving the partition up) it returns when this one is stored or failed.
     */
    private void checkpoint(KafkaConsumer<String, byte[]> c, boolean wait) {
        TopicPartition tp = held;
        if (tp == null) {
            return;
        }
        lastCheckpoint = System.nanoTime();
        if (!wait && writing != null && !writing.isDone()) {
            return;
        }
        long offset;
        EngineState state;
        try {
            offset = c.position(tp, Duration.ofSeconds(5));
            state = detection.checkpoint();
        } catch (RuntimeException e) {
            failed(e);
            return;
        }
        String topic = tp.topic();
        try {
            writing = checkpointWriter.submit(() -> store(topic, offset, state));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            failed(e);
            return;
        }
        if (wait) {
            try {
                writing.get(DB_WAIT.toMillis() + 5_000, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                failed(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The checkpoint writer's thread: encodes and stores one state; failures are logged. */
    private void store(String topic, long offset, EngineState state) {
        long started = System.nanoTime();
        try {
            byte[] bytes = stateCodec.encode(state);
            boolean written = checkpoints.write(config.owner().groupId(), topic, offset, state.version(), bytes,
                    state.takenAt(), membership.id()).await().atMost(DB_WAIT);
            checkpointBytes = bytes.length;
            checkpointTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            if (!written) {
                LOG.warnf("Detection checkpoint at facts offset %d not written: a later one is stored "
                        + "(another owner?)", offset);
            }
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    private void failed(Exception e) {
        checkpointFailures.increment();
        String why = String.valueOf(e.getMessage());
        LOG.warnf("Could not checkpoint detection: %s", why.length() > 300 ? why.substring(0, 300) + "..." : why);
    }

    /** No longer the owner: nothing of the engine left here speaks for the deployment. */
    private void giveUp() {
        held = null;
        owner = false;
        membership.detectionOwner(false);
        detection.standDown();
    }

    /** Feeds the facts in order, grouping runs of one kind into one engine call. */
    private void feed(ConsumerRecords<String, byte[]> records) {
        long now = System.currentTimeMillis();
        for (ConsumerRecord<String, byte[]> r : records) {
            delay.record(Math.max(0, now - r.timestamp()), TimeUnit.MILLISECONDS);
        }
        List<BgpSession> sessions = new ArrayList<>();
        List<CanonicalEvent> telemetry = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            Fact f;
            try {
                f = codec.decode(r.value());
            } catch (FactFormatException e) {
                malformed.increment();
                LOG.warnf("Fact at %s-%d@%d skipped: %s", r.topic(), r.partition(), r.offset(), e.getMessage());
                continue;
            }
            applied.increment();
            if (f instanceof Fact.SessionFact s) {
                flushTelemetry(telemetry);
                sessions.add(s.session());
            } else if (f instanceof Fact.TelemetryFact t) {
                flushSessions(sessions);
                telemetry.add(t.event());
            } else if (f instanceof Fact.FeedFact ff) {
                flushSessions(sessions);
                flushTelemetry(telemetry);
                detection.feeds(List.of(ff.event()));
            } else if (f instanceof Fact.RouteFact rf) {
                flushSessions(sessions);
                flushTelemetry(telemetry);
                detection.deltas(rf.router(), rf.time(), rf.deltas());
            }
        }
        flushSessions(sessions);
        flushTelemetry(telemetry);
    }

    private void flushSessions(List<BgpSession> sessions) {
        if (!sessions.isEmpty()) {
            detection.judgeSessions(List.copyOf(sessions));
            sessions.clear();
        }
    }

    private void flushTelemetry(List<CanonicalEvent> telemetry) {
        if (!telemetry.isEmpty()) {
            detection.telemetry(List.copyOf(telemetry));
            telemetry.clear();
        }
    }

    private Properties properties() {
        Properties p = KafkaClientProperties.of(kafkaConfig, bootstrap,
                ConsumerConfig.configNames());
        long timeout = config.owner().sessionTimeout().toMillis();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.owner().groupId());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "meshwatch-detection-owner-" + membership.id());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(timeout));
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Long.toString(Math.max(500, timeout / 3)));
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
        p.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        return p;
    }

    void stop(@Observes ShutdownEvent ev) {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        Thread t = thread;
        if (t != null) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        checkpointWriter.shutdown(); // after the consumer's close: its revocation stores a last checkpoint
    }
}
