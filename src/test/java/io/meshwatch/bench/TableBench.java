package io.meshwatch.bench;

import io.meshwatch.routing.Afi;
import io.meshwatch.routing.BgpUpdate;
import io.meshwatch.routing.RouteTable;
import io.meshwatch.sim.SyntheticTable;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.Arrays;
import java.util.Locale;
import javax.management.ObjectName;

/**
 * Route-table figures outside JMH (each is a one-shot, multi-second operation), printed as
 * {@code RESULT name value} lines for {@code bin/bench}:
 * <ul>
 * <li>{@code apply RUNS}: {@code table_apply_paths_per_s}, the synthetic table's UPDATEs (built
 * beforehand) applied to a fresh {@link RouteTable} on one thread, no Kafka; median of RUNS.</li>
 * <li>{@code heap}: {@code heap_bytes_per_path}, the live heap a loaded table holds (two full tables)
 * divided by the paths it holds. Live heap is the total of a class histogram of live objects
 * (the {@code GC.class_histogram} diagnostic command, which runs a full GC first) after loading,
 * minus the same total before; the generator is dropped before the second histogram.</li>
 * </ul>
 */
public final class TableBench {

    private TableBench() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "apply";
        if (mode.equals("heap")) {
            heap();
        } else if (mode.equals("digest")) {
            digest(args.length > 1 ? Integer.parseInt(args[1]) : 3);
        } else {
            apply(args.length > 1 ? Integer.parseInt(args[1]) : 5);
        }
    }

    private static void apply(int runs) {
        SyntheticTable t = SyntheticTable.fullTable();
        BgpUpdate[] updates = new BgpUpdate[t.updateCount()];
        for (int u = 0; u < updates.length; u++) {
            updates[u] = t.update(u);
        }
        double[] rates = new double[runs];
        for (int r = 0; r < runs; r++) {
            RouteTable table = new RouteTable(SyntheticTable.LOCAL_AS, Clock.systemUTC());
            System.gc();
            long t0 = System.nanoTime();
            for (BgpUpdate u : updates) {
                table.apply(u, d -> { });
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            long paths = (long) table.pathCount(SyntheticTable.VRF, Afi.IPV4) + table.pathCount(SyntheticTable.VRF, Afi.IPV6);
            if (paths != t.pathCount()) {
                throw new IllegalStateException("table holds " + paths + " paths, expected " + t.pathCount());
            }
            rates[r] = paths / secs;
            System.out.printf(Locale.ROOT, "run %d: %d updates, %d paths in %.2f s = %.0f paths/s%n", r + 1,
                    updates.length, paths, secs, rates[r]);
        }
        System.out.printf(Locale.ROOT, "RESULT table_apply_paths_per_s %.0f%n", median(rates));
        System.out.printf(Locale.ROOT, "RESULT table_apply_runs %s%n", Arrays.toString(rates).replace(" ", ""));
    }

    /** The time and allocation of {@code GET /routers/{r}/digest}'s computation over a full table. */
    private static void digest(int runs) {
        SyntheticTable t = SyntheticTable.fullTable();
        RouteTable table = new RouteTable(SyntheticTable.LOCAL_AS, Clock.systemUTC());
        for (int u = 0; u < t.updateCount(); u++) {
            table.apply(t.update(u), d -> { });
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        double[] secs = new double[runs];
        String first = null;
        for (int r = 0; r < runs; r++) {
            System.gc();
            long allocated = threads.getCurrentThreadAllocatedBytes();
            long t0 = System.nanoTime();
            String d = io.meshwatch.routing.RibSnapshot.digest(table);
            secs[r] = (System.nanoTime() - t0) / 1e9;
            allocated = threads.getCurrentThreadAllocatedBytes() - allocated;
            if (first != null && !first.equals(d)) {
                throw new IllegalStateException("the digest changed between runs");
            }
            first = d;
            System.out.printf(Locale.ROOT, "run %d: digest of %d paths in %.2f s, %.0f MB allocated%n", r + 1,
                    t.pathCount(), secs[r], allocated / 1e6);
        }
        System.out.printf(Locale.ROOT, "RESULT table_digest_s %.2f%n", median(secs));
    }

    private static void heap() throws Exception {
        RouteTable table = new RouteTable(SyntheticTable.LOCAL_AS, Clock.systemUTC());
        SyntheticTable t = SyntheticTable.fullTable();
        table.apply(t.update(0), d -> { }); // load the routing classes before the baseline
        table.peerDown(SyntheticTable.peer(0), d -> { });
        long expected = t.pathCount();
        long before = liveHeap();
        long mxBefore = mxUsedAfterGc();
        for (int u = 0; u < t.updateCount(); u++) {
            table.apply(t.update(u), d -> { });
        }
        t = null;
        long after = liveHeap();
        long mxAfter = mxUsedAfterGc();
        long paths = (long) table.pathCount(SyntheticTable.VRF, Afi.IPV4) + table.pathCount(SyntheticTable.VRF, Afi.IPV6);
        if (paths != expected) {
            throw new IllegalStateException("table holds " + paths + " paths, expected " + expected);
        }
        int[] stats = table.internStats();
        System.out.printf(Locale.ROOT, "paths %d, prefixes v4 %d v6 %d, attribute sets %d, AS paths %d, community sets %d%n",
                paths, table.prefixCount(SyntheticTable.VRF, Afi.IPV4), table.prefixCount(SyntheticTable.VRF, Afi.IPV6),
                stats[0], stats[1], stats[2]);
        System.out.printf(Locale.ROOT, "histogram live bytes: %d -> %d (+%.1f MB); MemoryMXBean used after System.gc(): +%.1f MB%n",
                before, after, (after - before) / 1e6, (mxAfter - mxBefore) / 1e6);
        System.out.printf(Locale.ROOT, "RESULT heap_bytes_per_path %.1f%n", (double) (after - before) / paths);
        System.out.printf(Locale.ROOT, "RESULT heap_bytes_per_path_mxbean %.1f%n", (double) (mxAfter - mxBefore) / paths);
        System.out.println("keep " + table.localAs());
    }

    /** Total bytes of live objects per the class histogram (a full GC runs first). */
    static long liveHeap() throws Exception {
        String out = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        for (String line : out.split("\n")) {
            String l = line.trim();
            if (l.startsWith("Total")) {
                String[] f = l.split("\\s+");
                return Long.parseLong(f[2]);
            }
        }
        throw new IllegalStateException("no Total line in the class histogram");
    }

    private static long mxUsedAfterGc() throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
