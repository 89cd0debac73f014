package io.meshwatch.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.alerting.Signals;
import io.meshwatch.api.StreamApiTest.Sse;
import io.meshwatch.cluster.Membership;
import io.meshwatch.cluster.stream.StreamRelay;
import io.meshwatch.detect.Signal;
import io.meshwatch.detect.SignalType;
import io.meshwatch.detect.runtime.DetectionOutput;
import io.meshwatch.inventory.Severity;
import io.meshwatch.testing.Events;
import io.meshwatch.testing.KafkaBroker;
import io.meshwatch.testing.OwnApiKeys;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/stream} carries every instance's events: this instance writes its own to the
 * stream topic (with its id), an event another instance wrote there reaches this instance's clients,
 * and this instance's own event, coming back from the topic, is not delivered twice.
 */
@QuarkusTest
@OwnApiKeys
class StreamAcrossInstancesTest {

    static final String TOPIC = "meshwatch.stream.v1";

    @TestHTTPResource("/api/v1/stream")
    URL stream;

    @Inject
    DetectionOutput output;

    @Inject
    StreamRelay relay;

    @Inject
    Membership membership;

    @Test
    void anEventOfAnotherInstanceReachesThisInstancesClientsAndOwnEventsComeOnce() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(relay::reading);
        HttpResponse<InputStream> resp = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(stream.toString())).header("Authorization", "Bearer dev-viewer").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, resp.statusCode());
        BlockingQueue<Sse> raw = new LinkedBlockingQueue<>();
        List<Sse> events = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> StreamApiTest.read(resp.body(), raw), "sse-reader");
        reader.setDaemon(true);
        reader.start();
        // the first heartbeat comes once the stream is subscribed: events raised before it would be missed
        java.util.concurrent.CountDownLatch heartbeat = new java.util.concurrent.CountDownLatch(1);
        Thread collect = new Thread(() -> {
            try {
                while (true) {
                    Sse e = raw.take();
                    if (e.event() != null) {
                        events.add(e);
                    } else if (e.comment() != null) {
                        heartbeat.countDown();
                    }
                }
            } catch (InterruptedException e) {
                // done
            }
        }, "sse-collect");
        collect.setDaemon(true);
        collect.start();
        try {
            assertTrue(heartbeat.await(30, TimeUnit.SECONDS), "the stream's first heartbeat");
            String router = Events.uniqueRouter("relay");
            // this instance's own signal: to its clients at once, and to the topic with its id
            Signal s = Signals.firing(SignalType.CIRCUIT_DOWN, Severity.CRITICAL, Map.of("router", router,
                    "circuit", router + "-dx"), "Circuit " + router + "-dx down", Instant.now(), null, false);
            output.signal(s);
            List<ConsumerRecord<String, byte[]>> written = Events.await(TOPIC, r -> value(r).contains(s.fingerprint())
                    && "signal".equals(header(r, StreamRelay.TYPE)), 1, Duration.ofSeconds(30));
            assertEquals(1, written.size(), "this instance's signal on " + TOPIC);
            assertEquals(membership.id(), header(written.get(0), StreamRelay.ORIGIN));
            await().atMost(Duration.ofSeconds(10)).until(() -> count(events, "signal", s.fingerprint()) == 1);
            Thread.sleep(2000); // the record came back to this instance's reader long ago: still once
            assertEquals(1, count(events, "signal", s.fingerprint()), "own event delivered once: " + events);

            // the same record written by another instance: delivered to this instance's clients, as written
            try (KafkaProducer<String, byte[]> p = producer()) {
                ProducerRecord<String, byte[]> other = new ProducerRecord<>(TOPIC, "other", written.get(0).value());
                other.headers().add(StreamRelay.ORIGIN, "another-instance".getBytes(StandardCharsets.UTF_8));
                other.headers().add(StreamRelay.TYPE, "signal".getBytes(StandardCharsets.UTF_8));
                p.send(other).get(10, TimeUnit.SECONDS);
                // a session change that happened on another instance
                String remote = Events.uniqueRouter("remote");
                ProducerRecord<String, byte[]> session = new ProducerRecord<>(TOPIC, "other", new JsonObject()
                        .put("router", remote).put("peer", "10.9.9.9").put("from", "established").put("to", "idle")
                        .encode().getBytes(StandardCharsets.UTF_8));
                session.headers().add(StreamRelay.ORIGIN, "another-instance".getBytes(StandardCharsets.UTF_8));
                session.headers().add(StreamRelay.TYPE, "session".getBytes(StandardCharsets.UTF_8));
                p.send(session).get(10, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(20)).until(() -> count(events, "session", remote) == 1);
            }
            assertEquals(2, count(events, "signal", s.fingerprint()), "the other instance's copy too: " + events);
            Sse relayed = events.stream().filter(e -> "signal".equals(e.event()) && e.data().contains(s.fingerprint()))
                    .reduce((a, b) -> b).orElseThrow();
            assertEquals(s.fingerprint(), new JsonObject(relayed.data()).getString("fingerprint"));
            assertTrue(events.stream().anyMatch(e -> "alert".equals(e.event()) && e.data().contains(s.fingerprint())),
                    "the alert the signal raised: " + events);
        } finally {
            resp.body().close();
            collect.interrupt();
        }
    }

    private static long count(List<Sse> events, String name, String needle) {
        return events.stream().filter(e -> name.equals(e.event()) && e.data().contains(needle)).count();
    }

    private static String value(ConsumerRecord<String, byte[]> r) {
        return r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static KafkaProducer<String, byte[]> producer() {
        Properties p = new Properties();
        p.put("bootstrap.servers", KafkaBroker.bootstrap());
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }
}
