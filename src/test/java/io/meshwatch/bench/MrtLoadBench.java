package io.meshwatch.bench;

import io.meshwatch.sim.SyntheticTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Loading one MRT TABLE_DUMP_V2 file: Meshwatch against GoBGP, on the same machine in the same run.
 * Printed as {@code RESULT name value} lines for {@code bin/bench}.
 *
 * <p>The file: peer 0 of the synthetic table ({@link SyntheticTable#ofSize}, 1.25M prefixes by
 * default, the table of {@code full_table_load_s}), written uncompressed by {@link TableDumpWriter}
 * (untimed), one RIB record per prefix in the order of the peer's UPDATEs, IPv6 entries with the
 * full MP_REACH_NLRI form. Then RUNS rounds, each timing GoBGP once and Meshwatch once:
 *
 * <ul>
 * <li>GoBGP: a fresh {@link GobgpDaemon}, then {@code gobgp mrt inject global FILE}, timed from the
 *     client's launch to its exit. GoBGP 3.10's client exits without flushing its last queued paths,
 *     so the paths the daemon holds afterwards (once the count settles) are counted and the shortfall
 *     reported as missed; the daemon is then stopped.</li>
 * <li>Meshwatch: a fresh in-process broker ({@link ScratchKafka}) and the packaged service
 *     ({@link ServiceProcess}), started and ready untimed. The clock starts when {@code bin/mrt-replay}
 *     is launched (router {@code bench-r1}, into the broker) and stops at the first poll (every 50 ms)
 *     where the service's announce counter holds every prefix of the file; {@code GET /api/v1/routers}
 *     must then report exactly that many paths, and the replay must have exited 0.</li>
 * </ul>
 *
 * <p>Results: {@code meshwatch_mrt_load_s} and {@code gobgp_mrt_load_s} (medians),
 * {@code gobgp_mrt_missed_paths} (median), {@code ratio_vs_gobgp} (GoBGP's median over Meshwatch's),
 * {@code mrt_table_paths}, and {@code *_runs} lists. Arguments: RUNS (default 3), sides ({@code both},
 * {@code gobgp}, {@code meshwatch}). Environment: {@code MRT_PREFIXES} (table size, default 1250000).
 */
public final class MrtLoadBench {

    private static final Path WORK = ServiceProcess.LOGS.resolve("mrt");
    private static final Path REPLAY = Path.of("bin/mrt-replay");

    private MrtLoadBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        String sides = args.length > 1 ? args[1] : "both";
        boolean gobgp = !sides.equals("meshwatch");
        boolean meshwatch = !sides.equals("gobgp");
        int size = Integer.parseInt(System.getenv().getOrDefault("MRT_PREFIXES", "1250000"));
        if (gobgp) {
            GobgpDaemon.requireInstalled();
        }
        if (meshwatch) {
            ServiceProcess.requireJar();
        }
        Files.createDirectories(WORK);
        TableDumpWriter.Summary file = write(size);
        long paths = file.entries();

        double[] gobgpSecs = new double[runs];
        double[] missed = new double[runs];
        double[] meshSecs = new double[runs];
        for (int r = 0; r < runs; r++) {
            // alternate the two so that both see the same swings of a shared machine
            if (gobgp) {
                GobgpRun g = runGobgp(file, "gobgpd-" + r);
                gobgpSecs[r] = g.seconds();
                missed[r] = g.missed();
            }
            if (meshwatch) {
                meshSecs[r] = runMeshwatch(file, "mrt-" + r);
            }
        }
        System.out.println("RESULT mrt_table_paths " + paths);
        if (gobgp) {
            System.out.printf(Locale.ROOT, "RESULT gobgp_mrt_load_s %.3f%n", TableBench.median(gobgpSecs));
            System.out.println("RESULT gobgp_mrt_load_s_runs " + EndToEndBench.fmt(gobgpSecs));
            System.out.printf(Locale.ROOT, "RESULT gobgp_mrt_missed_paths %.0f%n", TableBench.median(missed));
            System.out.println("RESULT gobgp_mrt_missed_paths_runs " + counts(missed));
        }
        if (meshwatch) {
            System.out.printf(Locale.ROOT, "RESULT meshwatch_mrt_load_s %.3f%n", TableBench.median(meshSecs));
            System.out.println("RESULT meshwatch_mrt_load_s_runs " + EndToEndBench.fmt(meshSecs));
        }
        if (gobgp && meshwatch) {
            System.out.printf(Locale.ROOT, "RESULT ratio_vs_gobgp %.3f%n",
                    TableBench.median(gobgpSecs) / TableBench.median(meshSecs));
        }
    }

    private static TableDumpWriter.Summary write(int size) throws Exception {
        long t0 = System.nanoTime();
        SyntheticTable table = SyntheticTable.ofSize(size);
        Path path = WORK.resolve("synthetic-peer0-" + size + ".mrt");
        TableDumpWriter.Summary s = TableDumpWriter.writeSynthetic(table, 0, path);
        System.out.printf(Locale.ROOT, "wrote %s: %d RIB records (%d IPv4, %d IPv6), one peer, %.1f MB in %.1f s "
                + "(untimed)%n", path, s.ribRecords(), s.ipv4(), s.ipv6(), s.bytes() / 1e6,
                (System.nanoTime() - t0) / 1e9);
        return s;
    }

    private record GobgpRun(double seconds, long missed) {
    }

    private static GobgpRun runGobgp(TableDumpWriter.Summary file, String name) throws Exception {
        Path dir = Files.createTempDirectory("meshwatch-gobgp");
        try (GobgpDaemon d = GobgpDaemon.start(dir, name)) {
            double secs = d.inject(file.file(), ServiceProcess.LOGS.resolve(name + "-inject.log"));
            long atExit = d.held().total();
            GobgpDaemon.Held held = d.settled();
            long missed = file.entries() - held.total();
            if (missed < 0) {
                throw new IllegalStateException("gobgpd holds " + held + ", more than the " + file.entries()
                        + " paths of the file");
            }
            System.out.printf(Locale.ROOT, "run %s: inject %.2f s = %.0f paths/s; holds %d of %d IPv4 and %d of %d "
                    + "IPv6 paths: %d missed (%d paths at the first count after the client's exit)%n", name, secs,
                    held.total() / secs, held.ipv4(), file.ipv4(), held.ipv6(), file.ipv6(), missed, atExit);
            return new GobgpRun(secs, missed);
        } finally {
            ScratchKafka.deleteTree(dir);
        }
    }

    private static double runMeshwatch(TableDumpWriter.Summary file, String name) throws Exception {
        try (ScratchKafka kafka = ScratchKafka.start();
             ServiceProcess service = ServiceProcess.start(kafka.bootstrapServers(), "mrt-service", name)) {
            Path replayLog = ServiceProcess.LOGS.resolve(name + "-replay.log");
            List<String> cmd = new ArrayList<>(List.of(REPLAY.toString(), "--bootstrap", kafka.bootstrapServers(),
                    "--router", SyntheticTable.ROUTER, file.file().toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(replayLog.toFile());
            AtomicLong replayExit = new AtomicLong();
            long t0 = System.nanoTime();
            Process replay = pb.start();
            replay.onExit().thenRun(() -> replayExit.set(System.nanoTime()));
            try {
                ServiceProcess.Progress p = service.awaitAnnounced(file.entries(), 900, () -> {
                    if (!replay.isAlive() && replay.exitValue() != 0) {
                        throw new IllegalStateException("mrt-replay exited with " + replay.exitValue() + "; see "
                                + replayLog);
                    }
                });
                double secs = (p.done() - t0) / 1e9;
                if (!replay.waitFor(60, TimeUnit.SECONDS) || replay.exitValue() != 0) {
                    throw new IllegalStateException("mrt-replay did not exit 0 after the table was complete; see "
                            + replayLog);
                }
                long held = service.requirePaths(SyntheticTable.ROUTER, file.entries());
                while (replayExit.get() == 0) {
                    Thread.sleep(1); // onExit's callback runs on another thread
                }
                System.out.printf(Locale.ROOT, "run %s: service start->ready %.1f s (untimed); replay->table complete "
                        + "%.2f s = %.0f paths/s (replay exited at %.2f s, first prefix applied at %.2f s); "
                        + "%d paths held%n", name, (service.ready() - service.launched()) / 1e9, secs, held / secs,
                        (replayExit.get() - t0) / 1e9, (p.firstSeen() - t0) / 1e9, held);
                return secs;
            } finally {
                replay.destroy();
                replay.waitFor();
            }
        }
    }

    private static String counts(double[] v) {
        StringBuilder b = new StringBuilder();
        for (double x : v) {
            b.append(b.length() == 0 ? "" : ",").append((long) x);
        }
        return b.toString();
    }
}
