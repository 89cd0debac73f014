package io.meshwatch.bench;

import io.meshwatch.rib.PartitionSnapshot;
import io.meshwatch.rib.RibService.RouterImage;
import io.meshwatch.routing.RibSnapshot;
import io.meshwatch.routing.RouteTable;
import io.meshwatch.sim.SyntheticTable;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Size and time of a route-table snapshot of the synthetic full table (1M IPv4 + 250k IPv6
 * prefixes, 2 peers): encode (deflate), decode into a new table, digest. Run by hand:
 * {@code java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.meshwatch.bench.SnapshotFigures}.
 */
public final class SnapshotFigures {

    private SnapshotFigures() {
    }

    public static void main(String[] args) throws Exception {
        SyntheticTable s = SyntheticTable.fullTable();
        RouteTable table = new RouteTable(64500, Clock.systemUTC());
        for (int u = 0; u < s.updateCount(); u++) {
            table.apply(s.update(u), d -> { });
        }
        List<RouterImage> images = List.of(new RouterImage("full", 64500L, table, Map.of()));
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            PartitionSnapshot.Encoded e = PartitionSnapshot.encode(images);
            long t1 = System.nanoTime();
            List<RouterImage> back = PartitionSnapshot.decode(e.data(), Clock.systemUTC());
            long t2 = System.nanoTime();
            String a = RibSnapshot.digest(table);
            long t3 = System.nanoTime();
            String b = RibSnapshot.digest(back.get(0).table());
            System.out.printf("paths %d: %d bytes deflated (%d raw); encode %d ms (read lock %d ms), decode %d ms, "
                            + "digest %d ms, equal %b%n", e.paths(), e.data().length, e.rawBytes(),
                    (t1 - t0) / 1_000_000, e.lockMillis(),
                    (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, a.equals(b));
        }
    }
}
