package io.meshwatch.alerting;

import io.meshwatch.inventory.Severity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@code alert} and {@code alert_transition} tables through the reactive PostgreSQL client.
 * Changes go through a connection in the caller's transaction; {@link #lock} takes the alert's row
 * lock so a person's change and detection's change of one alert never interleave.
 */
@ApplicationScoped
public class AlertStore {

    static final String COLUMNS = "fingerprint, alertname, state, severity, labels, annotations, summary, incident_id, "
            + "inhibited, silenced_by, started_at, ended_at, first_raised_at, last_raised_at, resolved_at, "
            + "acknowledged_by, acknowledged_at, ack_comment, raise_count, updated_at";

    /** Filters of the alert list; null fields do not filter. */
    public record Filter(AlertState state, Severity severity, String alertName, String router, String circuit,
                         Instant since, Instant until) {
    }

    /** One page of alerts, newest change first, and how many match in all. */
    public record Page(List<Alert> items, long total) {
    }

    private final Pool pool;

    public AlertStore(Pool pool) {
        this.pool = pool;
    }

    /** The alert with its row locked until the transaction ends, if it exists. */
    public Uni<Optional<Alert>> lock(SqlClient c, String fingerprint) {
        return c.preparedQuery("SELECT " + COLUMNS + " FROM alert WHERE fingerprint = $1 FOR UPDATE")
                .execute(Tuple.of(fingerprint)).map(AlertStore::first);
    }

