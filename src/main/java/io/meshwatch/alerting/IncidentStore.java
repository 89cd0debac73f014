package io.meshwatch.alerting;

import io.meshwatch.detect.Incident;
import io.meshwatch.detect.Signal;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The {@code incident} and {@code incident_alert} tables: each incident as last described, with its alerts. */
@ApplicationScoped
public class IncidentStore {

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
