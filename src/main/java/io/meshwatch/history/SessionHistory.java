package io.meshwatch.history;

import io.meshwatch.network.BgpSession;
import io.meshwatch.network.SessionChange;
import io.meshwatch.platform.MeshwatchConfig;
import io.meshwatch.platform.RowQueue;
import io.meshwatch.platform.StartupOrder;
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
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The state changes of BGP sessions over time, in {@code bgp_session_history}: an adapter that
 * observes the session changes this instance applies (the {@link SessionChange} CDI event, which the
 * live stream observes too), queues them and writes them in batches, and answers a session's history.
 *
 * <p>Rules: a change is written once per (router, VRF, peer, time it entered the state, state), so a
 * change replayed after a restart or rebalance is not written twice. The queue holds at most
 * {@value #MAX_QUEUED} changes; beyond that changes are dropped and counted (the database is away),
 * never blocking the input channel. Rows older than {@code meshwatch.rib.history.sessions-keep-for}
 * are deleted at most once an hour.
 *
 * <p>Threading: the observer runs on the input channel's thread and only queues; one flush at a time
 * runs from a Vert.x timer; reads run on the caller's thread.
 */
@ApplicationScoped
public class SessionHistory {

    private static final Logger LOG = Logger.getLogger(SessionHistory.class);
    static final int MAX_QUEUED = 100_000;
    private static final int BATCH = 500;

    /** One state change of a session. */
    public record Entry(String router, String vrf, String peer, Instant at, String state, String previous, long peerAs,
                        String reason, String cause, long flaps, Instant observedAt) {
    }

    private final Pool pool;
    private final Vertx vertx;
    private final Clock clock;
    private final Duration keepFor;
    private final RowQueue<Entry> rows = new RowQueue<>("session history rows", MAX_QUEUED, BATCH, this::write);
    private volatile long prunedAt;
    private long timer = -1;

    public SessionHistory(Pool pool, Vertx vertx, Clock clock, MeshwatchConfig config) {
        this.pool = pool;
        this.vertx = vertx;
        this.clock = clock;
        this.keepFor = config.rib().history().sessionsKeepFor();
    }

    void start(@Observes @Priority(StartupOrder.RESTORE + 3) StartupEvent ev) {
        timer = vertx.setPeriodic(500, id -> flush());
    }

    @PreDestroy
    void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** A session's state change (a CDI event, on the input channel's thread): queues it. */
    void changed(@Observes SessionChange c) {
        BgpSession a = c.after();
        rows.offer(new Entry(a.router(), a.vrf(), a.peer(), a.since(), a.state().wire(),
                c.before() == null ? null : c.before().state().wire(), a.peerAs(), a.lastReason(),
                a.cause() == null ? null : a.cause().wire(), a.flaps(), a.observedAt()));
    }

    /** Writes up to a batch of what is queued (one flush at a time); failed rows stay queued for the next. */
    void flush() {
        rows.flush().chain(more -> more ? Uni.createFrom().voidItem() : pruneIfDue())
                .subscribe().with(v -> {
                }, err -> LOG.debugf("Session history pruning failed (next hour): %s", err.toString()));
    }

    private Uni<Void> write(List<Entry> batch) {
        List<Tuple> tuples = new ArrayList<>(batch.size());
        for (Entry x : batch) {
            tuples.add(Tuple.from(new Object[] {x.router(), x.vrf(), x.peer(), utc(x.at()), x.state(), x.previous(),
                    x.peerAs(), x.reason(), x.cause(), x.flaps(), utc(x.observedAt())}));
        }
        return pool.preparedQuery("INSERT INTO bgp_session_history (router, vrf, peer, at, state, previous, "
                        + "peer_as, reason, cause, flaps, observed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
                        + "ON CONFLICT DO NOTHING")
                .executeBatch(tuples).replaceWithVoid();
    }

    private Uni<Void> pruneIfDue() {
        long now = clock.millis();
        if (now - prunedAt < 3_600_000L) {
            return Uni.createFrom().voidItem();
        }
        prunedAt = now;
        return pool.preparedQuery("DELETE FROM bgp_session_history WHERE at < $1")
                .execute(Tuple.of(utc(clock.instant().minus(keepFor)))).replaceWithVoid();
    }

    /** Changes queued and not written yet (for tests and logs). */
    public int pending() {
        return rows.pending();
    }

    /**
     * A session's changes between {@code from} and {@code to} (by the time it entered the state), oldest
     * first, at most {@code limit}; every VRF when {@code vrf} is null.
     */
    public List<Entry> of(String router, String vrf, String peer, Instant from, Instant to, int limit) {
        return pool.preparedQuery("SELECT router, vrf, peer, at, state, previous, peer_as, reason, cause, flaps, "
                        + "observed_at FROM bgp_session_history WHERE router = $1 AND peer = $2 AND ($3::text IS NULL "
                        + "OR vrf = $3) AND at >= $4 AND at <= $5 ORDER BY at, state LIMIT $6")
                .execute(Tuple.from(new Object[] {router, peer, vrf, utc(from), utc(to), limit}))
                .map(rows -> {
                    List<Entry> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Entry(r.getString("router"), r.getString("vrf"), r.getString("peer"),
                                r.getOffsetDateTime("at").toInstant(), r.getString("state"), r.getString("previous"),
                                r.getLong("peer_as"), r.getString("reason"), r.getString("cause"), r.getLong("flaps"),
                                r.getOffsetDateTime("observed_at").toInstant()));
                    }
                    return out;
                }).await().atMost(Duration.ofSeconds(30));
    }

    private static OffsetDateTime utc(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }
}
