package io.meshwatch.notify;

import io.meshwatch.alerting.Alert;
import io.meshwatch.alerting.AlertChange;
import io.meshwatch.alerting.AlertLifecycle.Notify;
import io.meshwatch.platform.MeshwatchConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code outbox} table. {@link #enqueue} runs in the transaction that changed the alert, so a
 * notification exists if and only if the change committed. The idempotency key is
 * {@code <fingerprint>-<occurrence>-<firing|resolved>-<receiver>}: a replayed change writes no
 * second row, and a receiver can drop a delivery it has seen.
 */
@ApplicationScoped
public class Outbox {

    /** A row to deliver, as claimed by a sender. */
    public record Row(long id, String receiver, String fingerprint, String payload, String idempotencyKey,
                      int attempts, Instant createdAt, Instant deadline) {
    }

    /** One delivery as the API shows it. */
    public record Delivery(long id, String receiver, String fingerprint, String status, String idempotencyKey,
                           int attempts, Integer lastStatus, String lastError, Instant createdAt,
                           Instant nextAttemptAt, Instant finishedAt) {
    }

    private final Pool pool;
    private final Instance<Sink> sinks;
    private final MeshwatchConfig config;

    public Outbox(Pool pool, @Any Instance<Sink> sinks, MeshwatchConfig config) {
        this.pool = pool;
        this.sinks = sinks;
        this.config = config;
    }

    /**
     * One row an integration wants written for an alert change.
     *
     * @param receiver       the receiver name the row is for (a webhook's, or a built-in integration's)
     * @param payload        what is sent, as stored
     * @param idempotencyKey the same for the same change and receiver, so a replayed change writes no second row
     */
    public record Entry(String receiver, String payload, String idempotencyKey) {

        /**
         * The row of a raise or resolve for {@code receiver}, keyed
         * {@code <fingerprint>-<occurrence>-<firing|resolved>-<receiver>}.
         */
        public static Entry of(Alert a, Notify kind, String receiver, String payload) {
            return new Entry(receiver, payload, a.fingerprint() + "-" + a.count() + "-"
                    + (kind == Notify.RESOLVED ? "resolved" : "firing") + "-" + receiver);
        }
    }

    /**
     * Writes, in the caller's transaction, the rows every integration wants for an alert change
     * ({@link Sink#entries}). Returns how many were written.
     */
    public Uni<Integer> enqueue(SqlClient c, Alert a, Notify kind, AlertChange change, Instant now) {
        String external = config.notifications().externalUrl();
        List<Tuple> rows = new ArrayList<>();
        for (Sink sink : sinks) {
            for (Entry e : sink.entries(a, kind, change, external)) {
                rows.add(row(e.receiver(), a.fingerprint(), e.payload(), e.idempotencyKey(), now));
            }
        }
        return insert(c, rows);
    }

    /** A test notification for one receiver (the receivers API), delivered like any other. */
    public Uni<Long> enqueueTest(String receiver, String payload, Instant now) {
        String key = "test-" + receiver + "-" + java.util.UUID.randomUUID();
        return pool.preparedQuery("INSERT INTO outbox (receiver, fingerprint, status, payload, idempotency_key, "
                        + "created_at, next_attempt_at, deadline) VALUES ($1, $2, 'pending', $3, $4, $5, $5, $6) RETURNING id")
                .execute(row(receiver, null, payload, key, now))
                .map(rs -> rs.iterator().next().getLong("id"));
    }

    private Tuple row(String receiver, String fingerprint, String payload, String key, Instant now) {
        return Tuple.from(new Object[] {receiver, fingerprint, payload, key, odt(now),
            odt(now.plus(config.notifications().deadline()))});
    }

    private static Uni<Integer> insert(SqlClient c, List<Tuple> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return c.preparedQuery("INSERT INTO outbox (receiver, fingerprint, status, payload, idempotency_key, created_at, "
                        + "next_attempt_at, deadline) VALUES ($1, $2, 'pending', $3, $4, $5, $5, $6) "
                        + "ON CONFLICT (idempotency_key) DO NOTHING")
                .executeBatch(rows).replaceWith(rows.size());
    }

    /**
     * Due rows, locked for this transaction; rows another sender holds are skipped, never waited for.
     * A row waits while an earlier row of the same alert and receiver is still pending (backing off
     * after a failed attempt, or held by another sender): one alert's notifications reach a receiver
     * in the order they were written, firing before resolved, however long the receiver was away.
     */
    public Uni<List<Row>> claim(SqlClient c, Instant now, int limit) {
        return c.preparedQuery("SELECT id, receiver, fingerprint, payload, idempotency_key, attempts, created_at, deadline "
                        + "FROM outbox o WHERE status = 'pending' AND next_attempt_at <= $1 AND NOT EXISTS (SELECT 1 FROM "
                        + "outbox e WHERE e.receiver = o.receiver AND e.fingerprint = o.fingerprint AND e.status = 'pending' "
                        + "AND e.id < o.id) ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE OF o SKIP LOCKED")
                .execute(Tuple.of(odt(now), limit))
                .map(rs -> {
                    List<Row> out = new ArrayList<>();
                    for (io.vertx.mutiny.sqlclient.Row r : rs) {
                        out.add(new Row(r.getLong("id"), r.getString("receiver"), r.getString("fingerprint"),
                                r.getString("payload"), r.getString("idempotency_key"), r.getInteger("attempts"),
                                r.getOffsetDateTime("created_at").toInstant(), r.getOffsetDateTime("deadline").toInstant()));
                    }
                    return out;
                });
    }

    /** Records an attempt: {@code status} delivered, failed or pending (then {@code next} is when to retry). */
    public Uni<Void> attempted(SqlClient c, long id, String status, Integer httpStatus, String error, Instant now,
                               Instant next) {
        return c.preparedQuery("UPDATE outbox SET status = $2, attempts = attempts + 1, last_status = $3, last_error = $4, "
                        + "next_attempt_at = $5, finished_at = $6 WHERE id = $1")
                .execute(Tuple.from(new Object[] {id, status, httpStatus, error, odt(next == null ? now : next),
                    "pending".equals(status) ? null : odt(now)}))
                .replaceWithVoid();
    }

    /** Pending rows: how many, and when the earliest is due (null when none). */
    public record Pending(long count, Instant nextDue) {
    }

    public Uni<Pending> pending() {
        return pool.query("SELECT count(*) AS n, min(next_attempt_at) AS t FROM outbox WHERE status = 'pending'").execute()
                .map(rs -> {
                    io.vertx.mutiny.sqlclient.Row r = rs.iterator().next();
                    OffsetDateTime t = r.getOffsetDateTime("t");
                    return new Pending(r.getLong("n"), t == null ? null : t.toInstant());
                });
    }

    /** A receiver's deliveries, newest first; {@code status} null for all. */
    public Uni<List<Delivery>> deliveries(String receiver, String status, String fingerprint, int limit, int offset) {
        return pool.preparedQuery("SELECT id, receiver, fingerprint, status, idempotency_key, attempts, last_status, "
                        + "last_error, created_at, next_attempt_at, finished_at FROM outbox WHERE ($1::text IS NULL OR "
                        + "receiver = $1) AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR fingerprint = $3) "
                        + "ORDER BY id DESC LIMIT $4 OFFSET $5")
                .execute(Tuple.of(receiver, status, fingerprint, limit, offset))
                .map(rs -> {
                    List<Delivery> out = new ArrayList<>();
                    for (io.vertx.mutiny.sqlclient.Row r : rs) {
                        out.add(new Delivery(r.getLong("id"), r.getString("receiver"), r.getString("fingerprint"),
                                r.getString("status"), r.getString("idempotency_key"), r.getInteger("attempts"),
                                r.getInteger("last_status"), r.getString("last_error"), instant(r, "created_at"),
                                instant(r, "next_attempt_at"), instant(r, "finished_at")));
                    }
                    return out;
                });
    }

    private static Instant instant(io.vertx.mutiny.sqlclient.Row r, String col) {
        OffsetDateTime t = r.getOffsetDateTime(col);
        return t == null ? null : t.toInstant();
    }

    static OffsetDateTime odt(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }
}
