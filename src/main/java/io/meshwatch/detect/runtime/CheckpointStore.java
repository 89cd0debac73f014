package io.meshwatch.detect.runtime;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The {@code detection_checkpoint} table: one engine checkpoint per detection owner group, with the
 * facts offset it covers.
 *
 * <p>A write never moves the stored offset back: an owner that lost the partition without knowing
 * it (a long pause) and writes late cannot replace what the new owner wrote after more facts. A
 * checkpoint whose offset lies beyond the facts topic's end (the topic was recreated) is the caller's
 * to {@link #delete}.
 */
@ApplicationScoped
public class CheckpointStore {

    private final Pool pool;

    public CheckpointStore(Pool pool) {
        this.pool = pool;
    }

    /**
     * A stored checkpoint.
     *
     * @param factsOffset the first fact the state does not cover
     * @param state       the state as {@link io.meshwatch.detect.EngineStateCodec} wrote it
     */
    public record Stored(String group, String topic, long factsOffset, int stateVersion, byte[] state,
                         Instant takenAt, String writtenBy, Instant writtenAt) {
    }

    /**
     * Stores a checkpoint unless one with a higher offset is there; completes with whether it was
     * written.
     */
    public Uni<Boolean> write(String group, String topic, long offset, int version, byte[] state, Instant takenAt,
                              String writtenBy) {
        return pool.preparedQuery("INSERT INTO detection_checkpoint (group_id, facts_topic, facts_offset, state_version, "
                        + "state, taken_at, written_by, written_at) VALUES ($1, $2, $3, $4, $5, $6, $7, now()) "
                        + "ON CONFLICT (group_id) DO UPDATE SET facts_topic = EXCLUDED.facts_topic, "
                        + "facts_offset = EXCLUDED.facts_offset, state_version = EXCLUDED.state_version, "
                        + "state = EXCLUDED.state, taken_at = EXCLUDED.taken_at, written_by = EXCLUDED.written_by, "
                        + "written_at = now() WHERE detection_checkpoint.facts_offset <= EXCLUDED.facts_offset")
                .execute(Tuple.from(new Object[] {group, topic, offset, version, Buffer.buffer(state),
                        OffsetDateTime.ofInstant(takenAt, ZoneOffset.UTC), writtenBy}))
                .map(rows -> rows.rowCount() > 0);
    }

    /** The group's checkpoint, if any. */
    public Uni<Optional<Stored>> read(String group) {
        return pool.preparedQuery("SELECT group_id, facts_topic, facts_offset, state_version, state, taken_at, "
                        + "written_by, written_at FROM detection_checkpoint WHERE group_id = $1")
                .execute(Tuple.of(group))
                .map(rows -> {
                    RowIterator<Row> it = rows.iterator();
                    if (!it.hasNext()) {
                        return Optional.empty();
                    }
                    Row r = it.next();
                    return Optional.of(new Stored(r.getString("group_id"), r.getString("facts_topic"),
                            r.getLong("facts_offset"), r.getInteger("state_version"),
                            r.getBuffer("state").getBytes(), r.getOffsetDateTime("taken_at").toInstant(),
                            r.getString("written_by"), r.getOffsetDateTime("written_at").toInstant()));
                });
    }

    /** Forgets the group's checkpoint (one that cannot be used). */
    public Uni<Void> delete(String group) {
        return pool.preparedQuery("DELETE FROM detection_checkpoint WHERE group_id = $1")
                .execute(Tuple.of(group)).replaceWithVoid();
    }
}
