package io.meshwatch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.cluster.ClusterView;
import io.meshwatch.event.EventCodec;
import io.meshwatch.history.PastTables;
import io.meshwatch.history.PrefixHistory;
import io.meshwatch.mrt.TableDumpEncoder;
import io.meshwatch.platform.MeshwatchConfig;
import io.meshwatch.rib.PartitionSnapshot;
import io.meshwatch.rib.RibService;
import io.meshwatch.rib.RibService.RouterImage;
import io.meshwatch.rib.SnapshotStore;
import io.meshwatch.routing.Prefix;
import io.meshwatch.routing.RouteTable;
import io.meshwatch.sim.SyntheticTable;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgPool;
import io.vertx.sqlclient.PoolOptions;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.flywaydb.core.Flyway;

/**
 * Figures of the routing history (issue 19), in one run on one machine, each with a peer measured in
 * the same run: {@code bin/bench history}.
 *
 * <ul>
 *   <li>{@code routes?at=} of a full-table router (the synthetic 2.5M-path table as a stored snapshot)
 *       with 0, half and all of {@code CHURN} records after the snapshot to replay, against a plain
 *       snapshot restore (load the row, decode it);</li>
 *   <li>the history of a prefix with 10,000 changes, against the same replay without collecting;</li>
 *   <li>the MRT export of the full table (paths/s), against bgpdump reading the same file;</li>
 *   <li>bytes: the full table's snapshot row, a BGP record on the broker's disk.</li>
 * </ul>
 * Uses an in-process broker (4 partitions) and the PostgreSQL database {@code E2E_DB_NAME}
 * (migrated here with Flyway). Arguments: {@code runs churn} (default 3 100000).
 */
public final class HistoryBench {

    private static final String TOPIC = ScratchKafka.TOPIC;
    private static final Instant T = SyntheticTable.TIME;

    private HistoryBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int churn = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        String db = System.getenv().getOrDefault("E2E_DB_NAME", "meshwatch_bench");
        Flyway.configure().dataSource("jdbc:postgresql://127.0.0.1:5432/" + db, "meshwatch", "meshwatch")
                .locations("classpath:db/migration").load().migrate();
        Vertx vertx = Vertx.vertx();
        PgPool raw = PgPool.pool(vertx, new PgConnectOptions().setHost("127.0.0.1").setPort(5432).setDatabase(db)
                .setUser("meshwatch").setPassword("meshwatch"), new PoolOptions().setMaxSize(4));
        io.vertx.mutiny.sqlclient.Pool pool = io.vertx.mutiny.sqlclient.Pool.newInstance(raw);
        pool.query("DELETE FROM rib_snapshot_history WHERE topic = '" + TOPIC + "'").execute()
                .await().atMost(Duration.ofSeconds(30));
        pool.query("DELETE FROM rib_snapshot WHERE topic = '" + TOPIC + "'").execute().await().atMost(Duration.ofSeconds(30));
        SnapshotStore store = new SnapshotStore(pool, true, Duration.ofHours(1), Duration.ofDays(1), 48);
        Path out = ServiceProcess.LOGS;
        Files.createDirectories(out);
        System.out.printf("machine: %d cores, load %s%n", Runtime.getRuntime().availableProcessors(),
                Files.readString(Path.of("/proc/loadavg")).trim());

