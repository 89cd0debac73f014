package io.meshwatch.rib;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The {@code rib_snapshot} table, through the reactive PostgreSQL client (the image is one
 * {@code bytea}; no entity needed). A write never moves a partition's row back to an older offset,
 * so an instance that lost the partition cannot overwrite its new owner's snapshot.
 */
@ApplicationScoped
public class SnapshotStore {

    /** A stored snapshot of one partition. */
    public record Stored(long nextOffset, Instant takenAt, int format, int routers, long paths, byte[] data) {
    }

    private final Pool pool;

    public SnapshotStore(Pool pool) {
        this.pool = pool;
    }

    public Uni<Optional<Stored>> load(String topic, int partition) {
        return pool.preparedQuery("SELECT next_offset, taken_at, format, routers, paths, data FROM rib_snapshot "
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

    /** Upserts the partition's row; true when written, false when the stored one is newer. */
    public Uni<Boolean> save(String topic, int partition, long nextOffset, Instant takenAt, PartitionSnapshot.Encoded e) {
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
