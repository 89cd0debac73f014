package io.meshwatch.mrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.event.BgpState;
import io.meshwatch.event.BgpUpdateEvent;
import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.event.EventCodec;
import io.meshwatch.event.EventType;
import io.meshwatch.event.Nlri;
import io.meshwatch.event.PeerStateEvent;
import io.meshwatch.event.RejectedRecordException;
import io.meshwatch.routing.Prefix;
import io.meshwatch.testing.KafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replays a small dump into the in-process broker through {@link MrtReplay#run} and reads it back. */
class MrtReplayTest {

    private static final String FILE = "updates.20020722.2238.gz";

    @Test
    void replayedEventsArriveKeyedByRouterAndDecode(@TempDir Path dir) throws Exception {
        Path dump = dir.resolve(FILE);
        try (InputStream in = MrtMatchesBgpdumpTest.resource(FILE)) {
            Files.copy(in, dump);
        }
        String topic = "mrt-replay-test-" + UUID.randomUUID();
        KafkaBroker.get().createTopics(List.of(topic), 4);
        long expectedEvents = countEvents(dump);

        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        int rc = MrtReplay.run(new String[] {"--bootstrap", KafkaBroker.bootstrap(), "--topic", topic,
            "--router", "rrc00", dump.toString()}, new PrintStream(errBytes, true, StandardCharsets.UTF_8));
        String err = errBytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, err);
        assertTrue(err.contains("done: 1121 records, " + expectedEvents + " events (" + expectedEvents
                + " acknowledged, 0 failed)"), err);

        List<CanonicalEvent> events = consume(topic, expectedEvents);
        assertEquals(expectedEvents, events.size());

        PeerStateEvent first = assertInstanceOf(PeerStateEvent.class, events.get(0));
        assertEquals(new PeerStateEvent("rrc00", Instant.ofEpochSecond(1027377515), "default", "193.203.0.69",
                15737, 12654L, BgpState.CONNECT, "previous state: active"), first);

        BgpUpdateEvent withdraw = events.stream().filter(e -> e instanceof BgpUpdateEvent u
                && u.peer().equals("193.203.0.81") && !u.withdraw().isEmpty()).map(e -> (BgpUpdateEvent) e)
                .findFirst().orElseThrow();
        assertEquals(Instant.ofEpochSecond(1027377522), withdraw.time());
        assertEquals(20751, withdraw.peerAs());
        assertEquals(new Nlri(Prefix.parse("200.31.199.0/24"), 0), withdraw.withdraw().get(0));

        BgpUpdateEvent announce = events.stream().filter(e -> e instanceof BgpUpdateEvent u
                && !u.announce().isEmpty()).map(e -> (BgpUpdateEvent) e).findFirst().orElseThrow();
        assertEquals("adj-in-post", announce.rib());
        assertTrue(announce.attributes().asPath().size() > 0);
    }

    @Test
    void badArgumentsPrintUsageAndExitTwo() {
        for (String[] args : List.of(new String[0], new String[] {"--rate"}, new String[] {"--rate", "fast", "x"},
                new String[] {"--nope", "x"}, new String[] {"/no/such/file.gz"},
                new String[] {"--bootstrap", "no-port", "x"})) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertEquals(2, MrtReplay.run(args, new PrintStream(err, true, StandardCharsets.UTF_8)));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains(ReplayOptions.USAGE));
        }
    }

    private static long countEvents(Path dump) throws IOException {
        long[] n = {0};
        MrtEventMapper mapper = new MrtEventMapper("rrc00", e -> n[0]++);
        try (MrtReader reader = MrtReader.open(dump)) {
            reader.forEachRemaining(mapper::accept);
        }
        mapper.flush();
        return n[0];
    }

    private static List<CanonicalEvent> consume(String topic, long expected) throws RejectedRecordException {
        EventCodec codec = new EventCodec(new ObjectMapper());
        List<CanonicalEvent> out = new ArrayList<>();
        Map<String, Object> config = Map.of("bootstrap.servers", KafkaBroker.bootstrap(), "group.id",
                "mrt-replay-test-" + UUID.randomUUID(), "auto.offset.reset", "earliest");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    assertEquals("rrc00", r.key());
                    out.add(codec.decode(r.value(), EventType.Family.BGP));
                }
            }
            // nothing beyond the expected count
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
                out.add(codec.decode(r.value(), EventType.Family.BGP));
            }
        }
        return out;
    }
}
