package io.meshwatch.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.testing.KafkaBroker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The guarantee the input channel rests on, against the real broker: two consumers of one group,
 * subscribed as the service subscribes (both input topics) with the assignor the service configures
 * (read from application.properties), each end up with the same partition numbers of both topics
 * when the topics have 4 partitions each; with 4 and 6 partitions they do not, which is why start-up
 * refuses unequal counts (and shows that this test can fail).
 */
class CoPartitioningAssignorTest {

    static final String PREFIX = "mp.messaging.incoming." + Consumers.CHANNEL + ".";

    @Test
    void equalCountsGiveEachMemberTheSamePartitionsOfBothTopics() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String bgp = "copart-bgp-" + run;
        String telemetry = "copart-telemetry-" + run;
        KafkaBroker.get().createTopics(List.of(bgp, telemetry), 4);
        List<Set<TopicPartition>> members = assignments(List.of(bgp, telemetry), 8);
        assertEquals(2, members.size());
        for (Set<TopicPartition> m : members) {
            assertFalse(m.isEmpty(), "every member owns partitions: " + members);
            assertEquals(CoPartitioning.numbers(bgp, m), CoPartitioning.numbers(telemetry, m),
                    "a member owns the same partition numbers of both topics: " + members);
            assertTrue(CoPartitioning.atRebalance(bgp, 4, telemetry, 4, m).isEmpty());
        }
    }

    @Test
    void unequalCountsBreakIt() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String bgp = "copart-bgp-" + run;
        String telemetry = "copart-telemetry-" + run;
        KafkaBroker.get().createTopics(List.of(bgp), 4);
        KafkaBroker.get().createTopics(List.of(telemetry), 6);
        List<Set<TopicPartition>> members = assignments(List.of(bgp, telemetry), 10);
        boolean broken = false;
        for (Set<TopicPartition> m : members) {
            broken |= !CoPartitioning.numbers(bgp, m).equals(CoPartitioning.numbers(telemetry, m));
        }
        assertTrue(broken, "with 4 and 6 partitions some member owns different partition numbers: " + members);
        assertNotEquals(java.util.Optional.empty(), CoPartitioning.atRebalance(bgp, 4, telemetry, 6, members.get(0)));
    }

    /**
     * Starts two consumers in a fresh group with the service's subscription and assignor, polls both
     * until together they own all {@code partitions}, and returns each one's assignment.
     */
    private static List<Set<TopicPartition>> assignments(List<String> topics, int partitions) throws Exception {
        String group = "copart-" + UUID.randomUUID();
        Map<Integer, Set<TopicPartition>> owned = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(2);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            int member = i;
            Thread t = new Thread(() -> {
                try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerConfig(group),
                        new StringDeserializer(), new ByteArrayDeserializer())) {
                    c.subscribe(topics);
                    while (!stop.get()) {
                        c.poll(Duration.ofMillis(100));
                        owned.put(member, Set.copyOf(c.assignment()));
                    }
                } finally {
                    done.countDown();
                }
            }, "copart-member-" + i);
            t.start();
            threads.add(t);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try {
            while (System.nanoTime() < deadline) {
                Set<TopicPartition> all = new HashSet<>();
                boolean both = owned.size() == 2 && owned.values().stream().noneMatch(Set::isEmpty);
                int total = 0;
                for (Set<TopicPartition> s : owned.values()) {
                    all.addAll(s);
                    total += s.size();
                }
                // settled: both members hold partitions, together all of them, none twice
                if (both && all.size() == partitions && total == partitions) {
                    return List.of(owned.get(0), owned.get(1));
                }
                Thread.sleep(100);
            }
            throw new AssertionError("the group did not settle within 60 s: " + owned);
        } finally {
            stop.set(true);
            assertTrue(done.await(30, TimeUnit.SECONDS), "consumers closed");
        }
    }

    /** A consumer configured as the service's input channel is: its assignor, from application.properties. */
    private static Properties consumerConfig(String group) {
        Properties app = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            app.load(in);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String assignor = app.getProperty(PREFIX + "partition.assignment.strategy");
        assertEquals("org.apache.kafka.clients.consumer.RangeAssignor", assignor, "the service names its assignor");
        assertEquals("${meshwatch.topics.bgp},${meshwatch.topics.telemetry}", app.getProperty(PREFIX + "topics"),
                "the service subscribes to both input topics on one channel");
        Properties p = new Properties();
        p.put("bootstrap.servers", KafkaBroker.bootstrap());
        p.put("group.id", group);
        p.put("partition.assignment.strategy", assignor);
        p.put("auto.offset.reset", "earliest");
        p.put("session.timeout.ms", "10000");
        return p;
    }
}