        try (ScratchKafka kafka = ScratchKafka.start()) {
            String full = SyntheticTable.ROUTER;
            int partition = ClusterView.partitionOf(full, 4);
            String small = "bench-prefix-history";
            for (int i = 0; ClusterView.partitionOf(small, 4) == partition; i++) {
                small = "bench-prefix-history-" + i;
            }
            Properties consumer = new Properties();
            consumer.put("bootstrap.servers", kafka.bootstrapServers());
            PastTables past = new PastTables(store, new RibService(Clock.systemUTC(), new SimpleMeterRegistry()),
                    Clock.systemUTC(), new EventCodec(new ObjectMapper()), TOPIC, () -> consumer, limits(),
                    Duration.ofSeconds(60));

            // ---------------------------------------------------------------- the full table as a snapshot
            SyntheticTable s = SyntheticTable.fullTable();
            RibService live = new RibService(Clock.systemUTC(), new SimpleMeterRegistry());
            live.apply(List.of(new io.meshwatch.event.PeerStateEvent(full, T, "default", "10.0.0.1", 65001, 64512L,
                    io.meshwatch.event.BgpState.ESTABLISHED, "bench"), new io.meshwatch.event.PeerStateEvent(full, T,
                    "default", "10.0.0.2", 65002, 64512L, io.meshwatch.event.BgpState.ESTABLISHED, "bench")));
            for (int u = 0; u < s.updateCount(); u++) {
                live.apply(List.of(s.event(u)));
            }
            RouteTable table = live.table(full).orElseThrow();
            long paths = PartitionSnapshot.paths(table);
            List<RouterImage> images = live.capture(List.of(full));
            PartitionSnapshot.Encoded enc = PartitionSnapshot.encode(images);
            Instant snapshotAt = Instant.now();
            store.save(TOPIC, partition, 0, snapshotAt, enc).await().atMost(Duration.ofMinutes(2));
            long rowBytes = pool.query("SELECT pg_column_size(data) AS b FROM rib_snapshot_history WHERE topic = '"
                    + TOPIC + "'").execute().await().atMost(Duration.ofSeconds(30)).iterator().next().getLong("b");
            System.out.printf("snapshot: %d paths, %d bytes deflated (%d raw), row data %d bytes%n", paths,
                    enc.data().length, enc.rawBytes(), rowBytes);
            Thread.sleep(20);

            // ---------------------------------------------------------------- churn after it, and a prefix's 10,000 changes
            Properties pp = new Properties();
            pp.put("bootstrap.servers", kafka.bootstrapServers());
            pp.put("key.serializer", StringSerializer.class.getName());
            pp.put("value.serializer", StringSerializer.class.getName());
            pp.put("linger.ms", "5");
            pp.put("acks", "1");
            Instant half;
            long valueBytes = 0;
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(pp)) {
                Instant mid = null;
                for (int i = 0; i < churn; i++) {
                    Prefix p = s.prefix(i * 7 % s.ipv4Prefixes());
                    String v = flap(full, i % 2 == 0 ? "10.0.0.1" : "10.0.0.2", i % 2 == 0 ? 65001 : 65002, p, (i / 2) % 2 == 0);
                    valueBytes += v.length();
                    var sent = producer.send(new ProducerRecord<>(TOPIC, full, v));
                    if (i == churn / 2) {
                        RecordMetadata m = sent.get(30, TimeUnit.SECONDS);
                        mid = Instant.ofEpochMilli(m.timestamp());
                    }
                }
                half = mid;
                // the small router: 100 prefixes, then 10,000 changes of one of them
                producer.send(new ProducerRecord<>(TOPIC, small, peerUp(small, "10.9.0.1", 65101))).get();
                producer.send(new ProducerRecord<>(TOPIC, small, peerUp(small, "10.9.0.2", 65102))).get();
                for (int i = 0; i < 100; i++) {
                    producer.send(new ProducerRecord<>(TOPIC, small, flap(small, "10.9.0.2", 65102,
                            Prefix.parse("10.77." + i + ".0/24"), true)));
                }
                for (int i = 0; i < 10_000; i++) {
                    producer.send(new ProducerRecord<>(TOPIC, small, flap(small, "10.9.0.1", 65101,
                            Prefix.parse("10.77.5.0/24"), i % 2 == 0)));
                }
                producer.flush();
            }
            Thread.sleep(20);
            Instant now = Instant.now();
            long diskBytes = dirSize(kafka.broker().dataDir().resolve(TOPIC + "-" + partition));
            System.out.printf("churn: %d records of %s-%d, %.0f bytes of JSON per record, partition on disk %d bytes "
                    + "(%.0f bytes per record)%n", churn, TOPIC, partition,
                    (double) valueBytes / churn, diskBytes, (double) diskBytes / churn);

            // ---------------------------------------------------------------- routes?at= against a snapshot restore
            List<Double> restore = new ArrayList<>();
            List<Double> at0 = new ArrayList<>();
            List<Double> atHalf = new ArrayList<>();
            List<Double> atAll = new ArrayList<>();
            Instant justAfterSnapshot = snapshotAt.plusMillis(5);
            for (int r = 0; r < runs; r++) {
                long t0 = System.nanoTime();
                SnapshotStore.Stored row = store.atOrBefore(TOPIC, partition, 0).await().atMost(Duration.ofMinutes(1))
                        .orElseThrow();
                List<RouterImage> back = PartitionSnapshot.decode(row.data(), Clock.systemUTC());
                restore.add(secs(t0));
                check(back.get(0).table(), paths);
                at0.add(timed(() -> check(past.at(SyntheticTable.ROUTER, justAfterSnapshot).table(), paths)));
                atHalf.add(timed(() -> check(past.at(SyntheticTable.ROUTER, half).table(), -1)));
                atAll.add(timed(() -> check(past.at(SyntheticTable.ROUTER, now).table(), -1)));
                System.out.printf("run %d: restore %.2f s, at (0 records) %.2f s, at (%d records) %.2f s, at (%d records) "
                        + "%.2f s%n", r + 1, restore.get(r), at0.get(r), churn / 2, atHalf.get(r), churn, atAll.get(r));
            }

