package io.meshwatch.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.event.EventCodec;
import io.meshwatch.event.EventType;
import io.meshwatch.event.RejectedRecordException;
import io.meshwatch.rib.RibService;
import io.meshwatch.routing.RibSnapshot;
import io.meshwatch.sim.StandaloneSimulator;
import io.meshwatch.testing.KafkaBroker;
import io.meshwatch.testing.LocalPostgres;
import io.meshwatch.testing.PackagedService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The scale-out proof (issue 14, item 8; ADR 0003): three packaged instances on this machine
 * (Failsafe, after {@code package}), one broker, PostgreSQL, a real webhook receiver, and the
 * standalone simulator playing twelve routers ({@code inventory/proof-12.yaml}) into input topics of
 * {@value #PARTITIONS} partitions each. Detection runs in facts mode: every instance shards, one
 * elected owner judges.
 *
 * <p>One cluster serves the methods, in order; each starts by bringing it back to three healthy
 * instances (a new instance for each one killed before), and every process is killed after the last
 * (and by a shutdown hook should the test JVM end first).
 * <ol>
 *   <li>(a) kill -9 of the detection owner during a circuit cut: another instance owns detection
 *       within seconds (the take-over time is printed), and the receiver gets every notification
 *       exactly once, counted by {@code Idempotency-Key}: each firing once, each resolved once;
 *   <li>(a, continued) the cut's incident goes on at the new owner (same id, resolved once) and the
 *       failover is measured right (the hold time, from the circuit's interface going down);
 *   <li>(b) kill -9 of an instance owning routers: their route-table digests on the new owners equal
 *       those of a reference built in this JVM from the same events;
 *   <li>(c) a rolling restart of all three during a cut loses and duplicates nothing: notifications
 *       exactly once, digests equal to the reference;
 *   <li>(d) the same call on each instance gives the same answer for every router.
 * </ol>
 *
 * <p>Progress lines start with {@code [proof]}; the instances log to
 * {@code target/cluster-proof-it/<run>-proof-<n>.log}, the simulator to {@code <run>-sim.log}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterProofIT {

    static final Path LOGS = Path.of("target", "cluster-proof-it");
    static final Path INVENTORY = Path.of("src", "test", "resources", "inventory", "proof-12.yaml").toAbsolutePath();
    static final int PARTITIONS = 6;
    static final int INSTANCES = 3;
    static final int ROUTERS = 12;
    /** BGP hold time of the simulated sessions: a cut's failover completes this long after it starts. */
    static final Duration HOLD = Duration.ofSeconds(20);
    static final String OWNER_CUT = "pf-dx-ash-use1";
    static final String OWNER_CUT_GROUP = "pf-vpn-ash-use1";
    static final String ROLLING_CUT = "pf-dx-sjc-usw2";
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String APPLIED = "meshwatch_detect_facts_applied_total";
    static final String OWNER = "meshwatch_detect_owner";

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String bgp = "proof.bgp." + run;
    final String telemetry = "proof.telemetry." + run;
    final String facts = "proof.facts." + run;
    final String receiver = "proof" + run;
    final long began = System.nanoTime();
    final ObjectMapper json = new ObjectMapper();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** The running instances, oldest first. */
    final List<PackagedService> live = Collections.synchronizedList(new ArrayList<>());
    final List<PackagedService> all = Collections.synchronizedList(new ArrayList<>());
    final Hook hook = new Hook();
    int launchedCount;
    Vertx vertx;
    int hookPort;
    StandaloneSimulator sim;
    PrintStream simLog;
    Reference reference;
    Thread reaper;

    /** What (a) saw of its cut, for the continuity test. */
    record OwnerCut(Instant cutStart, String incidentBefore, String oldOwner, String newOwner, double takeOverSeconds,
                    List<JsonNode> incidentsAfter, JsonNode failover) {
    }

    OwnerCut ownerCut;

    // ------------------------------------------------------------------ the cluster

    @BeforeAll
    void startCluster() throws Exception {
        LocalPostgres.ensure();
        Files.createDirectories(LOGS);
        KafkaBroker.get().createTopics(List.of(bgp, telemetry), PARTITIONS);
        KafkaBroker.get().createTopics(List.of(facts), 1);
        reaper = new Thread(() -> all.forEach(s -> {
            try {
                s.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }), "cluster-proof-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        vertx = Vertx.vertx();
        hookPort = hook.start(vertx);
        simLog = new PrintStream(Files.newOutputStream(LOGS.resolve(run + "-sim.log")), true, StandardCharsets.UTF_8);
        sim = StandaloneSimulator.start(new String[] {"--bootstrap", KafkaBroker.bootstrap(), "--inventory",
                INVENTORY.toString(), "--port", "0", "--bgp-topic", bgp, "--telemetry-topic", telemetry,
                "--extra-prefixes", "20", "--rate", "0", "--hold-time", HOLD.toSeconds() + "s", "--dpd-timeout", "2s",
                "--ike-setup", "500ms", "--bgp-setup", "500ms", "--probe-interval", "1s", "--telemetry-interval", "2s"},
                Map.of(), simLog, simLog);
        reference = new Reference(bgp);
        progress("run %s: simulator at %s, receiver on port %d, topics %s/%s (%d partitions), facts %s", run, sim.url(),
                hookPort, bgp, telemetry, PARTITIONS, facts);
        // A cold start: one instance takes every partition and applies its records but writes no
        // route-table snapshot (its interval is an hour); the two others join, the partitions move
        // without a snapshot, and their new owners must read them again from the first record
        // (SnapshotRebalanceListener) for the tables to equal the reference.
        long t = System.nanoTime();
        PackagedService first = launch(Duration.ofHours(1)).awaitReady(Duration.ofSeconds(150));
        Map<String, String> expected = reference.digests(); // the reference has read the topic to its end
        poll(first.name() + " holding every router's table", WAIT, () -> {
            assertRunning();
            for (Map.Entry<String, String> e : expected.entrySet()) {
                if (!digest(first, e.getKey()).equals(e.getValue())) {
                    return null;
                }
            }
            return 1;
        });
        progress("%s started and applied every partition in %.1f s, no snapshot written", first.name(),
                secondsSince(t));
        assertTrue(snapshotted().isEmpty(), "no snapshot before the partitions move");
        ensureThree();
        awaitDigestsOnOwners("start");
    }

    /** Partitions of the BGP topic with a route-table snapshot in PostgreSQL. */
    private Set<Integer> snapshotted() throws Exception {
        Set<Integer> out = new TreeSet<>();
        try (Connection c = DriverManager.getConnection(LocalPostgres.jdbcUrl(), "meshwatch", "meshwatch");
             PreparedStatement st = c.prepareStatement("SELECT kafka_partition FROM rib_snapshot WHERE topic = ?")) {
            st.setString(1, bgp);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getInt(1));
                }
            }
        }
        return out;
    }

    @AfterAll
    void stopCluster() throws Exception {
        for (PackagedService s : List.copyOf(all)) {
            s.close();
        }
        live.clear();
        if (sim != null) {
            sim.close();
        }
        if (reference != null) {
            reference.close();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (simLog != null) {
            simLog.close();
        }
        if (reaper != null) {
            Runtime.getRuntime().removeShutdownHook(reaper);
        }
        progress("done");
    }

    /** Launches a new instance (proof-1, proof-2, ...); does not wait for it. */
    private PackagedService launch() throws IOException {
        return launch(Duration.ofSeconds(2));
    }

    private PackagedService launch(Duration snapshotInterval) throws IOException {
        String name = "proof-" + (++launchedCount);
        int port = io.meshwatch.dev.EmbeddedKafka.freePort();
        Map<String, String> env = Map.ofEntries(
                Map.entry("HOSTNAME", name), // the member id: proof-<n>-<random>
                Map.entry("KAFKA_BOOTSTRAP_SERVERS", KafkaBroker.bootstrap()),
                Map.entry("KAFKA_GROUP_ID", "proof-" + run),
                Map.entry("MESHWATCH_TOPICS_BGP", bgp),
                Map.entry("MESHWATCH_TOPICS_TELEMETRY", telemetry),
                Map.entry("MESHWATCH_TOPICS_FACTS", facts),
                Map.entry("MESHWATCH_DB_NAME", LocalPostgres.DATABASE),
                Map.entry("MESHWATCH_INVENTORY_FILE", INVENTORY.toString()),
                Map.entry("MESHWATCH_DETECT_MODE", "facts"),
                Map.entry("MESHWATCH_DETECT_OWNER_GROUP_ID", "proof-detect-" + run),
                Map.entry("MESHWATCH_DETECT_OWNER_SESSION_TIMEOUT", "6s"), // the broker's group.min.session.timeout.ms
                Map.entry("MESHWATCH_DETECT_RESOLVE_HOLD_DOWN", "1s"),
                Map.entry("MESHWATCH_CLUSTER_ADVERTISED_URL", "http://127.0.0.1:" + port),
                Map.entry("MESHWATCH_CLUSTER_HEARTBEAT_INTERVAL", "1s"),
                Map.entry("MESHWATCH_CLUSTER_MEMBER_TIMEOUT", "3s"),
                Map.entry("MESHWATCH_RIB_SNAPSHOT_INTERVAL", snapshotInterval.toSeconds() + "s"),
                Map.entry("MESHWATCH_NOTIFY_POLL_INTERVAL", "500ms"),
                Map.entry("MESHWATCH_NOTIFY_INITIAL_BACKOFF", "500ms"),
                Map.entry("MESHWATCH_NOTIFY_MAX_BACKOFF", "1s"));
        List<String> jvm = List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dmeshwatch.notify.webhooks." + receiver + ".url=http://127.0.0.1:" + hookPort + "/hook",
                // the input consumer hands a dead member's partitions on within seconds, as the owner's does
                "-Dmp.messaging.incoming.events-in.session.timeout.ms=6000",
                "-Dmp.messaging.incoming.events-in.heartbeat.interval.ms=1000");
        PackagedService s = PackagedService.launch(name, LOGS.resolve(run + "-" + name + ".log"), port, jvm, env);
        all.add(s);
        live.add(s);
        return s;
    }

    /** Fails at once when an instance the test did not stop has ended. */
    private void assertRunning() {
        for (PackagedService s : List.copyOf(live)) {
            assertTrue(s.alive(), () -> s.name() + " " + s.state() + " though the test did not stop it; see " + s.log());
        }
    }

    /** Replaces every instance that is gone, waits until all three run and the group is stable. */
    private View ensureThree() throws Exception {
        for (PackagedService s : List.copyOf(live)) {
            if (!s.alive()) {
                progress("%s %s though the test did not stop it (see %s); replaced", s.name(), s.state(), s.log());
                live.remove(s);
            }
        }
        List<PackagedService> fresh = new ArrayList<>();
        while (live.size() < INSTANCES) {
            fresh.add(launch());
        }
        long t = System.nanoTime();
        for (PackagedService s : fresh) {
            s.awaitReady(Duration.ofSeconds(150));
        }
        View v = awaitStable("three instances");
        if (!fresh.isEmpty()) {
            progress("%s started; stable after %.1f s: %s", fresh, secondsSince(t), v);
        }
        return v;
    }

    // ------------------------------------------------------------------ (a)

    @Test
    @Order(1)
    void a_detectionOwnerKilledDuringACut_anotherTakesOverAndTheReceiverGetsEveryNotificationOnce() throws Exception {
        View before = ensureThree();
        quiesce("(a)");
        int mark = hook.size();
        long outboxMark = maxOutboxId();
        PackagedService owner = before.owner();
        JsonNode accepted = scenario("circuit-cut", OWNER_CUT, "30s");
        Instant cutStart = Instant.parse(accepted.path("start").asText());
        progress("(a) cut %s (30 s, hold %d s) started at %s; detection owner %s", OWNER_CUT, HOLD.toSeconds(), cutStart,
                owner.name());

        // the cut is seen: CircuitDown firing, an open incident rooted in it on the owner, and its firing
        // notification delivered (received and its outbox row marked so: killed between the POST and the
        // mark, an instance's row is sent again by another, the outbox's documented at-least-once)
        Expected cut = new Expected("CircuitDown", "circuit", OWNER_CUT);
        String incident = poll("CircuitDown of " + OWNER_CUT + " firing, its incident open on " + owner.name()
                + " and its notification delivered", WAIT, () -> {
                    List<JsonNode> open = incidents(owner, "open", "CircuitDown", "circuit", OWNER_CUT, cutStart);
                    boolean delivered = hook.since(mark).stream().anyMatch(n -> cut.matches(n)
                            && "firing".equals(n.status())) && !outbox(outboxMark).containsValue("pending");
                    return open.size() == 1 && delivered ? open.get(0).path("id").asText() : null;
                });
        progress("(a) +%.1f s into the cut: CircuitDown firing and notified, incident %s open on %s; kill -9 %s",
                secondsSince(cutStart), incident, owner.name(), owner.name());

        long killed = System.nanoTime();
        owner.kill();
        live.remove(owner);
        PackagedService newOwner = null;
        double base = 0;
        double elected = -1;
        double applying = -1;
        long deadline = killed + WAIT.toNanos();
        while (applying < 0) {
            assertTrue(System.nanoTime() < deadline, "an instance owns detection and applies facts within " + WAIT
                    + " of the owner's kill -9 (elected after " + elected + " s)");
            if (newOwner == null) {
                for (PackagedService s : List.copyOf(live)) {
                    if (quietly(() -> s.metric(OWNER)) == 1.0) {
                        newOwner = s;
                        elected = secondsSince(killed);
                        base = quietly(() -> s.metric(APPLIED));
                        break;
                    }
                }
            } else if (quietly(newOwner::metric, APPLIED) > base) {
                applying = secondsSince(killed);
            }
            Thread.sleep(100);
        }
        progress("(a) TAKE-OVER: %s owns detection %.1f s after the kill -9 of %s and applies facts after %.1f s "
                + "(+%.1f s into the cut; the failover completes at +%d s)", newOwner.name(), elected, owner.name(),
                applying, secondsSince(cutStart), HOLD.toSeconds());

        // the failover completes on the new owner at +HOLD: its IpsecFailover (stored in PostgreSQL)
        PackagedService judge = newOwner;
        JsonNode failover = pollOrNull(Duration.between(Instant.now(), cutStart.plus(HOLD).plusSeconds(30)), () -> {
            JsonNode a = alert(judge, "IpsecFailover", "tunnel_group", OWNER_CUT_GROUP);
            return a != null && !Instant.parse(a.path("lastRaisedAt").asText()).isBefore(cutStart) ? a : null;
        });
        progress("(a) failover measured: %s", failover == null ? "none within 30 s of its completion"
                : failover.path("annotations"));

        awaitScenarioResolved(accepted);
        progress("(a) the cut is repaired; waiting for the notifications");
        // the incident at the new owner once it resolved (or not): asserted by the next method
        List<JsonNode> after = pollOrNull(Duration.ofSeconds(15), () -> {
            List<JsonNode> is = incidents(judge, "all", "CircuitDown", "circuit", OWNER_CUT, cutStart.minusSeconds(1));
            return is.stream().allMatch(i -> "resolved".equals(i.path("status").asText())) ? is : null;
        });
        ownerCut = new OwnerCut(cutStart, incident, owner.name(), judge.name(), applying, after != null ? after
                : incidents(judge, "all", "CircuitDown", "circuit", OWNER_CUT, cutStart.minusSeconds(1)), failover);
        Map<String, Integer> notified = assertEveryNotificationOnce("(a)", mark, outboxMark, List.of(cut), cutStart);
        progress("(a) passed: %s", notified);
    }

    @Test
    @Order(2)
    void a_theCutsIncidentGoesOnAtTheNewOwnerAndItsFailoverTimeIsRight() {
        assumeTrue(ownerCut != null, "(a) saw its cut through");
        OwnerCut c = ownerCut;
        progress("(a) incident before the kill %s on %s; after, on %s: %s", c.incidentBefore(), c.oldOwner(),
                c.newOwner(), c.incidentsAfter().stream().map(i -> i.path("id").asText() + " "
                        + i.path("status").asText() + " " + i.path("source").asText()).toList());
        assertEquals(List.of(c.incidentBefore()), c.incidentsAfter().stream().map(i -> i.path("id").asText()).toList(),
                "one incident for the cut, the one the old owner opened, goes on at the new owner");
        assertEquals("resolved", c.incidentsAfter().get(0).path("status").asText(), "the incident resolved after the repair");
        assertNotNull(c.failover(), "the new owner measured the failover that completed after the take-over");
        JsonNode ann = c.failover().path("annotations");
        double seconds = Double.parseDouble(ann.path("failover_seconds").asText("NaN"));
        assertEquals(HOLD.toSeconds(), seconds, 0.5, "failover time = the hold time, from the interface going down "
                + "(before the kill) to the backup's path becoming best (after it): " + ann);
        assertTrue(ann.path("failover_min_seconds").isMissingNode(), "an exact start, not an interval: " + ann);
    }

    // ------------------------------------------------------------------ (b)

    @Test
    @Order(3)
    void b_instanceOwningRoutersKilled_theirTablesOnTheNewOwnersEqualTheReference() throws Exception {
        View v = ensureThree();
        PackagedService owner = v.owner();
        PackagedService victim = null;
        Set<String> routers = Set.of();
        for (PackagedService s : v.instances()) {
            Set<String> rs = reference.routersIn(v.partitions(s));
            if (s != owner && rs.size() > routers.size()) {
                victim = s;
                routers = rs;
            }
        }
        assertNotNull(victim, "an instance other than the detection owner owns routers: " + v);
        progress("(b) kill -9 %s, owner of partitions %s: routers %s", victim.name(), v.partitions(victim), routers);
        long killed = System.nanoTime();
        victim.kill();
        live.remove(victim);
        View after = awaitStable("two instances after the kill -9");
        progress("(b) partitions reassigned %.1f s after the kill: %s", secondsSince(killed), after);
        Map<String, String> digests = awaitDigestsOnOwners("(b)");
        progress("(b) passed: every router's digest on its owner equals the reference %.1f s after the kill "
                + "(moved: %s)", secondsSince(killed), new TreeSet<>(routers));
        assertTrue(digests.keySet().containsAll(routers));
    }

    // ------------------------------------------------------------------ (c)

    @Test
    @Order(4)
    void c_rollingRestartOfAllThreeDuringACut_losesAndDuplicatesNothing() throws Exception {
        ensureThree();
        quiesce("(c)");
        int mark = hook.size();
        long outboxMark = maxOutboxId();
        JsonNode accepted = scenario("circuit-cut", ROLLING_CUT, "25s");
        Instant cutStart = Instant.parse(accepted.path("start").asText());
        progress("(c) cut %s (25 s) started; rolling restart of %s", ROLLING_CUT, live);
        for (PackagedService old : List.copyOf(live)) {
            long t = System.nanoTime();
            old.stop(Duration.ofSeconds(60));
            live.remove(old);
            PackagedService next = launch();
            next.awaitReady(Duration.ofSeconds(150));
            View v = awaitStable("three instances after restarting " + old.name());
            progress("(c) %s replaced by %s in %.1f s (+%.1f s into the cut): %s", old.name(), next.name(),
                    secondsSince(t), secondsSince(cutStart), v);
        }
        awaitScenarioResolved(accepted);
        Map<String, Integer> notified = assertEveryNotificationOnce("(c)", mark, outboxMark,
                List.of(new Expected("CircuitDown", "circuit", ROLLING_CUT)), cutStart);
        awaitDigestsOnOwners("(c)");
        progress("(c) passed: %s", notified);
    }

    // ------------------------------------------------------------------ (d)

    @Test
    @Order(5)
    void d_theSameCallOnEachInstanceGivesTheSameAnswerForEveryRouter() throws Exception {
        View v = ensureThree();
        Map<String, String> expected = awaitDigestsOnOwners("(d)");
        Map<String, Map<String, String>> differing = new TreeMap<>();
        for (String router : expected.keySet()) {
            Map<String, String> digests = new LinkedHashMap<>();
            Map<String, String> peers = new LinkedHashMap<>();
            for (PackagedService s : v.instances()) {
                digests.put(s.name(), digest(s, router));
                peers.put(s.name(), peers(s, router));
            }
            Set<String> distinctPeers = new TreeSet<>(peers.values());
            if (!digests.values().stream().allMatch(expected.get(router)::equals) || distinctPeers.size() != 1) {
                Map<String, String> row = new LinkedHashMap<>();
                digests.forEach((name, d) -> row.put(name, shortDigest(d) + ", peers "
                        + (distinctPeers.size() == 1 ? "same" : peers.get(name).length() > 60
                                ? peers.get(name).substring(0, 60) + "..." : peers.get(name))));
                differing.put(router + " (owner " + v.ownerOf(reference.partition(router)).name() + ", reference "
                        + shortDigest(expected.get(router)) + ")", row);
            }
        }
        differing.forEach((r, row) -> progress("(d) %s: %s", r, row));
        assertTrue(differing.isEmpty(), differing.size() + " of " + expected.size()
                + " routers get different answers to GET /api/v1/routers/{router}/digest and /peers from the "
                + "instances: " + differing);
    }

    // ------------------------------------------------------------------ the group

    /** The cluster as the members publish it (live instances only), and which instance owns detection. */
    record View(Map<PackagedService, List<Integer>> members, PackagedService owner) {
        List<PackagedService> instances() {
            return List.copyOf(members.keySet());
        }

        List<Integer> partitions(PackagedService s) {
            return members.get(s);
        }

        PackagedService ownerOf(int partition) {
            return members.entrySet().stream().filter(e -> e.getValue().contains(partition)).map(Map.Entry::getKey)
                    .findFirst().orElseThrow(() -> new AssertionError("no member owns partition " + partition));
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            members.forEach((s, ps) -> b.append(b.length() > 0 ? ", " : "").append(s.name()).append(ps)
                    .append(s == owner ? " (detection owner)" : ""));
            return b.toString();
        }
    }

    /**
     * Waits until the live instances are the members {@code GET /api/v1/cluster} lists, each input
     * partition is owned by exactly one of them, and exactly one owns detection (its row and its
     * {@code meshwatch_detect_owner} agree, the others' gauges are 0).
     */
    private View awaitStable(String what) throws Exception {
        String[] last = {"no answer"};
        return poll("a stable group of " + what, WAIT, () -> {
            List<PackagedService> instances = List.copyOf(live);
            assertRunning();
            JsonNode cluster = json.readTree(instances.get(0).body("/api/v1/cluster"));
            Map<String, PackagedService> byUrl = new HashMap<>();
            instances.forEach(s -> byUrl.put(s.base(), s));
            Map<PackagedService, List<Integer>> members = new LinkedHashMap<>();
            List<PackagedService> owners = new ArrayList<>();
            for (JsonNode m : cluster.path("members")) {
                PackagedService s = byUrl.get(m.path("url").asText());
                if (s == null) {
                    last[0] = "a member that is gone is still listed: " + m;
                    return null;
                }
                List<Integer> ps = new ArrayList<>();
                m.path("partitions").path(bgp).forEach(p -> ps.add(p.asInt()));
                List<Integer> tps = new ArrayList<>();
                m.path("partitions").path(telemetry).forEach(p -> tps.add(p.asInt()));
                if (!ps.equals(tps)) {
                    last[0] = s.name() + " owns BGP partitions " + ps + " but telemetry partitions " + tps;
                    return null;
                }
                members.put(s, ps);
                if (m.path("detectionOwner").asBoolean()) {
                    owners.add(s);
                }
            }
            List<Integer> owned = members.values().stream().flatMap(List::stream).sorted().toList();
            List<Integer> every = java.util.stream.IntStream.range(0, PARTITIONS).boxed().toList();
            int share = members.values().stream().mapToInt(List::size).min().orElse(0);
            if (members.size() != instances.size() || !owned.equals(every) || owners.size() != 1
                    || share < PARTITIONS / instances.size()) {
                last[0] = "members " + members.keySet() + " of " + instances + ", partitions " + owned
                        + ", detection owners " + owners;
                return null;
            }
            for (PackagedService s : instances) {
                if (s.metric(OWNER) != (s == owners.get(0) ? 1.0 : 0.0)) {
                    last[0] = s.name() + " has " + OWNER + " " + s.metric(OWNER);
                    return null;
                }
            }
            return new View(members, owners.get(0));
        }, () -> last[0]);
    }

    // ------------------------------------------------------------------ route tables

    /**
     * Waits until every router's digest, asked of the instance owning its partition, equals the
     * reference's (built from every BGP event on the topic now); returns the reference digests.
     */
    private Map<String, String> awaitDigestsOnOwners(String phase) throws Exception {
        long t = System.nanoTime();
        Map<String, String> expected = reference.digests();
        assertEquals(ROUTERS, expected.size(), "the simulator's routers all sent BGP events: " + expected.keySet());
        Map<String, String> actual = new TreeMap<>();
        Map<String, String> owners = new TreeMap<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            View v = awaitStable("instances answering for their routers");
            for (String router : expected.keySet()) {
                PackagedService owner = v.ownerOf(reference.partition(router));
                owners.put(router, owner.name());
                actual.put(router, digest(owner, router));
            }
            if (actual.equals(expected)) {
                progress("%s every router's digest on its owner equals the reference (%.1f s): %s", phase,
                        secondsSince(t), owners);
                return expected;
            }
            if (System.nanoTime() > deadline) {
                Map<String, String> wrong = new TreeMap<>();
                expected.forEach((r, d) -> {
                    if (!d.equals(actual.get(r))) {
                        wrong.put(r + " on " + owners.get(r), shortDigest(actual.get(r)) + " instead of "
                                + shortDigest(d));
                    }
                });
                assertEquals(Map.of(), wrong, phase + ": digests of the routers on their owners that differ from the "
                        + "reference after " + WAIT.toSeconds() + " s");
            }
            Thread.sleep(250);
            expected = reference.digests();
        }
    }

    private String digest(PackagedService s, String router) {
        try {
            HttpResponse<String> r = s.get("/api/v1/routers/" + router + "/digest");
            return r.statusCode() == 200 ? json.readTree(r.body()).path("digest").asText() : "HTTP " + r.statusCode();
        } catch (IOException e) {
            return "unreachable";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code GET /api/v1/routers/{router}/peers} without {@code sinceSeconds} (which the clock moves). */
    private String peers(PackagedService s, String router) {
        try {
            HttpResponse<String> r = s.get("/api/v1/routers/" + router + "/peers");
            if (r.statusCode() != 200) {
                return "HTTP " + r.statusCode();
            }
            JsonNode peers = json.readTree(r.body());
            peers.forEach(p -> ((ObjectNode) p).remove("sinceSeconds"));
            return peers.toString();
        } catch (IOException e) {
            return "unreachable";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String shortDigest(String d) {
        return d == null ? "none" : d.length() > 12 && !d.contains(" ") ? d.substring(0, 12) : d;
    }

    /**
     * The route tables built in this JVM from every event of the BGP topic, as the service builds
     * them ({@link RibService}, no stop), and which partition each router's events are in.
     */
    static final class Reference implements AutoCloseable {
        private final String topic;
        private final RibService rib = new RibService(Clock.systemUTC(), new SimpleMeterRegistry());
        private final EventCodec codec = new EventCodec(new ObjectMapper());
        private final Map<String, Integer> partitionOf = new ConcurrentHashMap<>();
        private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
        private final List<TopicPartition> partitions = new ArrayList<>();
        private final Thread thread;
        private volatile boolean running = true;
        private volatile Throwable failure;

        Reference(String topic) {
            this.topic = topic;
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(topic, p));
            }
            thread = new Thread(this::consume, "cluster-proof-reference");
            thread.setDaemon(true);
            thread.start();
        }

        private static KafkaConsumer<String, byte[]> consumer() {
            Properties p = new Properties();
            p.put("bootstrap.servers", KafkaBroker.bootstrap());
            p.put("enable.auto.commit", "false");
            return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        }

        private void consume() {
            try (KafkaConsumer<String, byte[]> c = consumer()) {
                c.assign(partitions);
                c.seekToBeginning(partitions);
                while (running) {
                    var records = c.poll(Duration.ofMillis(200));
                    synchronized (rib) {
                        for (ConsumerRecord<String, byte[]> r : records) {
                            CanonicalEvent e;
                            try {
                                e = codec.decode(r.value(), EventType.Family.BGP);
                            } catch (RejectedRecordException bad) {
                                continue; // the service sends it to the dead-letter topic
                            }
                            rib.apply(List.of(e));
                            partitionOf.put(r.key(), r.partition());
                        }
                    }
                    for (TopicPartition tp : partitions) {
                        positions.put(tp, c.position(tp));
                    }
                }
            } catch (RuntimeException | Error e) {
                failure = e;
            }
        }

        /** The digest of every router's table once this has read everything on the topic now. */
        Map<String, String> digests() throws InterruptedException {
            Map<TopicPartition, Long> end;
            try (KafkaConsumer<String, byte[]> c = consumer()) {
                end = c.endOffsets(partitions, Duration.ofSeconds(10));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (end.entrySet().stream().anyMatch(e -> positions.getOrDefault(e.getKey(), 0L) < e.getValue())) {
                assertTrue(failure == null, () -> "the reference consumer failed: " + failure);
                assertTrue(System.nanoTime() < deadline, () -> "the reference read " + topic + " to " + end
                        + " within 30 s; it is at " + positions);
                Thread.sleep(50);
            }
            Map<String, String> out = new TreeMap<>();
            synchronized (rib) {
                for (String r : rib.routers()) {
                    rib.table(r).ifPresent(t -> out.put(r, RibSnapshot.digest(t)));
                }
            }
            return out;
        }

        int partition(String router) {
            Integer p = partitionOf.get(router);
            assertNotNull(p, "the reference has seen events of " + router);
            return p;
        }

        /** The partitions holding routers' events. */
        Set<Integer> partitions() {
            return new TreeSet<>(partitionOf.values());
        }

        Set<String> routersIn(List<Integer> ps) {
            Set<String> out = new TreeSet<>();
            partitionOf.forEach((r, p) -> {
                if (ps.contains(p)) {
                    out.add(r);
                }
            });
            return out;
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5_000);
        }
    }

    // ------------------------------------------------------------------ notifications

    /**
     * One POST the receiver got; {@code count} is the alert's raise count when it was sent, from the
     * key {@code <fingerprint>-<count>-<firing|resolved>-<receiver>} (repeats count too, so a resolve
     * after repeats has a higher count than its firing).
     */
    record Note(String key, String fingerprint, long count, String status, String alertname,
                Map<String, String> labels) {
    }

    /** The webhook receiver: a real HTTP server that records every POST. */
    static final class Hook {
        private final List<Note> notes = Collections.synchronizedList(new ArrayList<>());
        private final ObjectMapper json = new ObjectMapper();

        int start(Vertx vertx) throws Exception {
            HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
                record(req.getHeader("Idempotency-Key"), b.toString(StandardCharsets.UTF_8));
                req.response().end();
            }));
            return server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
                    .actualPort();
        }

        private void record(String key, String body) {
            try {
                JsonNode alert = json.readTree(body).path("alerts").path(0);
                String fp = alert.path("fingerprint").asText();
                Map<String, String> labels = new TreeMap<>();
                alert.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
                long count = key != null && key.startsWith(fp + "-") ? Long.parseLong(key.substring(fp.length() + 1)
                        .split("-")[0]) : -1;
                notes.add(new Note(key, fp, count, alert.path("status").asText(), labels.get("alertname"), labels));
            } catch (IOException | RuntimeException e) {
                notes.add(new Note(key, "?", -1, "unreadable: " + body, "?", Map.of()));
            }
        }

        int size() {
            return notes.size();
        }

        List<Note> since(int mark) {
            synchronized (notes) {
                return List.copyOf(notes.subList(mark, notes.size()));
            }
        }

        List<Note> all() {
            return since(0);
        }
    }

    /** An alert expected to fire and resolve in a phase: one firing and one resolved notification. */
    record Expected(String alertname, String label, String value) {
        boolean matches(Note n) {
            return alertname.equals(n.alertname()) && value.equals(n.labels().get(label));
        }
    }

    /**
     * Waits until the outbox rows written for the receiver since {@code outboxMark} have all been
     * sent and the expected alerts' firing and resolved notifications arrived, then (after 2 s in
     * which a second copy would arrive) asserts: no {@code Idempotency-Key} received in the phase was
     * received twice, ever;
     * the keys received since {@code mark} are those of the rows, each delivered; each expected alert
     * got one firing and one resolved; and every firing of the phase was resolved once.
     */
    private Map<String, Integer> assertEveryNotificationOnce(String phase, int mark, long outboxMark,
            List<Expected> expected, Instant since) throws Exception {
        String[] last = {""};
        pollOrNull(Duration.ofSeconds(30), () -> {
            Map<String, String> rows = outbox(outboxMark);
            List<Note> notes = hook.since(mark);
            boolean sent = rows.values().stream().noneMatch("pending"::equals);
            boolean arrived = expected.stream().allMatch(x -> notes.stream().anyMatch(n -> x.matches(n)
                    && "firing".equals(n.status())) && notes.stream().anyMatch(n -> x.matches(n)
                    && "resolved".equals(n.status())));
            last[0] = rows.size() + " outbox rows (" + rows.values().stream().filter("pending"::equals).count()
                    + " pending), " + notes.size() + " received";
            return sent && arrived ? Boolean.TRUE : null;
        });
        Thread.sleep(2000); // not an assertion: a duplicate delivery would arrive in this time
        List<Note> notes = hook.since(mark);
        Map<String, Integer> byKind = new TreeMap<>();
        notes.forEach(n -> byKind.merge(n.alertname() + " " + n.status(), 1, Integer::sum));
        progress("%s received since %s: %s (%s)", phase, since, byKind, last[0]);

        Set<String> keys = new TreeSet<>();
        notes.forEach(n -> keys.add(n.key()));
        Map<String, Integer> twice = new TreeMap<>();
        hook.all().forEach(n -> {
            if (keys.contains(n.key())) {
                twice.merge(n.key(), 1, Integer::sum);
            }
        });
        twice.values().removeIf(n -> n == 1);
        assertEquals(Map.of(), twice, phase + ": Idempotency-Keys of the phase received more than once (ever)");

        Map<String, String> rows = outbox(outboxMark);
        Map<String, String> undelivered = new TreeMap<>(rows);
        undelivered.values().removeIf("delivered"::equals);
        assertEquals(Map.of(), undelivered, phase + ": outbox rows of the receiver not delivered");
        Set<String> received = new TreeSet<>();
        notes.forEach(n -> received.add(n.key()));
        assertEquals(new TreeSet<>(rows.keySet()), received, phase + ": the keys received are those of the outbox rows");

        for (Expected x : expected) {
            for (String status : List.of("firing", "resolved")) {
                List<String> sent = notes.stream().filter(n -> x.matches(n) && status.equals(n.status()))
                        .map(Note::key).toList();
                assertEquals(1, sent.size(), phase + ": " + x + " " + status + " notifications: " + sent + "; all: "
                        + byKind);
            }
        }
        // each alert notified in the phase: firing, resolved, firing, resolved... in raise-count order, ending
        // resolved (the network is whole again): no firing twice, no resolve twice, none left firing
        Map<String, List<Note>> byAlert = new TreeMap<>();
        hook.all().forEach(n -> byAlert.computeIfAbsent(n.alertname() + " " + n.labels(), k -> new ArrayList<>()).add(n));
        Map<String, List<String>> broken = new TreeMap<>();
        byAlert.forEach((alert, ns) -> {
            if (ns.stream().noneMatch(notes::contains)) {
                return;
            }
            List<Note> ordered = ns.stream().sorted(java.util.Comparator.comparingLong(Note::count)
                    .thenComparing(n -> "resolved".equals(n.status()))).toList();
            List<String> seq = ordered.stream().map(n -> n.status() + "@" + n.count()).toList();
            for (int i = 0; i < ordered.size(); i++) {
                if (!ordered.get(i).status().equals(i % 2 == 0 ? "firing" : "resolved") || ordered.size() % 2 != 0) {
                    broken.put(alert, seq);
                }
            }
        });
        assertEquals(Map.of(), broken, phase + ": alerts whose notifications are not firing, resolved, firing, "
                + "resolved... ending resolved, though the network is whole again");
        return byKind;
    }

    /** Outbox rows of the receiver after {@code afterId}: idempotency key to status. */
    /**
     * Before a phase takes its marks: waits until no notification to the receiver is pending, so that
     * one written before the phase is not delivered inside it (the phase counts the rows written after
     * its outbox mark against the keys received after its receiver mark).
     */
    private void quiesce(String phase) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (outbox(0).containsValue("pending")) {
            assertTrue(System.nanoTime() < deadline, phase + ": notifications from before the phase still pending "
                    + "after 60 s: " + outbox(0));
            Thread.sleep(200);
        }
        Thread.sleep(500); // a delivery under way when its row was last seen pending lands now
    }

    private Map<String, String> outbox(long afterId) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(LocalPostgres.jdbcUrl(), "meshwatch", "meshwatch");
             PreparedStatement st = c.prepareStatement("SELECT idempotency_key, status FROM outbox WHERE receiver = ? "
                     + "AND id > ?")) {
            st.setString(1, receiver);
            st.setLong(2, afterId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    private long maxOutboxId() throws Exception {
        try (Connection c = DriverManager.getConnection(LocalPostgres.jdbcUrl(), "meshwatch", "meshwatch");
             PreparedStatement st = c.prepareStatement("SELECT coalesce(max(id), 0) FROM outbox");
             ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    // ------------------------------------------------------------------ alerts, incidents, scenarios

    /** The alert of this name with this label (PostgreSQL, through {@code s}); null while there is none. */
    private JsonNode alert(PackagedService s, String name, String label, String value) throws Exception {
        JsonNode items = json.readTree(s.body("/api/v1/alerts?type=" + name + "&limit=500")).path("items");
        for (JsonNode a : items) {
            if (value.equals(a.path("labels").path(label).asText())) {
                return a;
            }
        }
        return null;
    }

    /** Incidents on {@code s} opened at or after {@code since} whose root has this name and label. */
    private List<JsonNode> incidents(PackagedService s, String status, String root, String label, String value,
                                     Instant since) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode i : json.readTree(s.body("/api/v1/incidents?status=" + status + "&limit=500"))) {
            if (!"merged".equals(i.path("status").asText()) && root.equals(i.path("root").path("name").asText())
                    && value.equals(i.path("root").path("labels").path(label).asText())
                    && !Instant.parse(i.path("openedAt").asText()).isBefore(since)) {
                out.add(i);
            }
        }
        return out;
    }

    /** Starts a scenario on the simulator; its 202 answer. */
    private JsonNode scenario(String name, String target, String duration) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(sim.url() + "/api/v1/sim/scenarios/" + name))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"target\": \"" + target + "\", \"duration\": \"" + duration + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, r.statusCode(), r.body());
        return json.readTree(r.body());
    }

    /** Waits until the simulator has played the whole scenario (the network is restored). */
    private void awaitScenarioResolved(JsonNode accepted) throws Exception {
        String id = accepted.path("id").asText();
        Duration wait = Duration.between(Instant.now(), Instant.parse(accepted.path("end").asText())).plus(WAIT);
        poll("scenario " + id + " resolved", wait, () -> {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(sim.url()
                    + "/api/v1/sim/scenarios/runs/" + id)).build(), HttpResponse.BodyHandlers.ofString());
            return "resolved".equalsIgnoreCase(json.readTree(r.body()).path("state").asText()) ? Boolean.TRUE : null;
        });
    }

    // ------------------------------------------------------------------ polling

    @FunctionalInterface
    interface Probe<T> {
        /** The value once the condition holds, else null. */
        T get() throws Exception;
    }

    @FunctionalInterface
    interface Metric {
        double get(String series) throws Exception;
    }

    /** Polls until {@code probe} gives a value; fails after {@code wait} saying what was awaited. */
    private static <T> T poll(String what, Duration wait, Probe<T> probe) throws Exception {
        return poll(what, wait, probe, () -> "");
    }

    private static <T> T poll(String what, Duration wait, Probe<T> probe, java.util.function.Supplier<String> why)
            throws Exception {
        T value = pollOrNull(wait, probe);
        assertNotNull(value, () -> "not within " + wait.toSeconds() + " s: " + what + ". " + why.get());
        return value;
    }

    /** Polls until {@code probe} gives a value, for at most {@code wait}; null if it never did. */
    private static <T> T pollOrNull(Duration wait, Probe<T> probe) throws Exception {
        long deadline = System.nanoTime() + Math.max(0, wait.toNanos());
        while (true) {
            T value;
            try {
                value = probe.get();
            } catch (IOException e) {
                value = null; // an instance restarting
            }
            if (value != null || System.nanoTime() > deadline) {
                return value;
            }
            Thread.sleep(200);
        }
    }

    private static double quietly(Probe<Double> probe) throws InterruptedException {
        try {
            return probe.get();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    private static double quietly(Metric metric, String series) throws InterruptedException {
        return quietly(() -> metric.get(series));
    }

    private double secondsSince(long nanoTime) {
        return (System.nanoTime() - nanoTime) / 1e9;
    }

    private static double secondsSince(Instant t) {
        return Duration.between(t, Instant.now()).toMillis() / 1000.0;
    }

    private void progress(String format, Object... args) {
        System.out.printf("[proof] %6.1f s %s%n", (System.nanoTime() - began) / 1e9, String.format(format, args));
    }
}
