package io.meshwatch.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.alerting.Signals;
import io.meshwatch.detect.Signal;
import io.meshwatch.detect.SignalType;
import io.meshwatch.detect.runtime.DetectionOutput;
import io.meshwatch.inventory.Severity;
import io.meshwatch.testing.Events;
import io.meshwatch.testing.OwnApiKeys;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/stream} read by a real HTTP client: a heartbeat comment at once, then after a
 * signal its {@code signal} event and the {@code alert} event of the alert it raised, as named SSE
 * events with JSON data; the viewer role is needed.
 */
@QuarkusTest
@OwnApiKeys
class StreamApiTest {

    @TestHTTPResource("/api/v1/stream")
    URL stream;

    @Inject
    DetectionOutput output;

    /** One SSE event as read off the wire: name, data, or a comment. */
    record Sse(String event, String data, String comment) {
    }

    static void read(InputStream in, BlockingQueue<Sse> out) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String event = null;
            StringBuilder data = new StringBuilder();
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith(":")) {
                    out.add(new Sse(null, null, line.substring(1).strip()));
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).strip());
                } else if (line.isEmpty() && (event != null || data.length() > 0)) {
                    out.add(new Sse(event, data.toString(), null));
                    event = null;
                    data.setLength(0);
                }
            }
        } catch (Exception e) {
            // stream closed by the test
        }
    }

    @Test
    void aSignalShowsUpAsSignalAndAlertEvents() throws Exception {
        given().get("/api/v1/stream").then().statusCode(401);
        given().header("Authorization", "Bearer dev-viewer").get("/api/v1/stream?types=alert,bogus").then()
                .statusCode(400).body("message", org.hamcrest.Matchers.containsString("bogus"));

        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<InputStream> resp = client.send(HttpRequest.newBuilder(URI.create(stream.toString()))
                .header("Authorization", "Bearer dev-viewer").header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, resp.statusCode());
        assertTrue(resp.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        BlockingQueue<Sse> events = new ArrayBlockingQueue<>(10_000);
        Thread reader = new Thread(() -> read(resp.body(), events), "sse-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            Sse first = events.poll(20, TimeUnit.SECONDS);
            assertTrue(first != null && first.comment() != null && first.comment().startsWith("heartbeat"),
                    "a heartbeat comment first: " + first);

            String router = Events.uniqueRouter("cx-sse");
            Signal s = Signals.firing(SignalType.CIRCUIT_DOWN, Severity.CRITICAL, Map.of("router", router,
                    "circuit", router + "-dx"), "Circuit " + router + "-dx down", Instant.now(), null, false);
            output.signal(s);

            List<Sse> seen = new ArrayList<>();
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < until && seen.stream().noneMatch(e -> "alert".equals(e.event())
                    && e.data().contains(s.fingerprint()))) {
                Sse e = events.poll(1, TimeUnit.SECONDS);
                if (e != null && e.data() != null && e.data().contains(router)) {
                    seen.add(e);
                }
            }
            Sse signal = seen.stream().filter(e -> "signal".equals(e.event())).findFirst().orElseThrow(
                    () -> new AssertionError("no signal event: " + seen));
            assertEquals(s.fingerprint(), new JsonObject(signal.data()).getString("fingerprint"));
            Sse alert = seen.stream().filter(e -> "alert".equals(e.event())).findFirst().orElseThrow(
                    () -> new AssertionError("no alert event: " + seen));
            JsonObject a = new JsonObject(alert.data());
            assertEquals("raised", a.getString("event"));
            assertEquals("firing", a.getString("state"));
            assertEquals(s.fingerprint(), a.getString("fingerprint"));
            assertEquals(router, a.getJsonObject("labels").getString("router"));
        } finally {
            resp.body().close();
        }
    }
}
