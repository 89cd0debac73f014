package io.meshwatch.rib;

import io.meshwatch.platform.MeshwatchConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The {@code rib_snapshot} table, through the reactive PostgreSQL client (the image is one
 * {@code bytea}; no entity needed). A write never moves a partition's row back to an older offset,
 * so an instance that lost the partition cannot overwrite its new owner's snapshot.
 *
 * <p>Past snapshots (issue 19): a saved snapshot is also kept in {@code rib_snapshot_history} when the
 * partition's newest kept one is older than {@code meshwatch.rib.history.interval}; kept ones older than
 * {@code keep-for}, or beyond the newest {@code keep}, are deleted in the same call.
 */
@ApplicationScoped
public class SnapshotStore {

    /** A stored snapshot of one partition. */
    public record Stored(long nextOffset, Instant takenAt, int format, int routers, long paths, byte[] data) {
    }

    /** The offsets and times a partition's snapshots reach back to. */
    public record Reach(long oldestOffset, Instant oldestTakenAt, int kept) {
    }

    private static final String COLUMNS = "next_offset, taken_at, format, routers, paths, data";

    private final Pool pool;
    private final boolean history;
    private final Duration historyInterval;
    private final Duration keepFor;
    private final int keep;

    @jakarta.inject.Inject
    public SnapshotStore(Pool pool, MeshwatchConfig config) {
        this(pool, config.rib().history().enabled(), config.rib().history().interval(),
                config.rib().history().keepFor(), config.rib().history().keep());
    }

    /** With the history settings given as values ({@code meshwatch.rib.history.*}). */
    public SnapshotStore(Pool pool, boolean history, Duration interval, Duration keepFor, int keep) {
        this.pool = pool;
        this.history = history;
        this.historyInterval = interval;
        this.keepFor = keepFor;
        this.keep = Math.max(1, keep);
    }

