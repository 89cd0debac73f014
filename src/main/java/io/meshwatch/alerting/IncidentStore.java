package io.meshwatch.alerting;

import io.meshwatch.detect.Impact;
import io.meshwatch.detect.Incident;
import io.meshwatch.detect.Signal;
import io.meshwatch.detect.TimelineEntry;
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
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The {@code incident} and {@code incident_alert} tables: each incident as last described, with its
 * alerts. The API reads them for incidents the running engine no longer holds (older ones, and
 * every one from before a restart).
 */
@ApplicationScoped
public class IncidentStore {

    /** An incident as stored. {@code status} is open, resolved or merged. */
    public record Stored(String id, String status, String title, String severity, String rootFingerprint,
                         Impact impact, List<TimelineEntry> timeline, Instant openedAt, Instant resolvedAt,
                         String mergedInto, Instant updatedAt) {
    }

    /** An alert of an incident: {@code root} or {@code child}. */
    public record Member(String incidentId, String role, Alert alert) {
    }

    private final Pool pool;

    public IncidentStore(Pool pool) {
        this.pool = pool;
    }

    /**
     * Stored incidents, newest opening first, except those in {@code exclude} (the engine's own);
     * {@code status} open, resolved or all (merged ones only by id).
     */
    public Uni<List<Stored>> page(String status, Collection<String> exclude, int limit, int offset) {
        String where = switch (status) {
            case "open" -> "status = 'open'";
            case "resolved" -> "status = 'resolved'";
            default -> "merged_into IS NULL";
        };
        return pool.preparedQuery("SELECT * FROM incident WHERE " + where + " AND NOT (id = ANY($1)) "
                        + "ORDER BY opened_at DESC, id LIMIT $2 OFFSET $3")
                .execute(Tuple.of(exclude.toArray(new String[0]), limit, offset))
                .map(rows -> {
                    List<Stored> out = new ArrayList<>();
                    rows.forEach(r -> out.add(stored(r)));
                    return out;
                });
    }

    public Uni<Optional<Stored>> find(String id) {
        return pool.preparedQuery("SELECT * FROM incident WHERE id = $1").execute(Tuple.of(id)).map(rows -> {
            for (Row r : rows) {
                return Optional.of(stored(r));
            }
            return Optional.empty();
        });
    }

    /** The alerts of these incidents (root first, then children by fingerprint), as stored now. */
    public Uni<List<Member>> members(Collection<String> ids) {
        return pool.preparedQuery("SELECT ia.incident_id AS member_of, ia.role, a." + AlertStore.COLUMNS.replace(", ", ", a.")
                        + " FROM incident_alert ia JOIN alert a ON a.fingerprint = ia.fingerprint "
                        + "WHERE ia.incident_id = ANY($1) ORDER BY ia.incident_id, ia.role DESC, ia.fingerprint")
                .execute(Tuple.of(ids.toArray(new String[0])))
                .map(rows -> {
                    List<Member> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new Member(r.getString("member_of"), r.getString("role"), AlertStore.alert(r))));
                    return out;
                });
    }

    private static Stored stored(Row r) {
        JsonObject impact = r.getJsonObject("impact");
        List<TimelineEntry> timeline = new ArrayList<>();
        JsonArray t = r.getJsonArray("timeline");
        for (int i = 0; i < t.size(); i++) {
            JsonObject e = t.getJsonObject(i);
            timeline.add(new TimelineEntry(Instant.parse(e.getString("time")), e.getString("what")));
        }
        return new Stored(r.getString("id"), r.getString("status"), r.getString("title"), r.getString("severity"),
                r.getString("root_fingerprint"), new Impact(strings(impact, "sessionsDown"),
                strings(impact, "tunnelGroupsFailedOver"), strings(impact, "prefixesMoved"),
                strings(impact, "prefixesUnreachable")), timeline, AlertStore.instant(r, "opened_at"),
                AlertStore.instant(r, "resolved_at"), r.getString("merged_into"), AlertStore.instant(r, "updated_at"));
    }

    private static List<String> strings(JsonObject o, String key) {
        JsonArray a = o == null ? null : o.getJsonArray(key);
        List<String> out = new ArrayList<>();
        if (a != null) {
            a.forEach(v -> out.add(String.valueOf(v)));
        }
        return out;
    }

    /** Stores the snapshot (replacing the previous one) and links its root and children. */
    public Uni<Void> save(SqlClient c, Incident i, Instant now) {
        JsonArray timeline = new JsonArray();
        i.timeline().forEach(t -> timeline.add(new JsonObject().put("time", t.time().toString()).put("what", t.what())));
        JsonObject impact = JsonObject.mapFrom(i.impact());
        List<Tuple> links = new ArrayList<>();
        links.add(Tuple.of(i.id(), i.root().fingerprint(), "root"));
        for (Signal child : i.children()) {
            links.add(Tuple.of(i.id(), child.fingerprint(), "child"));
        }
        return c.preparedQuery("INSERT INTO incident (id, status, title, severity, root_fingerprint, impact, timeline, "
                        + "opened_at, resolved_at, merged_into, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
                        + "ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, title = EXCLUDED.title, "
                        + "severity = EXCLUDED.severity, root_fingerprint = EXCLUDED.root_fingerprint, "
                        + "impact = EXCLUDED.impact, timeline = EXCLUDED.timeline, resolved_at = EXCLUDED.resolved_at, "
                        + "merged_into = EXCLUDED.merged_into, updated_at = EXCLUDED.updated_at")
                .execute(Tuple.from(new Object[] {i.id(), AlertStore.lower(i.status()), i.title(),
                    AlertStore.lower(i.severity()), i.root().fingerprint(), impact, timeline, AlertStore.odt(i.openedAt()),
                    AlertStore.odt(i.resolvedAt()), i.mergedInto(), AlertStore.odt(now)}))
                .chain(() -> c.preparedQuery("DELETE FROM incident_alert WHERE incident_id = $1").execute(Tuple.of(i.id())))
                .chain(() -> c.preparedQuery("INSERT INTO incident_alert (incident_id, fingerprint, role) VALUES ($1, $2, $3) "
                        + "ON CONFLICT DO NOTHING").executeBatch(links))
                .replaceWithVoid();
    }
}
