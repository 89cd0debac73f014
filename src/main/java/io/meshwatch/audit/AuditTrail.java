package io.meshwatch.audit;

import io.meshwatch.platform.RowQueue;
import io.meshwatch.platform.StartupOrder;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The {@code audit_log} table: entries are queued by {@link AuditFilter} (on the request's thread)
 * and written in batches every half second ({@link RowQueue}); a failed write keeps them queued and
 * is tried again at the next flush, so a database outage delays entries and loses none until
 * {@value #MAX_QUEUED} are waiting (then the newest are dropped, counted in
 * {@code meshwatch_audit_dropped_total} and said in the log). A crash loses what is queued (at most half a second of changes when the database is up).
 * Entries older than {@code meshwatch.audit.keep-for} are deleted hourly.
 */
@ApplicationScoped
public class AuditTrail {

    private static final Logger LOG = Logger.getLogger(AuditTrail.class);
    static final int MAX_QUEUED = 100_000;
    private static final int BATCH = 500;
    private static final String COLUMNS = "at, actor, role, address, forwarded_for, method, path, status, detail, "
            + "answered_by";

    private final Pool pool;
    private final Vertx vertx;
    private final Clock clock;
    private final AuditConfig config;
    private final RowQueue<AuditEntry> rows;
    private volatile long prunedAt;
    private long timer = -1;

    public AuditTrail(Pool pool, Vertx vertx, Clock clock, AuditConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.vertx = vertx;
        this.clock = clock;
        this.config = config;
        this.rows = new RowQueue<>("audit entries", MAX_QUEUED, BATCH, this::write);
        registry.gauge("meshwatch_audit_queued", rows, RowQueue::pending);
        io.micrometer.core.instrument.FunctionCounter.builder("meshwatch_audit_dropped", rows, RowQueue::dropped)
                .description("audit entries dropped because " + MAX_QUEUED + " were waiting for the database")
                .register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("meshwatch_audit_written", rows, RowQueue::written)
                .description("audit entries stored").register(registry);
    }

    void start(@Observes @Priority(StartupOrder.RESTORE + 3) StartupEvent ev) {
        timer = vertx.setPeriodic(500, id -> flush());
    }

    @PreDestroy
    void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        flush();
    }

    public boolean enabled() {
        return config.enabled();
    }

    /** Queues an entry (any thread). */
    public void record(AuditEntry e) {
        rows.offer(e);
    }

    /** Writes what is queued, a batch at a time, and deletes what is past its retention (hourly). */
    void flush() {
        rows.flush().subscribe().with(more -> {
            if (more) {
                vertx.runOnContext(v -> flush());
            }
        });
        pruneIfDue();
    }

    private Uni<Void> write(List<AuditEntry> batch) {
        List<Tuple> tuples = new ArrayList<>(batch.size());
        for (AuditEntry x : batch) {
            tuples.add(Tuple.from(new Object[] {utc(x.at()), x.actor(), x.role(), x.address(), x.forwardedFor(),
                    x.method(), x.path(), x.status(), x.detail(), x.answeredBy()}));
        }
        return pool.preparedQuery("INSERT INTO audit_log (" + COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
                + "$9, $10)").executeBatch(tuples).replaceWithVoid();
    }

    private void pruneIfDue() {
        long now = System.nanoTime();
        if (prunedAt != 0 && now - prunedAt < 3_600_000_000_000L) {
            return;
        }
        prunedAt = now;
        Instant before = clock.instant().minus(config.keepFor());
        pool.preparedQuery("DELETE FROM audit_log WHERE at < $1").execute(Tuple.of(utc(before))).subscribe().with(
                rows -> {
                    if (rows.rowCount() > 0) {
                        LOG.infof("Audit trail: %d entries older than %s deleted", rows.rowCount(), before);
                    }
                }, err -> prunedAt = 0);
    }

    /** Entries between {@code from} and {@code to}, of one actor or all, newest first. */
    public Uni<List<AuditEntry>> page(Instant from, Instant to, String actor, int limit, int offset) {
        return pool.preparedQuery("SELECT id, " + COLUMNS + " FROM audit_log WHERE at >= $1 AND at <= $2 AND "
                        + "($3::text IS NULL OR actor = $3) ORDER BY at DESC, id DESC LIMIT $4 OFFSET $5")
                .execute(Tuple.from(new Object[] {utc(from), utc(to), actor, limit, offset}))
                .map(rows -> {
                    List<AuditEntry> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new AuditEntry(r.getLong("id"), r.getOffsetDateTime("at").toInstant(),
                                r.getString("actor"), r.getString("role"), r.getString("address"),
                                r.getString("forwarded_for"), r.getString("method"), r.getString("path"),
                                r.getInteger("status"), r.getString("detail"), r.getString("answered_by")));
                    }
                    return out;
                });
    }

    private static OffsetDateTime utc(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }
}
