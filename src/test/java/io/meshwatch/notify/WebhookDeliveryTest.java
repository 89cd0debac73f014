package io.meshwatch.notify;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.alerting.Signals;
import io.meshwatch.detect.Signal;
import io.meshwatch.detect.SignalType;
import io.meshwatch.detect.runtime.DetectionOutput;
import io.meshwatch.inventory.Severity;
import io.meshwatch.notify.webhook.Signatures;
import io.meshwatch.testing.Events;
import io.meshwatch.testing.OwnApiKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Notifications from signal to a real HTTP receiver through the outbox: the Alertmanager v4
 * payload, the HMAC signature, the idempotency key, retries on 503 until delivered exactly once,
 * no retry on 400 with the failure recorded, routing by severity and labels, silences.
 */
@QuarkusTest
@TestProfile(WebhookProfile.class)
@OwnApiKeys
class WebhookDeliveryTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    /** What the receiver got: path, headers we check, body, and the status it answered. */
    record Received(String path, String signature, String idempotencyKey, String body, int answered) {
    }

    static Vertx vertx;
    static HttpServer server;
    static final List<Received> received = new CopyOnWriteArrayList<>();
    static final Map<String, AtomicInteger> tries = new ConcurrentHashMap<>();

    @Inject
    DetectionOutput output;

    @BeforeAll
    static void receiver() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            String key = req.getHeader("Idempotency-Key");
            int n = tries.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            int status = switch (req.path()) {
                case "/flaky" -> n <= 2 ? 503 : 200;
                // a receiver away for a firing's first two attempts: its resolution comes meanwhile
                case "/ordered" -> key.contains("-firing-") && n <= 2 ? 503 : 200;
                case "/broken" -> 400;
                default -> 200;
            };
            received.add(new Received(req.path(), req.getHeader(Signatures.HEADER), key, body.toString(), status));
            req.response().setStatusCode(status).end(status == 400 ? "unknown field foo" : "");
        })).listen(WebhookProfile.port(), "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static RequestSpecification admin() {
        return given().header("Authorization", "Bearer dev-admin");
    }

    static Signal signal(String team, Severity severity, String router) {
        return Signals.firing(SignalType.CIRCUIT_DOWN, severity, Map.of("team", team, "circuit", router + "-dx",
                "router", router), "Circuit " + router + "-dx down", Instant.now(), "inc-" + router, false);
    }

    static List<Received> to(String path, String fingerprint) {
        return received.stream().filter(r -> r.path().equals(path) && r.body().contains(fingerprint)).toList();
    }

    void awaitDelivery(String receiver, String fp, String status) {
        await().atMost(WAIT).untilAsserted(() -> admin().get("/api/v1/receivers/{r}/deliveries?fingerprint={fp}",
                receiver, fp).then().statusCode(200).body("status", org.hamcrest.Matchers.hasItem(status)));
    }

    @Test
    void retriedOn503UntilDeliveredExactlyOnceSignedWithOneKey() {
        Signal s = signal("flaky", Severity.MAJOR, Events.uniqueRouter("cx-flaky"));
        output.signal(s);
        awaitDelivery("flaky", s.fingerprint(), "delivered");
        admin().get("/api/v1/receivers/flaky/deliveries?fingerprint={fp}", s.fingerprint()).then()
                .body("", hasSize(1)).body("[0].attempts", equalTo(3)).body("[0].lastStatus", equalTo(200));

        List<Received> got = to("/flaky", s.fingerprint());
        assertEquals(List.of(503, 503, 200), got.stream().map(Received::answered).toList());
        assertEquals(1, got.stream().map(Received::idempotencyKey).distinct().count());
        for (Received r : got) {
            assertEquals(Signatures.sign(WebhookProfile.SECRET, r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                    r.signature());
        }
        JsonObject payload = new JsonObject(got.get(2).body());
        assertEquals("4", payload.getString("version"));
        assertEquals("firing", payload.getString("status"));
        assertEquals("flaky", payload.getString("receiver"));
        JsonObject alert = payload.getJsonArray("alerts").getJsonObject(0);
        assertEquals(s.fingerprint(), alert.getString("fingerprint"));
        assertEquals("CircuitDown", alert.getJsonObject("labels").getString("alertname"));
        assertEquals("major", alert.getJsonObject("labels").getString("severity"));
        assertEquals("firing", alert.getString("status"));
        assertEquals("0001-01-01T00:00:00Z", alert.getString("endsAt"));
        assertTrue(payload.getString("groupKey").contains(s.fingerprint()), payload.getString("groupKey"));

        // the sender keeps working (another notification is delivered) and never sends the first again
        Signal later = signal("flaky", Severity.MAJOR, Events.uniqueRouter("cx-flaky"));
        output.signal(Signals.resolved(s, Instant.now()));
        output.signal(later);
        awaitDelivery("flaky", later.fingerprint(), "delivered");
        awaitDelivery("flaky", s.fingerprint(), "delivered");
        await().atMost(WAIT).until(() -> to("/flaky", s.fingerprint()).stream().filter(r -> r.answered() == 200).count() == 2);
        List<Received> both = to("/flaky", s.fingerprint()).stream().filter(r -> r.answered() == 200).toList();
        assertNotEquals(both.get(0).idempotencyKey(), both.get(1).idempotencyKey());
        JsonObject resolved = new JsonObject(both.get(1).body());
        assertEquals("resolved", resolved.getString("status"));
        assertNotEquals("0001-01-01T00:00:00Z", resolved.getJsonArray("alerts").getJsonObject(0).getString("endsAt"));
        given().get("/q/metrics").then().body(containsString("meshwatch_notify_deliveries_total{outcome=\"retry\",receiver=\"flaky\"}"))
                .body(containsString("meshwatch_notify_latency_seconds_bucket{receiver=\"flaky\""));
    }

    @Test
    void aResolutionWaitsForItsFiringStillBeingRetriedSoOneAlertArrivesInOrder() {
        Signal s = signal("ordered", Severity.MAJOR, Events.uniqueRouter("cx-ordered"));
        output.signal(s);
        output.signal(Signals.resolved(s, Instant.now()));
        await().atMost(WAIT).until(() -> to("/ordered", s.fingerprint()).stream().filter(r -> r.answered() == 200).count() == 2);
        List<String> seen = to("/ordered", s.fingerprint()).stream()
                .map(r -> new JsonObject(r.body()).getString("status") + " " + r.answered()).toList();
        assertEquals(List.of("firing 503", "firing 503", "firing 200", "resolved 200"), seen,
                "the resolution is not sent while its firing is still pending");
    }

    @Test
    void a400IsNotRetriedAndTheFailureIsRecorded() {
        Signal s = signal("broken", Severity.CRITICAL, Events.uniqueRouter("cx-broken"));
        output.signal(s);
        awaitDelivery("broken", s.fingerprint(), "failed");
        admin().get("/api/v1/receivers/broken/deliveries?fingerprint={fp}&status=failed", s.fingerprint()).then()
                .body("", hasSize(1)).body("[0].attempts", equalTo(1)).body("[0].lastStatus", equalTo(400))
                .body("[0].lastError", containsString("HTTP 400: unknown field foo"));
        assertEquals(1, to("/broken", s.fingerprint()).size());
        assertEquals(null, to("/broken", s.fingerprint()).get(0).signature()); // no secret configured: unsigned
    }

    @Test
    void routedBySeverityAndLabelsAndSilencesMute() {
        String router = Events.uniqueRouter("cx-route");
        Signal minor = signal("routing", Severity.MINOR, router + "-a");
        Signal silenced = signal("routing", Severity.CRITICAL, router + "-b");
        Signal critical = signal("routing", Severity.CRITICAL, router + "-c");
        admin().contentType("application/json").body("{\"matchers\":[{\"name\":\"router\",\"value\":\"" + router
                + "-b\"}],\"endsAt\":\"" + Instant.now().plusSeconds(600) + "\",\"comment\":\"maintenance\"}")
                .post("/api/v1/silences").then().statusCode(201);
        output.signal(minor);
        output.signal(silenced);
        output.signal(critical);
        // signals are written in order, so once the last is delivered the first two have been decided
        awaitDelivery("pager", critical.fingerprint(), "delivered");
        admin().get("/api/v1/receivers/pager/deliveries?fingerprint={fp}", minor.fingerprint()).then().body("", hasSize(0));
        admin().get("/api/v1/receivers/pager/deliveries?fingerprint={fp}", silenced.fingerprint()).then().body("", hasSize(0));
        admin().get("/api/v1/alerts/{fp}", silenced.fingerprint()).then().statusCode(200)
                .body("state", equalTo("firing")).body("silencedBy", org.hamcrest.Matchers.notNullValue());
        admin().get("/api/v1/receivers/flaky/deliveries?fingerprint={fp}", critical.fingerprint()).then().body("", hasSize(0));
    }

    @Test
    void rowsLeftByAnotherInstanceAreSentAndALockedRowIsSkippedNotSentTwice() throws Exception {
        String a = "crash-a-" + java.util.UUID.randomUUID();
        String b = "crash-b-" + java.util.UUID.randomUUID();
        try (java.sql.Connection other = java.sql.DriverManager.getConnection(
                io.meshwatch.testing.LocalPostgres.jdbcUrl(), "meshwatch", "meshwatch")) {
            // rows written by another instance (or left by a crash): nobody wakes this sender for them
            for (String key : List.of(a, b)) {
                try (java.sql.PreparedStatement st = other.prepareStatement("INSERT INTO outbox (receiver, fingerprint, "
                        + "status, payload, idempotency_key, created_at, next_attempt_at, deadline) VALUES ('pager', ?, "
                        + "'pending', ?, ?, now(), now(), now() + interval '10 minutes')")) {
                    st.setString(1, key);
                    st.setString(2, "{\"marker\":\"" + key + "\"}");
                    st.setString(3, key);
                    st.executeUpdate();
                }
            }
            // another sender is in the middle of sending row a: it holds the row's lock
            other.setAutoCommit(false);
            try (java.sql.PreparedStatement st = other.prepareStatement(
                    "SELECT id FROM outbox WHERE idempotency_key = ? FOR UPDATE")) {
                st.setString(1, a);
                st.executeQuery().close();
            }
            await().atMost(WAIT).until(() -> received.stream().anyMatch(r -> r.body().contains(b)));
            assertEquals(0, received.stream().filter(r -> r.body().contains(a)).count(), "a locked row was sent");
            other.rollback(); // that sender died: its lock is gone, the row is still pending
            await().atMost(WAIT).until(() -> received.stream().anyMatch(r -> r.body().contains(a)));
            awaitDelivery("pager", a, "delivered");
            awaitDelivery("pager", b, "delivered");
            assertEquals(1, received.stream().filter(r -> r.body().contains(a)).count());
            assertEquals(1, received.stream().filter(r -> r.body().contains(b)).count());
        }
    }

    @Test
    void receiversAreListedWithoutSecretsAndTestDeliveryGoesThroughTheOutbox() {
        admin().get("/api/v1/receivers").then().statusCode(200).body("findAll { it.kind == 'webhook' }", hasSize(5))
                .body("find { it.name == 'kafka' }.url", equalTo("kafka:meshwatch.alerts.v1"))
                .body("find { it.name == 'flaky' }.signed", equalTo(true))
                .body("find { it.name == 'pager' }.minSeverity", equalTo("critical"))
                .body(org.hamcrest.Matchers.not(containsString(WebhookProfile.SECRET)));
        admin().post("/api/v1/receivers/pager/test").then().statusCode(202);
        await().atMost(WAIT).until(() -> received.stream().anyMatch(r -> r.path().equals("/pager")
                && r.body().contains("MeshwatchTest")));
        admin().post("/api/v1/receivers/nobody/test").then().statusCode(404).body("message", containsString("not configured"));
        admin().post("/api/v1/receivers/kafka/test").then().statusCode(400).body("message", containsString("built in"));
    }

    @Test
    void anAdHocReceiverIsTestedBeforeConfiguringAndABadUrlIsRefused() {
        admin().contentType("application/json").body("{\"url\":\"ftp://example.org/hook\"}").post("/api/v1/receivers/test")
                .then().statusCode(400).body("message", containsString("http:// or https://"));
        admin().contentType("application/json").body("{\"url\":\"http://exa mple\"}").post("/api/v1/receivers/test")
                .then().statusCode(400).body("message", containsString("is not a URL"));
        admin().contentType("application/json").body("{}").post("/api/v1/receivers/test")
                .then().statusCode(400).body("message", containsString("url"));
        String base = "http://127.0.0.1:" + WebhookProfile.port();
        admin().contentType("application/json").body("{\"url\":\"" + base + "/adhoc\",\"secret\":\"k1\"}")
                .post("/api/v1/receivers/test").then().statusCode(200).body("delivered", equalTo(true))
                .body("status", equalTo(200));
        Received got = received.stream().filter(r -> r.path().equals("/adhoc")).findFirst().orElseThrow();
        assertEquals(Signatures.sign("k1", got.body().getBytes(java.nio.charset.StandardCharsets.UTF_8)), got.signature());
        assertTrue(got.body().contains("MeshwatchTest"), got.body());
        admin().contentType("application/json").body("{\"url\":\"" + base + "/broken\"}")
                .post("/api/v1/receivers/test").then().statusCode(200).body("delivered", equalTo(false))
                .body("status", equalTo(400)).body("error", containsString("unknown field foo"));
    }
}
