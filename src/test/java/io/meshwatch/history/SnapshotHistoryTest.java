package io.meshwatch.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.rib.PartitionSnapshot;
import io.meshwatch.rib.SnapshotStore;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The kept snapshots in the real PostgreSQL: one per interval besides the latest, deleted after
 * keep-for or beyond the newest {@code keep}; the look-up takes the newest at or before an offset.
 */
@QuarkusTest
class SnapshotHistoryTest {

    static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    @Inject
    Pool pool;

    final String topic = "meshwatch.history-keep-" + UUID.randomUUID();

    @Test
    void keepsOnePerIntervalForKeepForAndAtMostKeep() throws Exception {
        SnapshotStore store = new SnapshotStore(pool, true, Duration.ofHours(1), Duration.ofHours(24), 3);
        PartitionSnapshot.Encoded empty = PartitionSnapshot.encode(List.of());
        save(store, 10, T0, empty);
        save(store, 20, T0.plusSeconds(600), empty);    // within the hour: only the latest row moves
        save(store, 30, T0.plusSeconds(3660), empty);   // kept
        assertEquals(new SnapshotStore.Reach(10, T0, 2), reach(store));
        assertEquals(10, at(store, 25));                // 20 was never kept and is no longer the latest
        assertEquals(30, at(store, 35));
        assertTrue(store.atOrBefore(topic, 0, 5).await().atMost(Duration.ofSeconds(10)).isEmpty());

        save(store, 40, T0.plusSeconds(25 * 3600), empty); // kept; 10 is older than 24 h and goes
        assertEquals(new SnapshotStore.Reach(30, T0.plusSeconds(3660), 2), reach(store));
        save(store, 50, T0.plusSeconds(26 * 3600), empty);
        save(store, 60, T0.plusSeconds(27 * 3600), empty); // the fourth kept one: only the newest 3 stay
        assertEquals(new SnapshotStore.Reach(40, T0.plusSeconds(25 * 3600), 3), reach(store));
        assertTrue(store.historyBytes(topic).await().atMost(Duration.ofSeconds(10)) > 0);
    }

    @Test
    void withHistoryOffOnlyTheLatestIsThere() throws Exception {
        SnapshotStore store = new SnapshotStore(pool, false, Duration.ofHours(1), Duration.ofHours(24), 3);
        PartitionSnapshot.Encoded empty = PartitionSnapshot.encode(List.of());
        save(store, 10, T0, empty);
        save(store, 30, T0.plusSeconds(7200), empty);
        assertEquals(new SnapshotStore.Reach(30, T0.plusSeconds(7200), 1), reach(store));
        assertTrue(store.atOrBefore(topic, 0, 25).await().atMost(Duration.ofSeconds(10)).isEmpty());
    }

    private void save(SnapshotStore store, long offset, Instant at, PartitionSnapshot.Encoded e) {
        assertTrue(store.save(topic, 0, offset, at, e).await().atMost(Duration.ofSeconds(10)));
    }

    private SnapshotStore.Reach reach(SnapshotStore store) {
        return store.reach(topic, 0).await().atMost(Duration.ofSeconds(10)).orElseThrow();
    }

    private long at(SnapshotStore store, long target) {
        return store.atOrBefore(topic, 0, target).await().atMost(Duration.ofSeconds(10)).orElseThrow().nextOffset();
    }
}
