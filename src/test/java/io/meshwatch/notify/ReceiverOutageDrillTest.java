package io.meshwatch.notify;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.alerting.Signals;
import io.meshwatch.detect.Signal;
import io.meshwatch.detect.SignalType;
import io.meshwatch.detect.runtime.DetectionOutput;
import io.meshwatch.inventory.Severity;
import io.meshwatch.testing.Events;
import io.meshwatch.testing.OwnApiKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Drill (issue 17, item 3, webhook part): a receiver is down (nothing listens: connection refused)
 * while alerts fire and resolve, then comes back. Every notification arrives, once each by
 * {@code Idempotency-Key} (lost and duplicated counted and asserted zero), firing before resolved for
 * every alert; the retries are visible in {@code meshwatch_notify_deliveries_total{outcome="retry"}}.
 * The receiver is down 20 s here; {@code bin/drill receiver-outage 10m} runs the same test with
 * {@code -Ddrill.receiver-outage} (inside the 15-minute delivery deadline) and the default back-offs
 * ({@code -Ddrill.production-backoff=true}: 1 s doubling to 60 s).
 */
@QuarkusTest
@TestProfile(WebhookProfile.class)
@OwnApiKeys
class ReceiverOutageDrillTest {

    static final Duration OUTAGE = parse(System.getProperty("drill.receiver-outage", "20s"));
    static final int ALERTS = 5;

    static Vertx vertx;
    /** Idempotency key, alert status and fingerprint of every request the receiver answered, in order. */
    static final List<String[]> received = new CopyOnWriteArrayList<>();

    @Inject
    DetectionOutput output;

    @BeforeAll
    static void vertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static HttpServer up() throws Exception {
        return vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            JsonObject p = body.toJsonObject();
            received.add(new String[] {req.getHeader("Idempotency-Key"), p.getString("status"),
                p.getJsonArray("alerts").getJsonObject(0).getString("fingerprint")});
            req.response().setStatusCode(200).end();
        })).listen(WebhookProfile.outagePort(), "127.0.0.1").toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    static double retries() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(l -> l.startsWith("meshwatch_notify_deliveries_total{") && l.contains("outcome=\"retry\"")
                        && l.contains("receiver=\"outage\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void aReceiverDownThenUpGetsEveryNotificationOnceInOrder() throws Exception {
        long peakHeap = 0;
        double retriesBefore = retries();
        Instant down = Instant.now();
        // the receiver is down: nothing listens on its port; alerts fire and resolve meanwhile
        List<Signal> raised = new ArrayList<>();
        for (int i = 0; i < ALERTS; i++) {
            Signal s = Signals.firing(SignalType.CIRCUIT_DOWN, Severity.MAJOR, Map.of("team", "outage", "circuit",
                    Events.uniqueRouter("dx-outage"), "router", "cx-outage"), "Circuit down", Instant.now(), "inc-o" + i, false);
            raised.add(s);
            output.signal(s);
            output.signal(Signals.resolved(s, Instant.now()));
        }
        while (Instant.now().isBefore(down.plus(OUTAGE))) {
            peakHeap = Math.max(peakHeap, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
            Thread.sleep(500);
        }
        assertTrue(retries() > retriesBefore, "the sender retried while the receiver was down");
        assertEquals(0, received.size(), "nothing can have arrived while nothing listened");

        HttpServer server = up();
        Instant restored = Instant.now();
        Set<String> fingerprints = new LinkedHashSet<>(raised.stream().map(Signal::fingerprint).toList());
        await().atMost(Duration.ofMinutes(3)).until(() -> received.stream().filter(r -> fingerprints.contains(r[2]))
                .count() >= 2L * ALERTS);
        Duration recovery = Duration.between(restored, Instant.now());
        Thread.sleep(3000); // a repeat, if any, would come with the next drain (the sender is woken on every commit)
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        Map<String, List<String>> byAlert = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>();
        for (String[] r : received) {
            if (fingerprints.contains(r[2])) {
                byAlert.computeIfAbsent(r[2], k -> new ArrayList<>()).add(r[1]);
                keys.add(r[0]);
            }
        }
        long duplicated = keys.size() - new LinkedHashSet<>(keys).size();
        long lost = 2L * ALERTS - new LinkedHashSet<>(keys).size();
        for (String fp : fingerprints) {
            assertEquals(List.of("firing", "resolved"), byAlert.get(fp), "alert " + fp + " in order");
        }
        assertEquals(0, lost, "notifications lost");
        assertEquals(0, duplicated, "notifications duplicated");
        System.out.printf("DRILL receiver-outage: date=%s outage=%ds notifications=%d retries=%.0f recovery=%.1fs "
                        + "lost=%d duplicated=%d peak-heap=%dMB%n", Instant.now().toString().substring(0, 10),
                OUTAGE.toSeconds(), 2 * ALERTS, retries() - retriesBefore, recovery.toMillis() / 1000.0, lost, duplicated,
                peakHeap >> 20);
    }

    /** {@code 20s}, {@code 10m}, or an ISO-8601 duration. */
    static Duration parse(String s) {
        String t = s.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        if (t.endsWith("s")) {
            return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        return Duration.parse(s);
    }
}
