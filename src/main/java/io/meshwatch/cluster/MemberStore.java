package io.meshwatch.cluster;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code cluster_member} table, through the reactive PostgreSQL client. Heartbeat times are the
 * database's clock ({@code now()}), so members on different hosts are compared on one clock.
 */
@ApplicationScoped
public class MemberStore {

    private final Pool pool;

    public MemberStore(Pool pool) {
        this.pool = pool;
    }

    /**
     * Writes this instance's row, unless a write with a higher {@code version} of the same instance
     * is already there (a slow write never replaces a newer one).
     */
    public Uni<Void> upsert(Member m, long version) {
        return pool.preparedQuery("INSERT INTO cluster_member (instance_id, group_id, url, partitions, detection_owner, "
                        + "started_at, heartbeat_at, version) VALUES ($1, $2, $3, $4, $5, $6, now(), $7) "
                        + "ON CONFLICT (instance_id) DO UPDATE SET group_id = EXCLUDED.group_id, url = EXCLUDED.url, "
                        + "partitions = EXCLUDED.partitions, detection_owner = EXCLUDED.detection_owner, "
                        + "heartbeat_at = now(), version = EXCLUDED.version "
                        + "WHERE cluster_member.version < EXCLUDED.version")
                .execute(Tuple.from(new Object[] {m.id(), m.group(), m.url(), json(m.partitions()), m.detectionOwner(),
                        OffsetDateTime.ofInstant(m.startedAt(), ZoneOffset.UTC), version}))
                .replaceWithVoid();
    }

    /** Deletes this instance's row (clean shutdown). */
    public Uni<Void> delete(String instanceId) {
        return pool.preparedQuery("DELETE FROM cluster_member WHERE instance_id = $1")
                .execute(Tuple.of(instanceId)).replaceWithVoid();
    }

    /**
     * Deletes the group's rows not refreshed for {@code forget}, and counts the members whose
     * heartbeat is younger than {@code timeout}.
     */
    public Uni<Integer> sweepAndCount(String group, Duration timeout, Duration forget) {
        return pool.preparedQuery("WITH forgotten AS (DELETE FROM cluster_member WHERE group_id = $1 "
                        + "AND heartbeat_at < now() - ($3 * interval '1 millisecond') RETURNING 1) "
                        + "SELECT count(*) AS n FROM cluster_member WHERE group_id = $1 "
                        + "AND heartbeat_at >= now() - ($2 * interval '1 millisecond')")
                .execute(Tuple.of(group, timeout.toMillis(), forget.toMillis()))
                .map(rows -> rows.iterator().next().getLong("n").intValue());
    }

    /** The group's members whose heartbeat is younger than {@code timeout}, oldest first. */
    public Uni<List<Member>> live(String group, Duration timeout) {
        return pool.preparedQuery("SELECT instance_id, group_id, url, partitions, detection_owner, started_at, "
                        + "heartbeat_at FROM cluster_member WHERE group_id = $1 "
                        + "AND heartbeat_at >= now() - ($2 * interval '1 millisecond') ORDER BY started_at, instance_id")
                .execute(Tuple.of(group, timeout.toMillis()))
                .map(rows -> {
                    List<Member> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(member(r));
                    }
                    return out;
                });
    }

    private static Member member(Row r) {
        Map<String, List<Integer>> partitions = new TreeMap<>();
        Object raw = r.getValue("partitions");
        if (raw instanceof JsonObject o) {
            for (String topic : o.fieldNames()) {
                List<Integer> ps = new ArrayList<>();
                JsonArray a = o.getJsonArray(topic);
                for (int i = 0; a != null && i < a.size(); i++) {
                    ps.add(a.getInteger(i));
                }
                partitions.put(topic, List.copyOf(ps));
            }
        }
        return new Member(r.getString("instance_id"), r.getString("group_id"), r.getString("url"), partitions,
                r.getBoolean("detection_owner"), r.getOffsetDateTime("started_at").toInstant(),
                r.getOffsetDateTime("heartbeat_at").toInstant());
    }

    private static JsonObject json(Map<String, List<Integer>> partitions) {
        JsonObject o = new JsonObject();
        partitions.forEach((topic, ps) -> o.put(topic, new JsonArray(new ArrayList<>(ps))));
        return o;
    }

    /**
     * One member as stored.
     *
     * @param heartbeatAt the database time of its last write ({@code null} for a row not written yet)
     */
    public record Member(String id, String group, String url, Map<String, List<Integer>> partitions,
                         boolean detectionOwner, Instant startedAt, Instant heartbeatAt) {
    }
}
