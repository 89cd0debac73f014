package io.meshwatch.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.event.EventCodec;
import io.meshwatch.platform.MeshwatchConfig;
import io.meshwatch.rib.PartitionSnapshot;
import io.meshwatch.rib.RibService;
import io.meshwatch.rib.SnapshotStore;
import io.meshwatch.routing.Afi;
import io.meshwatch.routing.BestRoute;
import io.meshwatch.routing.RouteTable;
import io.meshwatch.testing.Events;
import io.meshwatch.testing.KafkaBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The rebuild against a topic of its own on the real broker and the real {@code rib_snapshot} tables:
 * replay from an untrimmed partition's start, from a kept snapshot once the topic is trimmed, the
 * out-of-reach answers naming both limits, and the bounds.
 */
@QuarkusTest
class PastTablesTest {

    static final Instant T = Instant.parse("2026-12-01T03:00:00Z");

    @Inject
    SnapshotStore store;
    @Inject
    ObjectMapper json;

    final String topic = "meshwatch.history-test-" + UUID.randomUUID();
    final String router = Events.uniqueRouter("cx-past");
    final List<Instant> stamps = new ArrayList<>();
    final List<String> values = new ArrayList<>();

    @Test
    void rebuildsFromThePartitionStartThenFromAKeptSnapshotAndSaysWhatIsOutOfReach() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KafkaBroker.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            send(Events.peerState(router, "169.254.10.1", 64512, "established", T)); // offset 0
            send(update("\"10.1.0.0/16\"", ""));                                    // 1
            send(update("\"10.2.0.0/16\"", ""));                                    // 2
            send(update("\"10.3.0.0/16\"", ""));                                    // 3
            send(update("", "\"10.1.0.0/16\""));                                    // 4
            PastTables past = past(5_000_000, 5_000_000);

            // untrimmed: every instant back to the first record is in reach, without a snapshot
            assertEquals(List.of("10.2.0.0/16", "10.3.0.0/16"), prefixes(past.at(router, Instant.now())));
            PastTables.Past then = past.at(router, stamps.get(2));
            assertEquals(List.of("10.1.0.0/16", "10.2.0.0/16"), prefixes(then));
            assertEquals(0, then.snapshotOffset());
            assertEquals(3, then.targetOffset());