            // ---------------------------------------------------------------- prefix history, 10,000 changes
            List<Double> history = new ArrayList<>();
            List<Double> plain = new ArrayList<>();
            String router = small;
            for (int r = 0; r < runs; r++) {
                PrefixHistory h = new PrefixHistory(router, "", Prefix.parse("10.77.5.0/24"), 20_000);
                long t0 = System.nanoTime();
                past.replay(router, Instant.EPOCH, Instant.now(), h::attach, h::event);
                history.add(secs(t0));
                if (h.changes().size() < 10_000) {
                    throw new IllegalStateException("only " + h.changes().size() + " changes");
                }
                plain.add(timed(() -> past.at(router, Instant.now())));
                System.out.printf("run %d: history of a prefix (%d changes listed) %.3f s, same replay without "
                        + "collecting %.3f s%n", r + 1, h.changes().size(), history.get(r), plain.get(r));
            }

            // ---------------------------------------------------------------- MRT export against bgpdump
            Path file = out.resolve("history-full.mrt");
            List<Double> export = new ArrayList<>();
            List<Double> bgpdump = new ArrayList<>();
            long exported = 0;
            for (int r = 0; r < runs; r++) {
                long t0 = System.nanoTime();
                try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
                    exported = TableDumpEncoder.write(table, "", full, T, o).paths();
                }
                export.add(secs(t0));
                t0 = System.nanoTime();
                Process p = new ProcessBuilder("bgpdump", "-m", file.toString())
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("bgpdump exited with " + p.exitValue());
                }
                bgpdump.add(secs(t0));
                System.out.printf("run %d: export %d paths (%d bytes) %.2f s, bgpdump -m of the file %.2f s%n", r + 1,
                        exported, Files.size(file), export.get(r), bgpdump.get(r));
            }
            System.out.printf("RESULT history_at_snapshot_restore_s=%.2f history_at_0_records_s=%.2f "
                            + "history_at_%d_records_s=%.2f history_at_%d_records_s=%.2f%n", median(restore), median(at0),
                    churn / 2, median(atHalf), churn, median(atAll));
            System.out.printf("RESULT history_prefix_10000_changes_s=%.3f history_same_replay_plain_s=%.3f%n",
                    median(history), median(plain));
            System.out.printf("RESULT mrt_export_paths_per_s=%.0f bgpdump_read_paths_per_s=%.0f mrt_file_bytes=%d%n",
                    exported / median(export), exported / median(bgpdump), Files.size(file));
            System.out.printf("RESULT snapshot_full_table_bytes=%d kafka_bytes_per_record=%.0f json_bytes_per_record=%.0f%n",
                    enc.data().length, (double) diskBytes / churn, (double) valueBytes / churn);
            Files.deleteIfExists(file);
        } finally {
            vertx.close();
        }
    }

    private static MeshwatchConfig.Rib.History limits() {
        return new MeshwatchConfig.Rib.History() {
            public boolean enabled() {
                return true;
            }

            public Duration interval() {
                return Duration.ofHours(1);
            }

            public Duration keepFor() {
                return Duration.ofDays(1);
            }

            public int keep() {
                return 48;
            }

            public long maxPaths() {
                return 10_000_000;
            }

            public long maxRecords() {
                return 10_000_000;
            }

            public Duration readTimeout() {
                return Duration.ofMinutes(5);
            }

            public Duration sessionsKeepFor() {
                return Duration.ofDays(90);
            }
        };
    }

    private static RouteTable check(RouteTable t, long paths) {
        if (t == null || (paths >= 0 && PartitionSnapshot.paths(t) != paths)) {
            throw new IllegalStateException("rebuilt table has " + (t == null ? 0 : PartitionSnapshot.paths(t))
                    + " paths, expected " + paths);
        }
        return t;
    }

    private static String flap(String router, String peer, long peerAs, Prefix p, boolean announce) {
        String nlri = "\"" + p + "\"";
        return "{\"version\":1,\"type\":\"bgp.update\",\"router\":\"" + router + "\",\"time\":\"" + T
                + "\",\"payload\":{\"peer\":\"" + peer + "\",\"peer_as\":" + peerAs + ",\"attributes\":{\"origin\":\"igp\","
                + "\"as_path\":[" + peerAs + ",3356,13335],\"next_hop\":\"" + peer + "\"},\"announce\":["
                + (announce ? nlri : "") + "],\"withdraw\":[" + (announce ? "" : nlri) + "]}}";
    }

    private static String peerUp(String router, String peer, long peerAs) {
        return "{\"version\":1,\"type\":\"bgp.peer_state\",\"router\":\"" + router + "\",\"time\":\"" + T
                + "\",\"payload\":{\"vrf\":\"default\",\"peer\":\"" + peer + "\",\"peer_as\":" + peerAs
                + ",\"local_as\":64500,\"state\":\"established\"}}";
    }

    private interface Work {
        void run() throws Exception;
    }

    private static double timed(Work w) throws Exception {
        long t0 = System.nanoTime();
        w.run();
        return secs(t0);
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    private static long dirSize(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".log"))
                    .mapToLong(f -> f.toFile().length()).sum();
        }
    }
}
