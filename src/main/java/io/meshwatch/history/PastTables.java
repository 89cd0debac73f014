package io.meshwatch.history;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.cluster.ClusterView;
import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.event.EventCodec;
import io.meshwatch.event.EventType;
import io.meshwatch.event.RejectedRecordException;
import io.meshwatch.platform.KafkaClientProperties;
import io.meshwatch.platform.MeshwatchConfig;
import io.meshwatch.rib.PartitionSnapshot;
import io.meshwatch.rib.RibService;
import io.meshwatch.rib.RibService.RouterImage;
import io.meshwatch.rib.SnapshotStore;
import io.meshwatch.routing.RibSnapshot;
import io.meshwatch.routing.RouteTable;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Route tables of the past, rebuilt from the snapshots and the BGP topic (see the package
 * description), and private copies of the live ones. Blocking: call from a worker thread.
 */
@ApplicationScoped
public class PastTables {

    private static final Logger LOG = Logger.getLogger(PastTables.class);

    /**
     * A rebuilt table and where it came from.
     *
     * @param table           the router's table at the instant; null when the router had none then
     * @param snapshotOffset  offset the start snapshot covers up to (0: the start of an untrimmed partition)
     * @param snapshotTakenAt when the start snapshot was taken; null for the start of the partition
     * @param targetOffset    the first record of the partition after the instant (not applied)
     * @param records         records of the partition read; {@code events} of them were the router's
     */
    public record Past(String router, Instant at, RouteTable table, int partition, long snapshotOffset,
                       Instant snapshotTakenAt, long targetOffset, long records, long events, long millis) {
    }

    private final SnapshotStore store;
    private final RibService live;
    private final Clock clock;
    private final EventCodec codec;
    private final String topic;
    private final Supplier<Properties> consumerProperties;
    private final MeshwatchConfig.Rib.History limits;
    private final Duration snapshotInterval;

    @Inject
    public PastTables(SnapshotStore store, RibService live, Clock clock, ObjectMapper json, MeshwatchConfig config,
                      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap,
                      @Identifier("default-kafka-broker") Instance<Map<String, Object>> kafkaConfig) {
        this(store, live, clock, new EventCodec(json), config.topics().bgp(),
                () -> KafkaClientProperties.of(kafkaConfig, bootstrap, ConsumerConfig.configNames()),
                config.rib().history(), config.rib().snapshot().interval());
    }

    /**
     * @param topic              the BGP topic
     * @param consumerProperties the Kafka settings of a consumer (bootstrap, security); group settings are dropped
     */
    public PastTables(SnapshotStore store, RibService live, Clock clock, EventCodec codec, String topic,
                      Supplier<Properties> consumerProperties, MeshwatchConfig.Rib.History limits,
                      Duration snapshotInterval) {
        this.store = store;
        this.live = live;
        this.clock = clock;
        this.codec = codec;
        this.topic = topic;
        this.consumerProperties = consumerProperties;
        this.limits = limits;
        this.snapshotInterval = snapshotInterval;
    }