            // a snapshot covering offsets 0..2 is kept, then retention deletes them
            RibService image = new RibService(Clock.systemUTC(), new SimpleMeterRegistry());
            EventCodec codec = new EventCodec(json);
            List<CanonicalEvent> firstThree = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                firstThree.add(codec.decode(values.get(i).getBytes(StandardCharsets.UTF_8), null));
            }
            image.apply(firstThree);
            assertTrue(store.save(topic, 0, 3, stamps.get(2), PartitionSnapshot.encode(image.capture(List.of(router))))
                    .await().atMost(Duration.ofSeconds(30)));
            admin.deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(3))).all()
                    .get(30, TimeUnit.SECONDS);

            PastTables.Past fromSnapshot = past.at(router, stamps.get(3));
            assertEquals(List.of("10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16"), prefixes(fromSnapshot));
            assertEquals(3, fromSnapshot.snapshotOffset());
            assertEquals(stamps.get(2), fromSnapshot.snapshotTakenAt());
            assertEquals(1, fromSnapshot.records());
            assertEquals(List.of("10.2.0.0/16", "10.3.0.0/16"), prefixes(past.at(router, Instant.now())));
            // at the snapshot's own time: the snapshot alone, though the first retained record is later
            PastTables.Past atSnapshot = past.at(router, stamps.get(2));
            assertEquals(List.of("10.1.0.0/16", "10.2.0.0/16"), prefixes(atSnapshot));
            assertEquals(0, atSnapshot.records());

            // before the snapshot, the records are gone: out of reach, never an empty table
            OutOfReach tooOld = assertThrows(OutOfReach.class, () -> past.at(router, stamps.get(1)));
            assertTrue(tooOld.getMessage().contains("no kept snapshot is that old"), tooOld.getMessage());
            assertTrue(tooOld.getMessage().contains("starts at offset 3 (topic retention)"), tooOld.getMessage());
            assertTrue(tooOld.getMessage().contains("the oldest kept snapshot was taken " + stamps.get(2)),
                    tooOld.getMessage());

            // the bounds: received paths of the rebuilt table, records to read
            TooLarge paths = assertThrows(TooLarge.class, () -> past(2, 5_000_000).at(router, stamps.get(3)));
            assertTrue(paths.getMessage().contains("meshwatch.rib.history.max-paths"), paths.getMessage());
            TooLarge records = assertThrows(TooLarge.class, () -> past(5_000_000, 1).at(router, Instant.now()));
            assertTrue(records.getMessage().contains("meshwatch.rib.history.max-records"), records.getMessage());

            // the records after the snapshot are deleted too: the snapshot cannot be replayed from
            admin.deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(4))).all()
                    .get(30, TimeUnit.SECONDS);
            OutOfReach gone = assertThrows(OutOfReach.class, () -> past.at(router, Instant.now()));
            assertTrue(gone.getMessage().contains("already deleted by the topic's retention"), gone.getMessage());
            assertTrue(gone.getMessage().contains("starts at offset 4"), gone.getMessage());

            assertThrows(IllegalArgumentException.class, () -> past.at(router, Instant.now().plusSeconds(60)));
        }
    }

    @Test
    void aBrokerThatDoesNotAnswerIsUnavailableWithinTheReadTimeout() throws Exception {
        int closed = io.meshwatch.dev.EmbeddedKafka.freePort();
        PastTables past = past(5_000_000, 5_000_000, "127.0.0.1:" + closed, Duration.ofSeconds(2));
        long t0 = System.nanoTime();
        Unavailable e = assertThrows(Unavailable.class, () -> past.at(router, Instant.now()));
        assertTrue(e.getMessage().contains("meshwatch.rib.history.read-timeout"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(20), "gave up late");
    }

    private PastTables past(long maxPaths, long maxRecords) {
        return past(maxPaths, maxRecords, KafkaBroker.bootstrap(), Duration.ofSeconds(30));
    }

    private PastTables past(long maxPaths, long maxRecords, String bootstrap, Duration readTimeout) {
        Properties consumer = new Properties();
        consumer.put("bootstrap.servers", bootstrap);
        MeshwatchConfig.Rib.History limits = new MeshwatchConfig.Rib.History() {
            public boolean enabled() {
                return true;
            }

            public Duration interval() {
                return Duration.ofHours(1);
            }

            public Duration keepFor() {
                return Duration.ofDays(1);
            }

            public int keep() {
                return 48;
            }

            public long maxPaths() {
                return maxPaths;
            }

            public long maxRecords() {
                return maxRecords;
            }

            public Duration readTimeout() {
                return readTimeout;
            }

            public Duration sessionsKeepFor() {
                return Duration.ofDays(90);
            }
        };
        return new PastTables(store, new RibService(Clock.systemUTC(), new SimpleMeterRegistry()), Clock.systemUTC(),
                new EventCodec(json), topic, () -> consumer, limits, Duration.ofSeconds(60));
    }

    private void send(String value) throws InterruptedException {
        RecordMetadata m = Events.send(topic, router, value);
        stamps.add(Instant.ofEpochMilli(m.timestamp()));
        values.add(value);
        Thread.sleep(5); // distinct record times
    }

    private static List<String> prefixes(PastTables.Past p) {
        List<String> out = new ArrayList<>();
        RouteTable t = p.table();
        for (Afi afi : Afi.values()) {
            for (BestRoute b : t.page("", afi, null, 1000)) {
                out.add(b.prefix().toString());
            }
        }
        return out;
    }

    private String update(String announce, String withdraw) {
        return """
                {"version":1,"type":"bgp.update","router":"%s","time":"%s","payload":{"peer":"169.254.10.1",
                 "peer_as":64512,"attributes":{"origin":"igp","as_path":[64512],"next_hop":"169.254.10.1"},
                 "announce":[%s],"withdraw":[%s]}}""".formatted(router, T, announce, withdraw);
    }
}
