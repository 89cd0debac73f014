package io.meshwatch.alerting;

import io.meshwatch.alerting.AlertLifecycle.Outcome;
import io.meshwatch.detect.Incident;
import io.meshwatch.detect.Signal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.meshwatch.platform.StartupOrder;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Adapter between detection and the alert tables: every signal and incident snapshot the engine
 * emits is queued (detection's CDI events reach us on its thread under its lock, so we only queue)
 * and written in order by one writer on a Vert.x context, one transaction per item. A change that
 * notifies writes its outbox rows in the same transaction, and wakes the sender after the commit.
 *
 * <p>People's changes ({@link #acknowledge}, {@link #resolve}) run on the caller's thread in their
 * own transaction and take the alert's row lock, so they serialise with the writer per alert.
 *
 * <p>A write that fails (database away) is retried every second, in order, up to
 * {@value #MAX_TRIES} times; then the item is dropped with an error line.
 */
@ApplicationScoped
public class AlertService {

    private static final Logger LOG = Logger.getLogger(AlertService.class);
    static final int MAX_TRIES = 60;

    /** The alert is not known. */
    public static final class UnknownAlert extends RuntimeException {
        public UnknownAlert(String fingerprint) {
            super("alert '" + fingerprint + "' is not known; GET /api/v1/alerts lists alerts with their fingerprints");
        }
    }

    private final Pool pool;
    private final AlertStore alerts;
    private final SilenceStore silences;
    private final IncidentStore incidents;
    private final AlertNotifications notifications;
    private final Vertx vertx;
    private final Clock clock;
    private final ConcurrentLinkedDeque<Object> queue = new ConcurrentLinkedDeque<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final MeterRegistry registry;
    private final Event<AlertChange> changes;
    private volatile Context context;
    private int tries;

    /** What a committed transaction wrote: outbox rows, and the change it announces (null for none). */
    private record Committed(int rows, AlertChange change) {
        static final Committed NONE = new Committed(0, null);
    }

    public AlertService(Pool pool, AlertStore alerts, SilenceStore silences, IncidentStore incidents,
                        AlertNotifications notifications, Event<AlertChange> changes, Vertx vertx, Clock clock,
                        MeterRegistry registry) {
        this.pool = pool;
        this.alerts = alerts;
        this.silences = silences;
        this.incidents = incidents;
        this.notifications = notifications;
        this.changes = changes;
        this.vertx = vertx;
        this.clock = clock;
        this.registry = registry;
    }

    void start(@Observes @Priority(StartupOrder.RESTORE + 1) StartupEvent ev) {
        context = vertx.getOrCreateContext();
        kick();
    }

    /** A signal transition from detection (a CDI event, on the engine's thread): queued for writing. */
    void signal(@Observes Signal s) {
        enqueue(s);
    }

    /** An incident snapshot from detection (a CDI event, on the engine's thread): queued for writing. */
    void incident(@Observes Incident i) {
        enqueue(i);
    }

    private void enqueue(Object work) {
        queue.addLast(work);
        kick();
    }

    /** Starts the writer on its context unless it runs already (or start-up has not given it one yet). */
    private void kick() {
        if (context != null && running.compareAndSet(false, true)) {
            context.runOnContext(v -> next());
        }
    }

    private void next() {
        Object w = queue.peekFirst();
        if (w == null) {
            running.set(false);
            if (!queue.isEmpty()) {
                kick();
            }
            return;
        }
        Uni<Committed> write = w instanceof Signal s ? apply(s) : save((Incident) w);
        write.subscribe().with(done -> {
            queue.pollFirst();
            tries = 0;
            committed(done);
            next();
        }, err -> {
            if (++tries >= MAX_TRIES) {
                LOG.errorf(err, "Dropping %s after %d failed writes", describe(w), tries);
                queue.pollFirst();
                tries = 0;
                next();
            } else {
                LOG.warnf("Could not store %s (try %d, again in 1 s): %s", describe(w), tries, err.getMessage());
                vertx.setTimer(1000, id -> next());
            }
        });
    }

    /** Applies one signal in its own transaction. */
    private Uni<Committed> apply(Signal s) {
        Instant now = clock.instant();
        // the lock and the silences are independent: both queries go out at once (pipelined)
        return pool.withTransaction(c -> Uni.combine().all().unis(alerts.lock(c, s.fingerprint()), silences.current(c, now))
                .asTuple().chain(t -> {
                    Optional<Alert> existing = t.getItem1();
                    String silence = Silence.muting(t.getItem2(), labelsOf(s), now);
                    return commit(c, AlertLifecycle.onSignal(existing.orElse(null), s, silence, now),
                            existing.map(Alert::count).orElse(0), now);
                }));
    }

    private Uni<Committed> save(Incident i) {
        return pool.withTransaction(c -> incidents.save(c, i, clock.instant())).replaceWith(Committed.NONE);
    }

    /** After a commit: wake the sender if rows were written, tell the listeners, count the transition. */
    private void committed(Committed done) {
        if (done.rows() > 0) {
            notifications.committed();
        }
        AlertChange change = done.change();
        if (change == null) {
            return;
        }
        if (change.transition() != null) {
            Counter.builder("meshwatch.alerts.transitions").description("Alert state changes by the state entered")
                    .tag("to", change.transition().to().wire()).register(registry).increment();
        }
        try {
            changes.fire(change); // observers: the live stream, the open-alert gauges
        } catch (RuntimeException e) {
            LOG.warnf(e, "An observer of alert changes failed");
        }
    }

    /** A person acknowledges an alert; fails with {@link UnknownAlert} or {@link AlertLifecycle.Refused}. */
    public Uni<Alert> acknowledge(String fingerprint, String who, String comment) {
        Instant now = clock.instant();
        return change(fingerprint, (c, a) -> Uni.createFrom().item(AlertLifecycle.acknowledge(a, who, comment, now)), now);
    }

    /** A person resolves an alert; receivers are told unless it is inhibited or silenced. */
    public Uni<Alert> resolve(String fingerprint, String who, String comment) {
        Instant now = clock.instant();
        return change(fingerprint, (c, a) -> silences.current(c, now).map(active ->
                AlertLifecycle.resolve(a, who, comment, Silence.muting(active, a.notificationLabels(), now), now)), now);
    }

    private Uni<Alert> change(String fingerprint, java.util.function.BiFunction<SqlClient, Alert, Uni<Outcome>> rule,
                              Instant now) {
        Alert[] after = new Alert[1];
        return pool.withTransaction(c -> alerts.lock(c, fingerprint).chain(existing -> {
                    if (existing.isEmpty()) {
                        return Uni.createFrom().failure(new UnknownAlert(fingerprint));
                    }
                    return rule.apply(c, existing.get()).chain(o -> {
                        after[0] = o.alert().orElseThrow();
                        return commit(c, o, existing.get().count(), now);
                    });
                }))
                .invoke(this::committed)
                .map(n -> after[0]);
    }

    /**
     * Writes the alert, its transition, its notification rows and its Kafka event row, all in the
     * caller's transaction.
     */
    private Uni<Committed> commit(SqlClient c, Outcome o, int countBefore, Instant now) {
        if (o.alert().isEmpty()) {
            return Uni.createFrom().item(Committed.NONE);
        }
        Alert a = o.alert().get();
        AlertChange.Event event = AlertChange.of(o, countBefore);
        AlertChange change = event == null ? null : new AlertChange(event, a, o.transition().orElse(null), now);
        // the writes are sent together (pipelined on the connection, executed in this order: the
        // alert row before the transition that references it), then awaited
        List<Uni<Integer>> writes = new ArrayList<>();
        writes.add(alerts.save(c, a).replaceWith(0));
        o.transition().ifPresent(t -> writes.add(alerts.record(c, t).replaceWith(0)));
        writes.add(notifications.enqueue(c, a, o.send(), change, now));
        return Uni.join().all(writes).andFailFast()
                .map(rows -> new Committed(rows.stream().mapToInt(Integer::intValue).sum(), change));
    }

    /** The labels silences match a signal against: its labels plus alertname and severity, as receivers see them. */
    static Map<String, String> labelsOf(Signal s) {
        TreeMap<String, String> l = new TreeMap<>(s.labels());
        l.put("alertname", s.type().alertName());
        l.put("severity", s.severity().name().toLowerCase(java.util.Locale.ROOT));
        return l;
    }

    /** Signals and incidents not yet written (for tests and health). */
    public int backlog() {
        return queue.size();
    }

    private static String describe(Object w) {
        return w instanceof Signal s ? "signal " + s.type().alertName() + " " + s.labels() + " " + s.status()
                : "incident " + ((Incident) w).id();
    }

    /** Transitions of an alert, oldest first. */
    public Uni<List<Transition>> history(String fingerprint) {
        return alerts.transitions(fingerprint);
    }
}