    public Uni<Optional<Alert>> find(String fingerprint) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM alert WHERE fingerprint = $1")
                .execute(Tuple.of(fingerprint)).map(AlertStore::first);
    }

    /** Inserts or replaces the alert's row. */
    public Uni<Void> save(SqlClient c, Alert a) {
        StringBuilder set = new StringBuilder();
        String[] cols = COLUMNS.split(", ");
        for (int i = 1; i < cols.length; i++) {
            set.append(i > 1 ? ", " : "").append(cols[i]).append(" = EXCLUDED.").append(cols[i]);
        }
        return c.preparedQuery("INSERT INTO alert (" + COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
                        + "$11, $12, $13, $14, $15, $16, $17, $18, $19, $20) ON CONFLICT (fingerprint) DO UPDATE SET " + set)
                .execute(Tuple.from(new Object[] {a.fingerprint(), a.alertName(), a.state().wire(),
                    lower(a.severity()), new JsonObject(new TreeMap<String, Object>(a.labels())),
                    new JsonObject(new TreeMap<String, Object>(a.annotations())), a.summary(), a.incidentId(),
                    a.inhibited(), a.silencedBy(), odt(a.startedAt()), odt(a.endedAt()), odt(a.firstRaisedAt()),
                    odt(a.lastRaisedAt()), odt(a.resolvedAt()), a.acknowledgedBy(), odt(a.acknowledgedAt()),
                    a.ackComment(), a.count(), odt(a.updatedAt())}))
                .replaceWithVoid();
    }

    public Uni<Void> record(SqlClient c, Transition t) {
        return c.preparedQuery("INSERT INTO alert_transition (fingerprint, from_state, to_state, actor, reason, at) "
                        + "VALUES ($1, $2, $3, $4, $5, $6)")
                .execute(Tuple.from(new Object[] {t.fingerprint(), t.from() == null ? null : t.from().wire(),
                    t.to().wire(), t.actor(), t.reason(), odt(t.at())}))
                .replaceWithVoid();
    }

    /** The alert's transitions, oldest first. */
    public Uni<List<Transition>> transitions(String fingerprint) {
        return pool.preparedQuery("SELECT fingerprint, from_state, to_state, actor, reason, at FROM alert_transition "
                        + "WHERE fingerprint = $1 ORDER BY id")
                .execute(Tuple.of(fingerprint))
                .map(rows -> {
                    List<Transition> out = new ArrayList<>();
                    for (Row r : rows) {
                        String from = r.getString("from_state");
                        out.add(new Transition(r.getString("fingerprint"), from == null ? null : AlertState.fromWire(from),
                                AlertState.fromWire(r.getString("to_state")), r.getString("actor"),
                                r.getString("reason"), r.getOffsetDateTime("at").toInstant()));
                    }
                    return out;
                });
    }

    /**
     * Open alerts (firing or acknowledged) that receivers were told of (neither inhibited nor
     * silenced), by fingerprint after {@code after} (keyset paging; "" for the first page).
     */
    public Uni<List<Alert>> openNotified(String after, int limit) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM alert WHERE state <> 'resolved' AND NOT inhibited "
                        + "AND silenced_by IS NULL AND fingerprint > $1 ORDER BY fingerprint LIMIT $2")
                .execute(Tuple.of(after, limit))
                .map(rows -> {
                    List<Alert> out = new ArrayList<>();
                    rows.forEach(r -> out.add(alert(r)));
                    return out;
                });
    }

    /** Open alerts counted by name, severity and state (firing, acknowledged): the {@code meshwatch_alerts_open} gauge. */
    public Uni<Map<List<String>, Long>> openCounts() {
        return pool.query("SELECT alertname, severity, state, count(*) AS n FROM alert WHERE state <> 'resolved' "
                        + "GROUP BY alertname, severity, state").execute()
                .map(rows -> {
                    Map<List<String>, Long> out = new java.util.HashMap<>();
                    rows.forEach(r -> out.put(List.of(r.getString("alertname"), r.getString("severity"),
                            r.getString("state")), r.getLong("n")));
                    return out;
                });
    }

    /** A page of alerts matching {@code f}, newest change first. */
    public Uni<Page> list(Filter f, int limit, int offset) {
        List<Object> args = new ArrayList<>();
        StringBuilder where = new StringBuilder(" WHERE true");
        if (f.state() != null) {
            args.add(f.state().wire());
            where.append(" AND state = $").append(args.size());
        }
        if (f.severity() != null) {
            args.add(lower(f.severity()));
            where.append(" AND severity = $").append(args.size());
        }
        if (f.alertName() != null) {
            args.add(f.alertName());
            where.append(" AND alertname = $").append(args.size());
        }
        for (Map.Entry<String, String> label : labelFilters(f).entrySet()) {
            args.add(new JsonObject().put(label.getKey(), label.getValue()));
            where.append(" AND labels @> $").append(args.size());
        }
        if (f.since() != null) {
            args.add(odt(f.since()));
            where.append(" AND updated_at >= $").append(args.size());
        }
        if (f.until() != null) {
            args.add(odt(f.until()));
            where.append(" AND updated_at < $").append(args.size());
        }
        Tuple countArgs = Tuple.from(args);
        List<Object> pageArgs = new ArrayList<>(args);
        pageArgs.add(limit);
        pageArgs.add(offset);
        String page = "SELECT " + COLUMNS + " FROM alert" + where + " ORDER BY updated_at DESC, fingerprint LIMIT $"
                + (args.size() + 1) + " OFFSET $" + (args.size() + 2);
        return pool.preparedQuery(page).execute(Tuple.from(pageArgs)).chain(rows -> {
            List<Alert> items = new ArrayList<>();
            rows.forEach(r -> items.add(alert(r)));
            return pool.preparedQuery("SELECT count(*) AS n FROM alert" + where).execute(countArgs)
                    .map(n -> new Page(items, n.iterator().next().getLong("n")));
        });
    }

    private static Map<String, String> labelFilters(Filter f) {
        Map<String, String> m = new TreeMap<>();
        if (f.router() != null) {
            m.put("router", f.router());
        }
        if (f.circuit() != null) {
            m.put("circuit", f.circuit());
        }
        return m;
    }

    static Optional<Alert> first(RowSet<Row> rows) {
        for (Row r : rows) {
            return Optional.of(alert(r));
        }
        return Optional.empty();
    }

    static Alert alert(Row r) {
        return new Alert(r.getString("fingerprint"), r.getString("alertname"), AlertState.fromWire(r.getString("state")),
                Severity.valueOf(r.getString("severity").toUpperCase(Locale.ROOT)), strings(r.getJsonObject("labels")),
                strings(r.getJsonObject("annotations")), r.getString("summary"), r.getString("incident_id"),
                r.getBoolean("inhibited"), r.getString("silenced_by"), instant(r, "started_at"), instant(r, "ended_at"),
                instant(r, "first_raised_at"), instant(r, "last_raised_at"), instant(r, "resolved_at"),
                r.getString("acknowledged_by"), instant(r, "acknowledged_at"), r.getString("ack_comment"),
                r.getInteger("raise_count"), instant(r, "updated_at"));
    }

    static TreeMap<String, String> strings(JsonObject o) {
        TreeMap<String, String> m = new TreeMap<>();
        if (o != null) {
            o.forEach(e -> m.put(e.getKey(), String.valueOf(e.getValue())));
        }
        return m;
    }

    static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }

    static OffsetDateTime odt(Instant i) {
        return i == null ? null : OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }

    static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
