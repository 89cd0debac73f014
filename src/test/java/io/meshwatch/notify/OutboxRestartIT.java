package io.meshwatch.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.dev.EmbeddedKafka;
import io.meshwatch.testing.KafkaBroker;
import io.meshwatch.testing.LocalPostgres;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Restart safety of the outbox with the packaged application (Failsafe, after {@code package}):
 * notifications are written while their receiver is down, the service is killed (SIGKILL, no
 * clean shutdown) before any is delivered, the receiver comes up, a second service process starts,
 * and every notification arrives exactly once, counted by its {@code Idempotency-Key}.
 */
class OutboxRestartIT {

    static final Path APP = Path.of("target", "quarkus-app");
    static final String KEY = "outbox-it-" + UUID.randomUUID();
    static final int NOTIFICATIONS = 5;

    final String receiver = "restartit" + UUID.randomUUID().toString().substring(0, 8);
    final HttpClient http = HttpClient.newHttpClient();
    Process service;
    int httpPort;
    Vertx vertx;

    @AfterEach
    void stop() throws Exception {
        kill();
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void notificationsWrittenBeforeACrashAreDeliveredOnceAfterTheRestart() throws Exception {
        LocalPostgres.ensure();
        int hookPort = EmbeddedKafka.freePort(); // nothing listens there yet: the receiver is down

        start("first", hookPort);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < NOTIFICATIONS; i++) {
            HttpResponse<String> r = post("/api/v1/receivers/" + receiver + "/test");
            assertEquals(202, r.statusCode(), r.body());
            ids.add(Long.parseLong(r.body().replaceAll(".*\"delivery\":(\\d+).*", "$1")));
        }
        // the first process tried (connection refused) and keeps the rows pending
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (attempted(ids) < NOTIFICATIONS && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(NOTIFICATIONS, attempted(ids), "every row was tried while the receiver was down");
        kill();
        assertEquals(NOTIFICATIONS, pending(ids), "killed before any delivery: all rows still pending");

        Map<String, AtomicInteger> byKey = new ConcurrentHashMap<>();
        vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
            byKey.computeIfAbsent(req.getHeader("Idempotency-Key"), k -> new AtomicInteger()).incrementAndGet();
            req.response().end();
        }));
        server.listen(hookPort, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        start("second", hookPort);
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (pending(ids) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(0, pending(ids), "every row delivered after the restart");
        Thread.sleep(2000); // a second copy would arrive here
        assertEquals(NOTIFICATIONS, byKey.size(), "one key per notification: " + byKey);
        byKey.forEach((k, n) -> assertEquals(1, n.get(), "delivered once: " + k));
    }

    private HttpResponse<String> post(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .header("Authorization", "Bearer " + KEY).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private long pending(List<Long> ids) throws Exception {
        return count(ids, "status = 'pending'");
    }

    private long attempted(List<Long> ids) throws Exception {
        return count(ids, "attempts > 0");
    }

    private long count(List<Long> ids, String where) throws Exception {
        try (Connection c = DriverManager.getConnection(LocalPostgres.jdbcUrl(), "meshwatch", "meshwatch");
             PreparedStatement st = c.prepareStatement("SELECT count(*) FROM outbox WHERE id = ANY(?) AND " + where)) {
            st.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private void start(String name, int hookPort) throws Exception {
        httpPort = EmbeddedKafka.freePort();
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dmeshwatch.auth.keys.outbox-it.key=" + KEY, "-Dmeshwatch.auth.keys.outbox-it.role=admin",
                "-Dmeshwatch.notify.webhooks." + receiver + ".url=http://127.0.0.1:" + hookPort + "/hook",
                "-jar", APP.resolve("quarkus-run.jar").toString()).redirectErrorStream(true)
                .redirectOutput(Path.of("target", "outbox-restart-it-" + name + ".log").toFile());
        Map<String, String> env = pb.environment();
        env.put("KAFKA_BOOTSTRAP_SERVERS", KafkaBroker.bootstrap());
        env.put("KAFKA_GROUP_ID", "outbox-it-" + UUID.randomUUID());
        env.put("MESHWATCH_DB_NAME", LocalPostgres.DATABASE);
        env.put("MESHWATCH_NOTIFY_POLL_INTERVAL", "1s");
        env.put("MESHWATCH_NOTIFY_INITIAL_BACKOFF", "500ms");
        env.put("MESHWATCH_NOTIFY_MAX_BACKOFF", "1s");
        env.put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
        env.put("MESHWATCH_BMP_PORT", "0");
        service = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            assertTrue(service.isAlive(), "the service is running; see target/outbox-restart-it-" + name + ".log");
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                        + "/q/health/ready")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            assertTrue(System.nanoTime() < deadline, "ready within 120 s; see target/outbox-restart-it-" + name + ".log");
            Thread.sleep(250);
        }
    }

    private void kill() throws InterruptedException {
        if (service != null) {
            service.destroyForcibly(); // SIGKILL: no clean shutdown
            service.waitFor(30, TimeUnit.SECONDS);
            service = null;
        }
    }
}
