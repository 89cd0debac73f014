package io.meshwatch.alerting;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The {@code silence} table through the reactive PostgreSQL client. */
@ApplicationScoped
public class SilenceStore {

    private static final String COLUMNS = "id, matchers, starts_at, ends_at, created_by, comment, created_at, expired_by";

    private final Pool pool;

    public SilenceStore(Pool pool) {
        this.pool = pool;
    }

    /** Silences not yet ended at {@code now} (active or pending), the ones a new alert is checked against. */
    public Uni<List<Silence>> current(SqlClient c, Instant now) {
        return c.preparedQuery("SELECT " + COLUMNS + " FROM silence WHERE ends_at > $1 AND starts_at <= $1")
                .execute(Tuple.of(AlertStore.odt(now))).map(SilenceStore::all);
    }

    public Uni<Silence> insert(Silence s) {
        JsonArray matchers = new JsonArray();
        s.matchers().forEach(m -> matchers.add(new JsonObject().put("name", m.name()).put("value", m.value())
                .put("isRegex", m.isRegex()).put("isEqual", m.isEqual())));
        return pool.preparedQuery("INSERT INTO silence (" + COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .execute(Tuple.from(new Object[] {UUID.fromString(s.id()), matchers, AlertStore.odt(s.startsAt()),
                    AlertStore.odt(s.endsAt()), s.createdBy(), s.comment(), AlertStore.odt(s.createdAt()), null}))
                .replaceWith(s);
    }

    public Uni<Optional<Silence>> find(String id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM silence WHERE id = $1").execute(Tuple.of(UUID.fromString(id)))
                .map(rows -> all(rows).stream().findFirst());
    }

    /** A page of silences, newest end first; {@code state} active, pending, expired or null for all. */
    public Uni<Page> list(String state, Instant now, int limit, int offset) {
        String where = switch (state == null ? "all" : state) {
            case "active" -> " WHERE starts_at <= $1 AND ends_at > $1";
            case "pending" -> " WHERE starts_at > $1";
            case "expired" -> " WHERE ends_at <= $1";
            default -> " WHERE $1::timestamptz IS NOT NULL";
        };
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM silence" + where
                        + " ORDER BY ends_at DESC, id LIMIT $2 OFFSET $3")
                .execute(Tuple.of(AlertStore.odt(now), limit, offset)).map(SilenceStore::all)
                .chain(items -> pool.preparedQuery("SELECT count(*) AS n FROM silence" + where)
                        .execute(Tuple.of(AlertStore.odt(now)))
                        .map(rs -> new Page(items, rs.iterator().next().getLong("n"))));
    }

    /** A page of silences and how many match in all. */
    public record Page(List<Silence> items, long total) {
    }

    /** Ends the silence now (if it has not ended); returns it as stored after. */
    public Uni<Optional<Silence>> expire(String id, String who, Instant now) {
        return pool.preparedQuery("UPDATE silence SET ends_at = GREATEST(starts_at + interval '1 microsecond', $2), "
                        + "expired_by = $3 WHERE id = $1 AND ends_at > $2")
                .execute(Tuple.of(UUID.fromString(id), AlertStore.odt(now), who))
                .chain(() -> find(id));
    }

    private static List<Silence> all(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        List<Silence> out = new ArrayList<>();
        for (Row r : rows) {
            List<Matcher> ms = new ArrayList<>();
            JsonArray a = (JsonArray) r.getValue("matchers");
            for (int i = 0; i < a.size(); i++) {
                JsonObject m = a.getJsonObject(i);
                ms.add(new Matcher(m.getString("name"), m.getString("value"), m.getBoolean("isRegex"),
                        m.getBoolean("isEqual")));
            }
            out.add(new Silence(r.getUUID("id").toString(), List.copyOf(ms), AlertStore.instant(r, "starts_at"),
                    AlertStore.instant(r, "ends_at"), r.getString("created_by"), r.getString("comment"),
                    AlertStore.instant(r, "created_at"), r.getString("expired_by")));
        }
        return out;
    }
}
