package io.meshwatch.notify.alertmanager;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.alerting.Signals;
import io.meshwatch.detect.Signal;
import io.meshwatch.detect.SignalType;
import io.meshwatch.detect.runtime.DetectionOutput;
import io.meshwatch.inventory.Severity;
import io.meshwatch.testing.Events;
import io.meshwatch.testing.ExternalProgram;
import io.meshwatch.testing.OwnApiKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Alertmanager push against the real program: {@code /usr/bin/prometheus-alertmanager} on
 * loopback (clustering off, a temporary storage path) whose only receiver is a webhook to a Vert.x
 * server in this test. Meshwatch pushes a firing alert; the test reads it back from Alertmanager's
 * API and sees Alertmanager's own webhook; the periodic re-send keeps it active (Alertmanager's
 * {@code updatedAt} and {@code endsAt} move on, with a 4 s {@code resolve_timeout}) also once
 * acknowledged; resolving it makes Alertmanager drop it from its active alerts and send the
 * resolved webhook.
 */
@QuarkusTest
@TestProfile(AlertmanagerProfile.class)
@OwnApiKeys
class AlertmanagerPushTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    static Process alertmanager;
    static Path dir;
    static Vertx vertx;
    static final List<JsonObject> hooks = new CopyOnWriteArrayList<>();
    static final HttpClient http = HttpClient.newHttpClient();

    @Inject
    DetectionOutput output;

    @BeforeAll
    static void startAlertmanager() throws Exception {
        Path binary = ExternalProgram.require("/usr/bin/prometheus-alertmanager",
                "prometheus-alertmanager");
        vertx = Vertx.vertx();
        int hookPort = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
            hooks.add(new JsonObject(b.toString()));
            req.response().end();
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
        dir = Files.createTempDirectory("meshwatch-am");
        Files.writeString(dir.resolve("alertmanager.yml"), """
                global:
                  resolve_timeout: 4s
                route:
                  receiver: test
                  group_by: ['alertname', 'router']
                  group_wait: 100ms
                  group_interval: 1s
                  repeat_interval: 1h
                receivers:
                  - name: test
                    webhook_configs:
                      - url: http://127.0.0.1:%d/hook
                        send_resolved: true
                """.formatted(hookPort));
        int port = AlertmanagerProfile.port();
        alertmanager = new ProcessBuilder(binary.toString(), "--config.file=" + dir.resolve("alertmanager.yml"),
                "--storage.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=", "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(dir.resolve("alertmanager.log").toFile()).start();
        await().atMost(WAIT).ignoreExceptions().until(() -> get("/-/ready").statusCode() == 200);
    }

    @AfterAll
    static void stop() throws Exception {
        if (alertmanager != null) {
            alertmanager.destroy();
            alertmanager.waitFor(10, TimeUnit.SECONDS);
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + AlertmanagerProfile.port() + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Alertmanager's active alerts with this router label. */
    static List<JsonObject> active(String router) throws Exception {
        String filter = URLEncoder.encode("router=\"" + router + "\"", StandardCharsets.UTF_8);
        JsonArray all = new JsonArray(get("/api/v2/alerts?filter=" + filter).body());
        return all.stream().map(JsonObject.class::cast).toList();
    }

    static List<JsonObject> hooksFor(String router, String status) {
        return hooks.stream().filter(h -> status.equals(h.getString("status"))
                && router.equals(h.getJsonObject("groupLabels").getString("router"))).toList();
    }

    @Test
    void firingIsPushedKeptAliveWhileOpenAndResolvedWithEndsAt() throws Exception {
        String router = Events.uniqueRouter("cx-am");
        Signal s = Signals.firing(SignalType.CIRCUIT_DOWN, Severity.CRITICAL, Map.of("router", router,
                "circuit", router + "-dx"), "Circuit " + router + "-dx down", Instant.now().minusSeconds(2), null, false);
        output.signal(s);

        await().atMost(WAIT).until(() -> active(router).size() == 1);
        JsonObject a = active(router).get(0);
        assertEquals("CircuitDown", a.getJsonObject("labels").getString("alertname"));
        assertEquals("critical", a.getJsonObject("labels").getString("severity"));
        assertEquals(router + "-dx", a.getJsonObject("labels").getString("circuit"));
        assertEquals("active", a.getJsonObject("status").getString("state"));
        assertEquals("Circuit " + router + "-dx down", a.getJsonObject("annotations").getString("summary"));
        assertTrue(a.getString("generatorURL").endsWith("/api/v1/alerts/" + s.fingerprint()), a.getString("generatorURL"));
        assertEquals(s.startedAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                Instant.parse(a.getString("startsAt")).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));

        // Alertmanager's own notification reaches the receiver it is configured with
        await().atMost(WAIT).until(() -> !hooksFor(router, "firing").isEmpty());
        JsonObject hook = hooksFor(router, "firing").get(0);
        assertEquals("CircuitDown", hook.getJsonArray("alerts").getJsonObject(0).getJsonObject("labels")
                .getString("alertname"));

        // re-sent while open: Alertmanager's updatedAt and endsAt move on, past its 4 s resolve_timeout
        Instant firstEnd = Instant.parse(a.getString("endsAt"));
        await().atMost(WAIT).until(() -> Instant.parse(active(router).get(0).getString("endsAt")).isAfter(firstEnd));
        given().header("Authorization", "Bearer dev-responder").contentType("application/json")
                .body("{\"comment\":\"on it\"}").post("/api/v1/alerts/{fp}/acknowledge", s.fingerprint())
                .then().statusCode(200);
        Thread.sleep(6000); // longer than resolve_timeout: without the re-send Alertmanager would resolve it
        assertEquals(1, active(router).size(), "an acknowledged alert stays active in Alertmanager");
        assertTrue(hooksFor(router, "resolved").isEmpty(), "nothing resolved yet");

        output.signal(Signals.resolved(s, Instant.now()));
        await().atMost(WAIT).until(() -> active(router).isEmpty());
        await().atMost(WAIT).until(() -> !hooksFor(router, "resolved").isEmpty());
        JsonObject resolved = hooksFor(router, "resolved").get(0).getJsonArray("alerts").getJsonObject(0);
        assertEquals("resolved", resolved.getString("status"));
        assertFalse(resolved.getString("endsAt").startsWith("0001"), resolved.encode());

        given().header("Authorization", "Bearer dev-admin").get("/api/v1/receivers/alertmanager/deliveries?fingerprint={fp}",
                s.fingerprint()).then().statusCode(200)
                .body("status", org.hamcrest.Matchers.everyItem(org.hamcrest.Matchers.equalTo("delivered")))
                .body("idempotencyKey", org.hamcrest.Matchers.hasSize(2));
        given().get("/q/metrics").then().body(org.hamcrest.Matchers.containsString(
                "meshwatch_notify_deliveries_total{outcome=\"delivered\",receiver=\"alertmanager\"}"));
    }
}
