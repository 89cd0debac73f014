package io.meshwatch.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.meshwatch.cluster.ClusterView;
import io.meshwatch.cluster.Forwarder;
import io.meshwatch.cluster.Membership;
import io.meshwatch.platform.MeshwatchConfig;
import io.meshwatch.testing.Events;
import io.meshwatch.testing.KafkaBroker;
import io.meshwatch.testing.LocalPostgres;
import io.meshwatch.testing.OwnApiKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Calls answered by the member that owns them, against real members: a second member joins this
 * instance's consumer groups for real (a Kafka consumer that takes input partitions 0 and 1, and
 * one that takes the facts partition), and a real HTTP server stands for it at the URL its row in
 * {@code cluster_member} advertises. A router of those partitions is answered by that server through
 * this instance; a dead or silent owner gives 503 with {@code Retry-After} within a second; a
 * forwarded call is never forwarded again; the router list merges both members.
 */
@QuarkusTest
@TestProfile(ForwardingProfile.class)
@OwnApiKeys
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ForwardingTest {

    static final String BGP = "meshwatch.bgp.v1";
    static final String TELEMETRY = "meshwatch.telemetry.v1";
    static final String VIEWER = "Bearer dev-viewer";
    static final String OTHER = "other-member-" + UUID.randomUUID().toString().substring(0, 8);

    static Member other;

    /** Every byte value, twice: what the fake owner answers for an MRT export. */
    static final byte[] MRT_BYTES = new byte[512];

    static {
        for (int i = 0; i < MRT_BYTES.length; i++) {
            MRT_BYTES[i] = (byte) i;
        }
    }

    @Inject
    Membership membership;

    @Inject
    MeshwatchConfig config;

    /** The second member: its consumers in both groups and its HTTP server. */
    static final class Member implements AutoCloseable {
        final HttpServer server;
        final List<HttpExchangeCopy> calls = new CopyOnWriteArrayList<>();
        final Joined shard;
        final Joined detection;

        Member() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", this::answer);
            server.start();
            // "a-..." sorts before this instance's client ids, so RangeAssignor gives it the first ranges
            shard = new Joined(ForwardingProfile.GROUP, "a-other-shard", List.of(BGP, TELEMETRY));
            detection = new Joined(ForwardingProfile.DETECT_GROUP, "a-other-detection", List.of("meshwatch.facts.v1"));
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        private void answer(HttpExchange x) throws IOException {
            calls.add(new HttpExchangeCopy(x.getRequestMethod(), x.getRequestURI().getRawPath(),
                    x.getRequestURI().getRawQuery(), x.getRequestHeaders().getFirst("Authorization"),
                    x.getRequestHeaders().getFirst(Forwarder.FORWARDED_BY)));
            String path = x.getRequestURI().getPath();
            int status = 200;
            String body;
            if (path.endsWith("/mrt")) { // a binary answer (the MRT export) comes back byte for byte
                try {
                    Thread.sleep(1500); // longer than forward-timeout: a history call has its own time
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                x.getResponseHeaders().add("Content-Type", "application/octet-stream");
                x.getResponseHeaders().add(Forwarder.ANSWERED_BY, OTHER);
                x.sendResponseHeaders(200, MRT_BYTES.length);
                x.getResponseBody().write(MRT_BYTES);
                x.close();
                return;
            }
            if (path.equals("/api/v1/routers")) {
                body = "[{\"id\":\"fwd-remote-router\",\"sessions\":2,\"established\":1,\"down\":1,\"routes\":[]}]";
            } else if (path.endsWith("/history")) {
                body = "{\"router\":\"" + path.split("/")[4] + "\",\"changes\":[],\"truncated\":false}";
            } else if (path.endsWith("/digest")) {
                body = "{\"router\":\"" + path.split("/")[4] + "\",\"digest\":\"from-the-owner\",\"paths\":7}";
            } else if (path.endsWith("/peers")) {
                status = 404;
                body = "{\"status\":404,\"error\":\"not_found\",\"message\":\"not here either\"}";
            } else if (path.equals("/api/v1/tunnels")) {
                body = "[{\"group\":\"from-the-detection-owner\"}]";
            } else {
                status = 500;
                body = "{}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.getResponseHeaders().add(Forwarder.ANSWERED_BY, OTHER);
            x.sendResponseHeaders(status, bytes.length);
            x.getResponseBody().write(bytes);
            x.close();
        }

        @Override
        public void close() {
            shard.close();
            detection.close();
            server.stop(0);
        }
    }

    record HttpExchangeCopy(String method, String path, String query, String authorization, String forwardedBy) {
    }

    /** A real member of a consumer group: subscribes, polls on its own thread, records its assignment. */
    static final class Joined implements AutoCloseable {
        final KafkaConsumer<String, byte[]> consumer;
        final Set<TopicPartition> assigned = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final Thread thread;
        volatile boolean running = true;

        Joined(String group, String clientId, List<String> topics) {
            Properties p = new Properties();
            p.put("bootstrap.servers", KafkaBroker.bootstrap());
            p.put("group.id", group);
            p.put("client.id", clientId);
            p.put("enable.auto.commit", "false");
            p.put("partition.assignment.strategy", RangeAssignor.class.getName());
            consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
            thread = new Thread(() -> {
                consumer.subscribe(topics, new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(Collection<TopicPartition> ps) {
                        assigned.removeAll(ps);
                    }

                    @Override
                    public void onPartitionsAssigned(Collection<TopicPartition> ps) {
                        assigned.addAll(ps);
                    }
                });
                try {
                    while (running) {
                        consumer.poll(Duration.ofMillis(200));
                    }
                } catch (WakeupException e) {
                    // closing
                } finally {
                    consumer.close(Duration.ofSeconds(5));
                }
            }, "test-member-" + clientId);
            thread.setDaemon(true);
            thread.start();
        }

        Set<Integer> partitions(String topic) {
            return assigned.stream().filter(tp -> tp.topic().equals(topic)).map(TopicPartition::partition)
                    .collect(Collectors.toCollection(TreeSet::new));
        }

        @Override
        public void close() {
            running = false;
            consumer.wakeup();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Joins the second member once: waits until it holds input partitions 0, 1 and the facts partition. */
    Member other() throws Exception {
        if (other == null) {
            await().atMost(Duration.ofSeconds(60)).until(() -> membership.partitions().get(BGP).size() == 4);
            other = new Member();
            await().atMost(Duration.ofSeconds(60)).until(() -> other.shard.partitions(BGP).equals(Set.of(0, 1))
                    && membership.partitions().get(BGP).equals(List.of(2, 3)) && !other.detection.assigned.isEmpty()
                    && !membership.isDetectionOwner());
            row(other.url(), "{\"" + BGP + "\": [0, 1], \"" + TELEMETRY + "\": [0, 1]}", true);
        }
        return other;
    }

    @AfterAll
    static void leave() throws Exception {
        if (other != null) {
            other.close();
            other = null;
        }
        sql("DELETE FROM cluster_member WHERE instance_id = ?", OTHER);
    }

    /** The second member's row, as its Membership would write it. */
    static void row(String url, String partitions, boolean detectionOwner) throws Exception {
        try (Connection c = DriverManager.getConnection(LocalPostgres.jdbcUrl(), "meshwatch", "meshwatch");
             PreparedStatement ps = c.prepareStatement("INSERT INTO cluster_member (instance_id, group_id, url, "
                     + "partitions, detection_owner, started_at, heartbeat_at, version) VALUES (?, ?, ?, ?::jsonb, ?, "
                     + "now(), now(), 1) ON CONFLICT (instance_id) DO UPDATE SET url = EXCLUDED.url, partitions = "
                     + "EXCLUDED.partitions, detection_owner = EXCLUDED.detection_owner, heartbeat_at = now()")) {
            ps.setString(1, OTHER);
            ps.setString(2, ForwardingProfile.GROUP);
            ps.setString(3, url);
            ps.setString(4, partitions);
            ps.setBoolean(5, detectionOwner);
            ps.executeUpdate();
        }
        Thread.sleep(Membership.VIEW_TTL.toMillis() + 100); // the view reads the rows at most once a second
    }

    static void sql(String statement, String arg) throws Exception {
        try (Connection c = DriverManager.getConnection(LocalPostgres.jdbcUrl(), "meshwatch", "meshwatch");
             PreparedStatement ps = c.prepareStatement(statement)) {
            ps.setString(1, arg);
            ps.executeUpdate();
        }
        Thread.sleep(Membership.VIEW_TTL.toMillis() + 100);
    }

    /** A router name whose partition (of 4) is {@code p}. */
    static String routerIn(int p, String prefix) {
        return IntStream.range(0, 10_000).mapToObj(i -> prefix + "-" + i)
                .filter(r -> ClusterView.partitionOf(r, 4) == p).findFirst().orElseThrow();
    }

    @Test
    @Order(1)
    void aRoutersCallIsAnsweredByTheMemberOwningItsPartition() throws Exception {
        Member m = other();
        String router = routerIn(1, "fwd-remote");
        // the partition is the one Kafka's producer gives the router's events
        assertEquals(1, Events.send(BGP, router, Events.peerState(router, "10.0.0.2", 64512, "established",
                java.time.Instant.parse("2026-12-07T09:00:00Z"))).partition());

        int before = m.calls.size();
        Response r = given().header("Authorization", VIEWER).get("/api/v1/routers/{r}/digest?probe=1", router);
        r.then().statusCode(200).body("digest", equalTo("from-the-owner")).body("router", equalTo(router))
                .header(Forwarder.ANSWERED_BY, OTHER).header(Forwarder.FORWARDED_BY, membership.id());
        HttpExchangeCopy call = m.calls.get(before);
        assertEquals("GET", call.method());
        assertEquals("/api/v1/routers/" + router + "/digest", call.path());
        assertEquals("probe=1", call.query());
        assertEquals(VIEWER, call.authorization(), "the caller's key goes with the call");
        assertEquals(membership.id(), call.forwardedBy(), "the loop guard names this instance");

        // the history calls go to the owner too; the MRT export comes back byte for byte, though it took
        // longer than meshwatch.cluster.forward-timeout (history calls have forward-history-timeout)
        given().header("Authorization", VIEWER).get("/api/v1/routers/{r}/history?prefix=10.0.0.0/8", router).then()
                .statusCode(200).body("router", equalTo(router)).header(Forwarder.ANSWERED_BY, OTHER);
        byte[] mrt = given().header("Authorization", VIEWER).get("/api/v1/routers/{r}/mrt?at=2026-12-07T09:00:00Z", router)
                .then().statusCode(200).contentType("application/octet-stream").header(Forwarder.ANSWERED_BY, OTHER)
                .extract().asByteArray();
        org.junit.jupiter.api.Assertions.assertArrayEquals(MRT_BYTES, mrt);
        assertEquals("/api/v1/routers/" + router + "/mrt", m.calls.get(m.calls.size() - 1).path());
        assertEquals("at=2026-12-07T09:00:00Z", java.net.URLDecoder.decode(m.calls.get(m.calls.size() - 1).query(),
                StandardCharsets.UTF_8));

        // the owner's status and error body come back as they are
        given().header("Authorization", VIEWER).get("/api/v1/routers/{r}/peers", router).then().statusCode(404)
                .body("message", equalTo("not here either")).header(Forwarder.ANSWERED_BY, OTHER);
        // no key: refused here, never forwarded
        int calls = m.calls.size();
        given().get("/api/v1/routers/{r}/digest", router).then().statusCode(401);
        assertEquals(calls, m.calls.size());
    }

    @Test
    @Order(2)
    void aRouterOfThisInstancesPartitionIsAnsweredHere() throws Exception {
        Member m = other();
        String router = routerIn(2, "fwd-local");
        int calls = m.calls.size();
        given().header("Authorization", VIEWER).get("/api/v1/routers/{r}/digest", router).then().statusCode(404)
                .header(Forwarder.ANSWERED_BY, membership.id()).header(Forwarder.FORWARDED_BY, nullValue())
                .body("message", containsString("has no route table"));
        assertEquals(calls, m.calls.size());
    }

    @Test
    @Order(3)
    void aForwardedCallIsNeverForwardedAgain() throws Exception {
        Member m = other();
        String router = routerIn(0, "fwd-loop");
        int calls = m.calls.size();
        given().header("Authorization", VIEWER).header(Forwarder.FORWARDED_BY, "some-member")
                .get("/api/v1/routers/{r}/digest", router).then().statusCode(503)
                .header("Retry-After", equalTo("1"))
                .body("error", equalTo("unavailable")).body("message", containsString("forwarded here by some-member"));
        assertEquals(calls, m.calls.size(), "not forwarded");
        // a forwarded call for a router of this instance is answered here
        given().header("Authorization", VIEWER).header(Forwarder.FORWARDED_BY, "some-member")
                .get("/api/v1/routers/{r}/digest", routerIn(3, "fwd-loop")).then().statusCode(404)
                .header(Forwarder.ANSWERED_BY, membership.id());
    }

    @Test
    @Order(4)
    void theRouterListMergesEveryMembersOwnRouters() throws Exception {
        Member m = other();
        String local = routerIn(2, "fwd-listed");
        Events.send(BGP, local, Events.peerState(local, "10.0.0.2", 64512, "established",
                java.time.Instant.parse("2026-12-07T09:00:00Z")));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().header("Authorization", VIEWER)
                .get("/api/v1/routers").then().statusCode(200)
                .body("id", hasItem("fwd-remote-router")).body("id", hasItem(local))
                .body("find { it.id == 'fwd-remote-router' }.down", equalTo(1)));
        HttpExchangeCopy asked = m.calls.stream().filter(c -> c.path().equals("/api/v1/routers")).reduce((a, b) -> b)
                .orElseThrow();
        assertEquals(membership.id(), asked.forwardedBy());
        // asked as a member, this instance gives only the routers of its own partitions
        List<String> own = given().header("Authorization", VIEWER).header(Forwarder.FORWARDED_BY, OTHER)
                .get("/api/v1/routers").then().statusCode(200).extract().jsonPath().getList("id");
        assertTrue(own.contains(local), own.toString());
        assertFalse(own.contains("fwd-remote-router"));
        for (String id : own) {
            assertTrue(Set.of(2, 3).contains(ClusterView.partitionOf(id, 4)), id + " is not of this instance");
        }
    }

    @Test
    @Order(5)
    void detectionViewsAreTheDetectionOwnersInFactsMode() throws Exception {
        Member m = other();
        given().header("Authorization", VIEWER).get("/api/v1/tunnels").then().statusCode(200)
                .body("[0].group", equalTo("from-the-detection-owner")).header(Forwarder.ANSWERED_BY, OTHER);
        // alerts are PostgreSQL's: answered here
        given().header("Authorization", VIEWER).get("/api/v1/alerts").then().statusCode(200)
                .header(Forwarder.ANSWERED_BY, membership.id());
        row(m.url(), "{\"" + BGP + "\": [0, 1], \"" + TELEMETRY + "\": [0, 1]}", false);
        given().header("Authorization", VIEWER).get("/api/v1/circuits").then().statusCode(503)
                .header("Retry-After", equalTo("5")).body("message", containsString("no member owns detection"));
        row(m.url(), "{\"" + BGP + "\": [0, 1], \"" + TELEMETRY + "\": [0, 1]}", true);
    }

    @Test
    @Order(6)
    void anOwnerThatIsGoneIsA503WithRetryAfterWithinASecond() throws Exception {
        Member m = other();
        String router = routerIn(0, "fwd-gone");
        // a member that accepts connections and never answers
        try (ServerSocket silent = new ServerSocket(0)) {
            List<Socket> held = new ArrayList<>();
            Thread accept = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException e) {
                    // closed
                }
            });
            accept.setDaemon(true);
            accept.start();
            row("http://127.0.0.1:" + silent.getLocalPort(), "{\"" + BGP + "\": [0, 1]}", true);
            assertGoneWithinASecond(router);
        }
        // a member whose port nobody listens on any more
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        row("http://127.0.0.1:" + dead, "{\"" + BGP + "\": [0, 1]}", true);
        assertGoneWithinASecond(router);

        // no live member owns the partition (its owner's row is gone): 503 at once
        sql("DELETE FROM cluster_member WHERE instance_id = ?", OTHER);
        Response r = given().header("Authorization", VIEWER).get("/api/v1/routers/{r}/digest", router);
        assertTrue(r.statusCode() == 503 || r.statusCode() == 404, "alone again or partition unowned: " + r.asString());
        row(m.url(), "{\"" + BGP + "\": [1]}", true);
        given().header("Authorization", VIEWER).get("/api/v1/routers/{r}/digest", router).then().statusCode(503)
                .header("Retry-After", equalTo("1")).body("message", containsString("partition 0"));
        given().header("Authorization", VIEWER).get("/api/v1/routers").then().statusCode(503)
                .body("message", containsString("[0]"));
    }

    private void assertGoneWithinASecond(String router) {
        long start = System.nanoTime();
        Response r = given().header("Authorization", VIEWER).get("/api/v1/routers/{r}/digest", router);
        long ms = (System.nanoTime() - start) / 1_000_000;
        r.then().statusCode(503).header("Retry-After", equalTo("5")).body("error", equalTo("unavailable"))
                .body("message", containsString(OTHER)).body("message", containsString("being replaced"));
        // the call ends at the forward timeout, which is below a second by default, never hangs (a silent
        // owner would hold it for ever); the margin is for a loaded machine's scheduling, not for a hang
        Duration timeout = config.cluster().forwardTimeout();
        assertTrue(timeout.compareTo(Duration.ofSeconds(1)) < 0, "the forward timeout is below a second: " + timeout);
        assertTrue(ms < timeout.toMillis() + 2_000, "answered in " + ms + " ms (forward timeout " + timeout + ")");
        assertNotNull(r.header(Forwarder.ANSWERED_BY));
    }

}
