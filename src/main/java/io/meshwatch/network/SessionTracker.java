package io.meshwatch.network;

import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.event.PeerStateEvent;
import io.meshwatch.platform.StartupOrder;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Adapter between ingest and the plain {@link NetworkState}: applies peer-state events and keeps
 * the {@code bgp_session} table in step, so a restarted service knows every session at once.
 *
 * <p>Persistence is a restart cache, not the source of truth: when the database is unavailable
 * the changed sessions stay marked dirty and are written with the next batch, and ingest goes on.
 *
 * <p>Threading: {@link #accept} runs on the input channel's context only (single writer); the dirty
 * map is touched nowhere else.
 */
@ApplicationScoped
public class SessionTracker {

    private static final Logger LOG = Logger.getLogger(SessionTracker.class);

    private final NetworkState state;
    private final Mutiny.SessionFactory db;
    private final Map<SessionKey, BgpSession> dirty = new LinkedHashMap<>();

    public SessionTracker(Clock clock, Mutiny.SessionFactory db) {
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

    /** Applies the batch's peer-state events, then persists what changed. */
    public Uni<Void> accept(List<CanonicalEvent> events) {
        apply(events);
        return persist();
    }

    /** Applies the batch's peer-state events to the state; returns the changes, in order. */
    public List<SessionChange> apply(List<CanonicalEvent> events) {
        List<SessionChange> changes = new ArrayList<>();
        for (CanonicalEvent e : events) {
            if (e instanceof PeerStateEvent p) {
                state.apply(p).ifPresent(c -> {
                    dirty.put(c.after().key(), c.after());
                    changes.add(c);
                });
            }
        }
        return changes;
    }

    /** Writes the sessions changed since the last successful write. */
    public Uni<Void> persist() {
        if (dirty.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<BgpSession> batch = List.copyOf(dirty.values());
        return db.withTransaction(s -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (BgpSession b : batch) {
                        chain = chain.chain(() -> s.merge(BgpSessionEntity.of(b)).replaceWithVoid());
                    }
                    return chain;
                })
                .invoke(() -> batch.forEach(b -> dirty.remove(b.key(), b)))
                .onFailure().recoverWithItem(err -> {
                    LOG.warnf("Could not persist %d BGP sessions (will retry with the next batch): %s",
                            batch.size(), err.getMessage());
                    return null;
                });
    }
}
