package io.meshwatch.network;

import io.meshwatch.platform.StartupOrder;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * The database adapter of the plain {@link NetworkState}: restores it at start-up and keeps the
 * {@code bgp_session} table in step with the changes the shard stage
 * ({@link io.meshwatch.shard.ShardStage}) reports, so a restarted service knows every session at once.
 *
 * <p>Persistence is a restart cache, not the source of truth: when the database is unavailable
 * the changed sessions stay marked dirty and are written with the next batch, and ingest goes on.
 *
 * <p>Threading: {@link #changed} and {@link #persist} run on the input channel's context only
 * (single writer); the dirty map is touched nowhere else.
 */
@ApplicationScoped
public class SessionTracker {

    private static final Logger LOG = Logger.getLogger(SessionTracker.class);

    private final NetworkState state;
    private static final String UPSERT = "INSERT INTO bgp_session (router, vrf, peer, peer_as, local_as, state, "
            + "since, last_event, flaps, last_reason, observed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
            + "ON CONFLICT (router, vrf, peer) DO UPDATE SET peer_as = EXCLUDED.peer_as, local_as = EXCLUDED.local_as, "
            + "state = EXCLUDED.state, since = EXCLUDED.since, last_event = EXCLUDED.last_event, "
            + "flaps = EXCLUDED.flaps, last_reason = EXCLUDED.last_reason, observed_at = EXCLUDED.observed_at";

    private final Mutiny.SessionFactory db;
    private final Pool pool;
    private final Map<SessionKey, BgpSession> dirty = new LinkedHashMap<>();

    private static OffsetDateTime utc(java.time.Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    public SessionTracker(Clock clock, Mutiny.SessionFactory db, Pool pool) {
        this.pool = pool;
        this.state = new NetworkState(clock);
        this.db = db;
    }

    public NetworkState state() {
        return state;
    }

    void restore(@Observes @Priority(StartupOrder.RESTORE) StartupEvent ev) throws Throwable {
        List<BgpSessionEntity> rows = VertxContextSupport.subscribeAndAwait(() -> db.withSession(
                s -> s.createQuery("from BgpSessionEntity", BgpSessionEntity.class).getResultList()));
        state.restore(rows.stream().map(BgpSessionEntity::toSession).toList());
        LOG.infof("Restored %d BGP sessions from the database", rows.size());
    }

    /** Marks the sessions a step changed for the next {@link #persist()}. */
    public void changed(List<SessionChange> changes) {
        for (SessionChange c : changes) {
            dirty.put(c.after().key(), c.after());
        }
    }

    /** Writes the sessions changed since the last successful write. */
    public Uni<Void> persist() {
        if (dirty.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<BgpSession> batch = List.copyOf(dirty.values());
        List<Tuple> rows = new ArrayList<>(batch.size());
        for (BgpSession b : batch) {
            rows.add(Tuple.from(new Object[] {b.router(), b.vrf(), b.peer(), b.peerAs(), b.localAs(), b.state().wire(),
                    utc(b.since()), utc(b.lastEvent()), b.flaps(), b.lastReason(),
                    utc(b.observedAt() != null ? b.observedAt() : b.lastEvent())}));
        }
        // the reactive client, not a Hibernate session: this runs on the input channel's event loop,
        // which is no safe (duplicated) context, and Hibernate Reactive refuses those
        return pool.preparedQuery(UPSERT).executeBatch(rows).replaceWithVoid()
                .invoke(() -> batch.forEach(b -> dirty.remove(b.key(), b)))
                .onFailure().recoverWithItem(err -> {
                    LOG.warnf("Could not persist %d BGP sessions (will retry with the next batch): %s",
                            batch.size(), err.getMessage());
                    return null;
                });
    }
}