    /**
     * The newest snapshot of the partition (latest or kept) that covers only records below
     * {@code target}: {@code next_offset <= target}; empty when none does.
     */
    public Uni<Optional<Stored>> atOrBefore(String topic, int partition, long target) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM (SELECT " + COLUMNS + " FROM rib_snapshot "
                        + "WHERE topic = $1 AND kafka_partition = $2 UNION ALL SELECT " + COLUMNS
                        + " FROM rib_snapshot_history WHERE topic = $1 AND kafka_partition = $2) s "
                        + "WHERE next_offset <= $3 ORDER BY next_offset DESC LIMIT 1")
                .execute(Tuple.of(topic, partition, target))
                .map(SnapshotStore::first);
    }

    /** How far back the partition's snapshots (latest and kept) reach; empty when it has none. */
    public Uni<Optional<Reach>> reach(String topic, int partition) {
        return pool.preparedQuery("SELECT min(next_offset) AS o, min(taken_at) AS t, count(*) AS n FROM ("
                        + "SELECT next_offset, taken_at FROM rib_snapshot WHERE topic = $1 AND kafka_partition = $2 "
                        + "UNION SELECT next_offset, taken_at FROM rib_snapshot_history "
                        + "WHERE topic = $1 AND kafka_partition = $2) s")
                .execute(Tuple.of(topic, partition))
                .map(rows -> {
                    for (Row r : rows) {
                        if (r.getLong("n") > 0) {
                            return Optional.of(new Reach(r.getLong("o"), r.getOffsetDateTime("t").toInstant(),
                                    (int) (long) r.getLong("n")));
                        }
                    }
                    return Optional.<Reach>empty();
                });
    }

    /** Bytes of the kept snapshots of every partition of the topic (for the docs' disk figures and logs). */
    public Uni<Long> historyBytes(String topic) {
        return pool.preparedQuery("SELECT coalesce(sum(octet_length(data)), 0) AS b FROM rib_snapshot_history "
                        + "WHERE topic = $1")
                .execute(Tuple.of(topic))
                .map(rows -> rows.iterator().next().getLong("b"));
    }

    public Uni<Optional<Stored>> load(String topic, int partition) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM rib_snapshot "
                        + "WHERE topic = $1 AND kafka_partition = $2")
                .execute(Tuple.of(topic, partition))
                .map(SnapshotStore::first);
    }

    private static Optional<Stored> first(RowSet<Row> rows) {
        for (Row r : rows) {
            return Optional.of(new Stored(r.getLong("next_offset"), r.getOffsetDateTime("taken_at").toInstant(),
                    r.getInteger("format"), r.getInteger("routers"), r.getLong("paths"),
                    r.getBuffer("data").getBytes()));
        }
        return Optional.empty();
    }

    /**
     * Deletes the partition's row if it is still the one at {@code nextOffset} (one that cannot be used:
     * beyond the partition's end, the topic was recreated; left there, it would refuse every newer
     * snapshot of the new topic, whose offsets start again from 0).
     */
    public Uni<Void> delete(String topic, int partition, long nextOffset) {
        return pool.preparedQuery("DELETE FROM rib_snapshot WHERE topic = $1 AND kafka_partition = $2 "
                        + "AND next_offset = $3")
                .execute(Tuple.of(topic, partition, nextOffset)).replaceWithVoid();
    }

    /**
     * Upserts the partition's row; true when written, false when the stored one is newer. A written
     * one is also kept in the history when due, and the history is pruned.
     */
    public Uni<Boolean> save(String topic, int partition, long nextOffset, Instant takenAt, PartitionSnapshot.Encoded e) {
        return saveLatest(topic, partition, nextOffset, takenAt, e).chain(written -> !written || !history
                ? Uni.createFrom().item(written)
                : keep(topic, partition, nextOffset, takenAt, e).replaceWith(written));
    }

    private Uni<Void> keep(String topic, int partition, long nextOffset, Instant takenAt, PartitionSnapshot.Encoded e) {
        OffsetDateTime taken = OffsetDateTime.ofInstant(takenAt, ZoneOffset.UTC);
        return pool.preparedQuery("INSERT INTO rib_snapshot_history (topic, kafka_partition, next_offset, taken_at, "
                        + "format, routers, paths, data) SELECT $1, $2, $3, $4, $5, $6, $7, $8 WHERE NOT EXISTS ("
                        + "SELECT 1 FROM rib_snapshot_history WHERE topic = $1 AND kafka_partition = $2 "
                        + "AND (taken_at > $9 OR next_offset >= $3)) ON CONFLICT DO NOTHING")
                .execute(Tuple.from(new Object[] {topic, partition, nextOffset, taken,
                        (short) PartitionSnapshot.VERSION, e.routers(), e.paths(),
                        io.vertx.core.buffer.Buffer.buffer(e.data()), taken.minus(historyInterval)}))
                .chain(() -> pool.preparedQuery("DELETE FROM rib_snapshot_history WHERE topic = $1 "
                                + "AND kafka_partition = $2 AND (taken_at < $3 OR next_offset < coalesce(("
                                + "SELECT min(next_offset) FROM (SELECT next_offset FROM rib_snapshot_history "
                                + "WHERE topic = $1 AND kafka_partition = $2 ORDER BY next_offset DESC LIMIT $4) k), 0))")
                        .execute(Tuple.of(topic, partition, taken.minus(keepFor), keep)))
                .replaceWithVoid();
    }

    private Uni<Boolean> saveLatest(String topic, int partition, long nextOffset, Instant takenAt, PartitionSnapshot.Encoded e) {
        return pool.preparedQuery("INSERT INTO rib_snapshot (topic, kafka_partition, next_offset, taken_at, format, "
                        + "routers, paths, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
                        + "ON CONFLICT (topic, kafka_partition) DO UPDATE SET next_offset = EXCLUDED.next_offset, "
                        + "taken_at = EXCLUDED.taken_at, format = EXCLUDED.format, routers = EXCLUDED.routers, "
                        + "paths = EXCLUDED.paths, data = EXCLUDED.data "
                        + "WHERE rib_snapshot.next_offset <= EXCLUDED.next_offset")
                .execute(Tuple.from(new Object[] {topic, partition, nextOffset,
                        OffsetDateTime.ofInstant(takenAt, ZoneOffset.UTC), (short) PartitionSnapshot.VERSION,
                        e.routers(), e.paths(), io.vertx.core.buffer.Buffer.buffer(e.data())}))
                .map(rows -> rows.rowCount() > 0);
    }
}
