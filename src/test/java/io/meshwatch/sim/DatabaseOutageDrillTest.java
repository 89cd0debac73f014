package io.meshwatch.sim;

import static io.meshwatch.sim.SimApi.awaitResolved;
import static io.meshwatch.sim.SimApi.awaitSteadyState;
import static io.meshwatch.sim.SimApi.started;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.alerting.AlertService;
import io.meshwatch.testing.LocalPostgres;
import io.meshwatch.testing.PrivatePostgres;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Drill (issue 17, item 2): PostgreSQL really stops while the network fails, and nothing is lost.
 *
 * <p>The service runs against a PostgreSQL server of this test's own ({@link PrivatePostgres}). With
 * the simulated network steady, the server is stopped
 * ({@code pg_ctl stop -m fast}, as {@code systemctl stop} does) for {@link #OUTAGE}; 5 s into the
 * outage the circuit {@code dx-ash-use1} is cut for 5 s, so the CircuitDown, the failover and the
 * session alerts fire and resolve while nothing can be written. Then the server starts again.
 *
 * <p>What must hold: readiness says DOWN while the database is away and UP after; every alert
 * transition detection made during the outage is stored, with the time detection decided it (not
 * the time the database came back); every notification row is delivered to a real HTTP receiver
 * exactly once, counted by its {@code Idempotency-Key} (lost = rows never received, duplicated =
 * receipts beyond one per key, both asserted zero), firing before resolved for each alert; no
 * {@code Result is already complete} reaches Vert.x. Prints one {@code DRILL} line with the figures
 * docs/reliability.md records.
 *
 * <p>The outage lasts 25 s here (the test command); {@code bin/drill db-outage 2m} (or {@code 10m})
 * runs the same test with {@code -Ddrill.db-outage} and {@code -Ddrill.production-backoff=true}: the
 * default back-offs (alert writes up to 30 s, notifications up to 60 s) instead of this test's short
 * ones, so its recovery time is what a deployment would see.
 */
@QuarkusTest
@TestProfile(DatabaseOutageDrillTest.Drill.class)
class DatabaseOutageDrillTest {

    static final Duration OUTAGE = parse(System.getProperty("drill.db-outage", "25s"));
    static final String CIRCUIT = "dx-ash-use1";
    static final String PORT = "drillReceiverPort";

    static PrivatePostgres pg;
    static Vertx vertx;
    /** What the receiver got: idempotency key and alert status, in arrival order. */
    static final List<String[]> received = new CopyOnWriteArrayList<>();

    @Inject
    AlertService alerts;

    @Inject
    Vertx serviceVertx;

    /** The simulator's short timers, one webhook receiver taking everything, short write back-offs. */
    public static class Drill implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = new HashMap<>(new SimTestProfile().getConfigOverrides());
            m.put("meshwatch.notify.webhooks.drill.url", "http://127.0.0.1:" + receiverPort() + "/drill");
            if (!Boolean.getBoolean("drill.production-backoff")) { // bin/drill: the defaults, as deployed
                m.put("meshwatch.notify.initial-backoff", "200ms");
                m.put("meshwatch.notify.max-backoff", "2s");
                m.put("meshwatch.notify.poll-interval", "1s");
                m.put("meshwatch.alerting.write-backoff-max", "2s");
            }
            return m;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(PrivateServer.class));
        }
    }

    /**
     * The private server, started before the service. Its database has the test database's name, so
     * the shared test resource's setting of the name agrees with this one.
     */
    public static class PrivateServer implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            pg = PrivatePostgres.started(LocalPostgres.DATABASE);
            return Map.of("meshwatch.db.host", "127.0.0.1", "meshwatch.db.port", Integer.toString(pg.port()));
        }

        @Override
        public void stop() {
            pg.close();
        }
    }

    static synchronized int receiverPort() {
        String p = System.getProperty(PORT);
        if (p == null) {
            try (ServerSocket s = new ServerSocket(0)) {
                p = Integer.toString(s.getLocalPort());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            System.setProperty(PORT, p);
        }
        return Integer.parseInt(p);
    }

    @BeforeAll
    static void receiver() throws Exception {
        vertx = Vertx.vertx();
        vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            String status = body.toJsonObject().getString("status");
            received.add(new String[] {req.getHeader("Idempotency-Key"), status,
                body.toJsonObject().getJsonArray("alerts").getJsonObject(0).getString("fingerprint")});
            req.response().setStatusCode(200).end();
        })).listen(receiverPort(), "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopReceiver() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aCircuitCutDuringADatabaseOutageIsStoredAndNotifiedOnceEach() throws Exception {
        awaitSteadyState();
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        Handler<Throwable> before = serviceVertx.exceptionHandler();
        serviceVertx.exceptionHandler(t -> {
            uncaught.add(t);
            if (before != null) {
                before.handle(t);
            }
        });
        AtomicLong peakHeap = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakHeap.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "drill-heap-sampler");
        sampler.setDaemon(true);
        sampler.start();

        // the outage
        pg.stop("fast");
        Instant down = Instant.now();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'Reactive PostgreSQL connections health check' }.status", equalTo("DOWN")));
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), down.plusSeconds(5)).toMillis()));
        String run = started("circuit-cut", "{\"circuit\": \"" + CIRCUIT + "\", \"duration\": \"5s\"}");
        awaitResolved(run);
        // detection saw the cut and its repair (in memory) while the database was away
        await().atMost(SimApi.WAIT).untilAsserted(() -> assertEquals("up", SimWatch.circuit(CIRCUIT).getString("state")));
        List<Map<String, Object>> decided = SimWatch.signals(down, "CircuitDown", "circuit", CIRCUIT);
        assertTrue(!decided.isEmpty(), "detection raised CircuitDown during the outage");
        assertTrue(Instant.now().isBefore(down.plus(OUTAGE)), "the outage (" + OUTAGE + ") outlasted the cut and its repair");
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), down.plus(OUTAGE)).toMillis()));
        int waiting = alerts.backlog();
        assertTrue(waiting > 0, "signals waited for the database");
        given().get("/q/health/ready").then().statusCode(503);

        pg.start();
        Instant up = Instant.now();
        // every signal detection raised since the outage began, by fingerprint; resolved ones must end resolved
        Map<String, Boolean> expected = new HashMap<>();
        List<Map<String, Object>> recent = given().queryParam("status", "recent").queryParam("limit", 1000)
                .get("/api/v1/signals").then().statusCode(200).extract().jsonPath().getList("$");
        for (Map<String, Object> s : recent) {
            if (!Instant.parse((String) s.get("raisedAt")).isBefore(down)) {
                expected.merge((String) s.get("fingerprint"), s.get("resolvedAt") != null, Boolean::logicalOr);
            }
        }
        assertTrue(expected.size() >= 3, "the cut raised CircuitDown, its failover and its sessions: " + expected);
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
            assertEquals(0, alerts.backlog());
            assertEquals(List.of(), undelivered(down));
        });
        Duration recovery = Duration.between(up, Instant.now());
        given().get("/q/health/ready").then().statusCode(200);

        // every transition stored, as of when detection decided it (inside the outage)
        Map<String, List<String>> transitions = transitions(down);
        for (Map.Entry<String, Boolean> e : expected.entrySet()) {
            List<String> states = transitions.getOrDefault(e.getKey(), List.of());
            assertTrue(states.contains("firing"), e.getKey() + " has no firing transition: " + transitions);
            if (e.getValue()) {
                assertEquals("resolved", states.get(states.size() - 1), e.getKey() + ": " + states);
            }
        }
        assertTrue(lastTransitionAt(down).isBefore(up), "transitions carry detection's time, before the restart");

        // every notification row received once, by idempotency key; firing before resolved per alert
        Set<String> rows = keys(down, "drill");
        List<String> keysReceived = received.stream().map(r -> r[0]).toList();
        Set<String> distinct = new LinkedHashSet<>(keysReceived);
        long lost = rows.stream().filter(k -> !distinct.contains(k)).count();
        long duplicated = keysReceived.size() - distinct.size();
        String circuitDown = (String) decided.get(0).get("fingerprint");
        List<String> circuitNotices = received.stream().filter(r -> r[2].equals(circuitDown)).map(r -> r[1]).toList();
        assertEquals(List.of("firing", "resolved"), circuitNotices, "the CircuitDown's firing and resolution, in order");
        assertEquals(0, lost, "notifications lost");
        assertEquals(0, duplicated, "notifications duplicated");
        assertTrue(uncaught.stream().noneMatch(t -> String.valueOf(t.getMessage()).contains("already complete")),
                "uncaught: " + uncaught);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("meshwatch_alerts_backlog "), "backlog gauge");
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("meshwatch_alerts_write_retries_total")
                && Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) > 0), "retries counted");
        sampler.interrupt();
        serviceVertx.exceptionHandler(before);
        System.out.printf("DRILL db-outage: date=%s outage=%ds alerts=%d transitions=%d notifications=%d "
                        + "waiting-at-restart=%d recovery=%.1fs lost=%d duplicated=%d peak-heap=%dMB%n",
                Instant.now().toString().substring(0, 10), OUTAGE.toSeconds(), expected.size(),
                transitions.values().stream().mapToInt(List::size).sum(), rows.size(), waiting,
                recovery.toMillis() / 1000.0, lost, duplicated, peakHeap.get() >> 20);
    }

    private static Connection db() throws SQLException {
        return DriverManager.getConnection(pg.jdbcUrl(), "meshwatch", "meshwatch");
    }

    /** Outbox rows since {@code since} not delivered yet, any receiver (the Kafka events included). */
    private static List<String> undelivered(Instant since) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db(); PreparedStatement st = c.prepareStatement(
                "SELECT receiver, status, last_error FROM outbox WHERE created_at >= ? AND status <> 'delivered'")) {
            st.setTimestamp(1, Timestamp.from(since));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
                }
            }
        }
        return out;
    }

    private static Set<String> keys(Instant since, String receiver) throws SQLException {
        Set<String> out = new LinkedHashSet<>();
        try (Connection c = db(); PreparedStatement st = c.prepareStatement(
                "SELECT idempotency_key FROM outbox WHERE created_at >= ? AND receiver = ? ORDER BY id")) {
            st.setTimestamp(1, Timestamp.from(since));
            st.setString(2, receiver);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** States entered since {@code since}, by fingerprint, in order. */
    private static Map<String, List<String>> transitions(Instant since) throws SQLException {
        Map<String, List<String>> out = new HashMap<>();
        try (Connection c = db(); PreparedStatement st = c.prepareStatement(
                "SELECT fingerprint, to_state FROM alert_transition WHERE at >= ? ORDER BY id")) {
            st.setTimestamp(1, Timestamp.from(since));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
        }
        return out;
    }

    private static Instant lastTransitionAt(Instant since) throws SQLException {
        try (Connection c = db(); PreparedStatement st = c.prepareStatement(
                "SELECT max(at) FROM alert_transition WHERE at >= ?")) {
            st.setTimestamp(1, Timestamp.from(since));
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getTimestamp(1).toInstant();
            }
        }
    }

    /** {@code 25s}, {@code 2m}, {@code 10m}, or an ISO-8601 duration. */
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
