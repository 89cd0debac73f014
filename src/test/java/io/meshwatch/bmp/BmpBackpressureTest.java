package io.meshwatch.bmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.event.EventCodec;
import io.meshwatch.testing.Events;
import io.meshwatch.testing.KafkaBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With a window of three unacknowledged events, the real broker (which batches for 20 ms before it
 * acknowledges) is slower than a router streaming over real TCP: the collector pauses the socket
 * again and again, and still every event reaches the topic, in order.
 */
class BmpBackpressureTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Vertx vertx;
    private BmpServer server;
    private BmpProducer producer;
    private SimpleMeterRegistry registry;
    private String topic;
    private int port;

    @BeforeEach
    void start() throws Exception {
        topic = "bmp-backpressure-" + UUID.randomUUID();
        KafkaBroker.get().createTopics(List.of(topic), 1);
        vertx = Vertx.vertx();
        registry = new SimpleMeterRegistry();
        producer = new BmpProducer(Map.of("bootstrap.servers", KafkaBroker.bootstrap()), topic);
        server = new BmpServer(vertx, new BmpServer.Settings("127.0.0.1", 0, Map.of(), Duration.ZERO, 1 << 20, 3),
                producer, new EventCodec(JSON), Clock.systemUTC(), new BmpMetrics(registry));
        port = server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        producer.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void slowKafkaPausesTheRouterAndLosesNothing() throws Exception {
        String router = Events.uniqueRouter("slow-kafka");
        byte[] stream = BmpWriter.withSysName(BmpCaptures.bytes("/bmp/lab/bmp-frr.bin"), router);
        List<String> expected = new ArrayList<>(offline(stream));
        expected.add(0, "bgp.feed_state   up"); // the connection's feed, before the Initiation's (no) events

        try (Socket s = new Socket("127.0.0.1", port); OutputStream out = s.getOutputStream()) {
            out.write(stream);
            out.flush();
            List<ConsumerRecord<String, byte[]>> got = Events.await(topic, r -> router.equals(r.key()),
                    expected.size(), Duration.ofSeconds(60));
            List<String> actual = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> r : got) {
                actual.add(summary(JSON.readTree(r.value())));
            }
            assertEquals(expected, actual, "every event, in the order the router sent them");
        }
        double pauses = registry.get("meshwatch.bmp.pauses").counter().count();
        assertTrue(pauses >= 3, "the socket was paused while Kafka lagged: " + pauses);
        double events = registry.get("meshwatch.bmp.events").counter().count();
        // the feed's "lost" (no Termination in the capture) may be counted once the socket closed
        assertTrue(events == expected.size() || events == expected.size() + 1, "events produced: " + events);
    }

    /** What the mapper makes of the stream, as summaries independent of arrival times. */
    private static List<String> offline(byte[] stream) throws Exception {
        BmpEventMapper mapper = new BmpEventMapper("127.0.0.1", null, Duration.ZERO, q -> { });
        EventCodec codec = new EventCodec(JSON);
        List<String> out = new ArrayList<>();
        for (BmpMessage m : BmpCaptures.decode(stream, 1 << 16).messages()) {
            List<CanonicalEvent> events = new ArrayList<>();
            mapper.map(m, Instant.now(), events::add);
            for (CanonicalEvent e : events) {
                out.add(summary(JSON.readTree(codec.encode(e, "bmp"))));
            }
        }
        assertTrue(out.size() > 30, "the capture makes enough events to fill the window many times");
        return out;
    }

    private static String summary(JsonNode n) {
        JsonNode p = n.get("payload");
        return n.get("type").asText() + " " + p.path("peer").asText() + " " + p.path("rib").asText() + " "
                + p.path("announce") + p.path("withdraw") + p.path("state").asText() + p.path("afi").asText();
    }
}