    /**
     * A private copy of the router's live table (taken under its read lock, so consistent), or null
     * when it has none. Bounded like a rebuild.
     */
    public RouteTable copyOfNow(String router) {
        RouteTable t = live.table(router).orElse(null);
        if (t == null) {
            return null;
        }
        long paths = PartitionSnapshot.paths(t);
        if (paths > limits.maxPaths()) {
            throw new TooLarge("router '" + router + "' holds " + paths + " received paths, more than "
                    + limits.maxPaths() + " (meshwatch.rib.history.max-paths)");
        }
        try {
            ByteArrayOutputStream buf = new ByteArrayOutputStream(1 << 16);
            try (DataOutputStream out = new DataOutputStream(buf)) {
                RibSnapshot.write(t, out);
            }
            return RibSnapshot.read(new DataInputStream(new ByteArrayInputStream(buf.toByteArray())), clock);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The router's table at {@code at} (records stamped at or before it applied).
     *
     * @throws IllegalArgumentException when {@code at} is in the future
     * @throws OutOfReach when neither a kept snapshot nor the topic's retention reaches back to it
     * @throws TooLarge   when the rebuild would pass its bounds
     * @throws Unavailable when the topic cannot be read within {@code meshwatch.rib.history.read-timeout}
     */
    public Past at(String router, Instant at) {
        return replay(router, at, at, null, null, false);
    }

    /**
     * Rebuilds the table at {@code to} as {@link #at} does, starting from a snapshot at or before
     * {@code from}, and hands every event of the router in a record stamped at or after {@code from}
     * to {@code onEvent} before it is applied; {@code setup} gets the rebuild before the first record
     * so it can listen to its best-path changes.
     *
     * @throws IllegalArgumentException when {@code to} is in the future or {@code from} after {@code to}
     */
    public Past replay(String router, Instant from, Instant to, Consumer<Rebuild> setup,
                       Consumer<CanonicalEvent> onEvent) {
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("from " + from + " is after to " + to);
        }
        return replay(router, from, to, setup, onEvent, true);
    }

    private Past replay(String router, Instant from, Instant to, Consumer<Rebuild> setup,
                        Consumer<CanonicalEvent> onEvent, boolean window) {
        try {
            return rebuild(router, from, to, setup, onEvent, window);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new Unavailable("the BGP topic " + topic + " did not answer within "
                    + limits.readTimeout() + " (meshwatch.rib.history.read-timeout): " + e.getMessage(), e);
        }
    }

    private Past rebuild(String router, Instant from, Instant to, Consumer<Rebuild> setup,
                         Consumer<CanonicalEvent> onEvent, boolean window) {
        long started = System.nanoTime();
        Instant now = clock.instant();
        if (to.isAfter(now)) {
            throw new IllegalArgumentException("at " + to + " is in the future (now is " + now + ")");
        }
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties())) {
            Duration timeout = limits.readTimeout();
            int partitions = consumer.partitionsFor(topic, timeout).size();
            int p = ClusterView.partitionOf(router, partitions);
            TopicPartition tp = new TopicPartition(topic, p);
            List<TopicPartition> tps = List.of(tp);
            consumer.assign(tps);
            long begin = consumer.beginningOffsets(tps, timeout).get(tp);
            long end = consumer.endOffsets(tps, timeout).get(tp);
            OffsetAndTimestamp after = consumer.offsetsForTimes(Map.of(tp, to.toEpochMilli() + 1), timeout).get(tp);
            long target = after == null ? end : after.offset();
            long start = target;
            if (window) {
                OffsetAndTimestamp first = consumer.offsetsForTimes(Map.of(tp, from.toEpochMilli()), timeout).get(tp);
                start = Math.min(target, first == null ? end : first.offset());
            }

            Optional<SnapshotStore.Stored> base = store.atOrBefore(topic, p, start).await().atMost(timeout);
            // The first retained record is already after the instant: the records before it are deleted,
            // so which of them were at or before the instant is unknown. Only a snapshot ending exactly at
            // the retained start and taken at or before the instant stands for that state.
            boolean beforeRetained = begin > 0 && start == begin;
            Instant startAt = window ? from : to;
            boolean usable = base.isPresent() && base.get().nextOffset() >= begin
                    && (!beforeRetained || !base.get().takenAt().isAfter(startAt));
            long replayFrom;
            Instant takenAt = null;
            RouterImage image = null;
            if (usable) {
                replayFrom = base.get().nextOffset();
                takenAt = base.get().takenAt();
                image = decode(base.get(), router);
            } else if (begin == 0) {
                replayFrom = 0;
            } else {
                throw outOfReach(router, startAt, p, begin,
                        base.filter(b -> b.nextOffset() < begin));
            }
            if (target - replayFrom > limits.maxRecords()) {
                throw new TooLarge("rebuilding router '" + router + "' at " + to + " would read " + (target - replayFrom)
                        + " records of " + topic + "-" + p + " (from offset " + replayFrom + " to " + target + "), more than "
                        + limits.maxRecords() + " (meshwatch.rib.history.max-records)");
            }
            Rebuild rebuild = new Rebuild(router, image, Clock.fixed(to, ZoneOffset.UTC), limits.maxPaths());
            if (setup != null) {
                setup.accept(rebuild);
            }
            long records = 0;
            if (target > replayFrom) {
                consumer.seek(tp, replayFrom);
                long deadline = System.nanoTime() + timeout.toNanos();
                outer:
                while (consumer.position(tp, timeout) < target) {
                    if (System.nanoTime() > deadline) {
                        throw new Unavailable("reading " + topic + "-" + p + " from offset " + replayFrom + " to "
                                + target + " took more than " + timeout + " (meshwatch.rib.history.read-timeout)", null);
                    }
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        if (r.offset() >= target) {
                            break outer;
                        }
                        records++;
                        if (!router.equals(r.key())) {
                            continue;
                        }
                        CanonicalEvent e;
                        try {
                            e = codec.decode(r.value(), EventType.Family.BGP);
                        } catch (RejectedRecordException refused) {
                            continue; // dead-lettered by the live pipeline as well; no part of any table
                        }
                        if (onEvent != null && r.offset() >= start) {
                            onEvent.accept(e);
                        }
                        rebuild.accept(e);
                    }
                }
            }
            RouteTable table = rebuild.table();
            long millis = (System.nanoTime() - started) / 1_000_000;
            LOG.debugf("Rebuilt %s at %s from %s-%d offset %d to %d: %d records, %d events, %d ms", router, to, topic,
                    p, replayFrom, target, records, rebuild.applied(), millis);
            return new Past(router, to, table, p, replayFrom, takenAt, target, records, rebuild.applied(), millis);
        }
    }

    private RouterImage decode(SnapshotStore.Stored s, String router) {
        try {
            List<RouterImage> images = PartitionSnapshot.decode(s.data(), clock, router::equals);
            return images.isEmpty() ? null : images.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException("snapshot at offset " + s.nextOffset() + " cannot be read", e);
        }
    }

    private OutOfReach outOfReach(String router, Instant at, int p, long begin, Optional<SnapshotStore.Stored> tooOld) {
        Optional<SnapshotStore.Reach> reach = store.reach(topic, p).await().atMost(limits.readTimeout());
        StringBuilder why = new StringBuilder("the table of router '").append(router).append("' at ").append(at)
                .append(" is out of reach: ");
        if (tooOld.isPresent()) {
            why.append("the newest snapshot before it (offset ").append(tooOld.get().nextOffset()).append(", taken ")
                    .append(tooOld.get().takenAt()).append(") is followed by records already deleted by the topic's "
                            + "retention");
        } else {
            why.append("no kept snapshot is that old");
        }
        why.append(". Limits: ").append(topic).append('-').append(p).append(" starts at offset ").append(begin)
                .append(" (topic retention)");
        reach.ifPresentOrElse(r -> why.append("; the oldest kept snapshot was taken ").append(r.oldestTakenAt())
                        .append(" (offset ").append(r.oldestOffset()).append(", ").append(r.kept()).append(" kept)"),
                () -> why.append("; no snapshot is kept for this partition"));
        why.append("; snapshots are kept every ").append(limits.interval()).append(" for ").append(limits.keepFor())
                .append(", at most ").append(limits.keep()).append(" (meshwatch.rib.history.*), taken every ")
                .append(snapshotInterval).append(" at most (meshwatch.rib.snapshot.interval)");
        return new OutOfReach(why.toString());
    }

    private Properties properties() {
        Properties p = new Properties();
        p.putAll(consumerProperties.get());
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "meshwatch-history-" + UUID.randomUUID());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }
}
