package io.meshwatch.alerting;

import io.meshwatch.alerting.AlertLifecycle.Outcome;
import io.meshwatch.detect.Incident;
import io.meshwatch.detect.Signal;
import io.meshwatch.platform.MeshwatchConfig;
import io.meshwatch.platform.StartupFailure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.meshwatch.platform.StartupOrder;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.TreeMap;
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
 * <p>A write that fails because the database cannot be reached (or is shutting down, starting up,
 * out of connections) is tried again, the same item first, after a back-off doubling from
 * {@code meshwatch.alerting.write-backoff-initial} to {@code write-backoff-max}, for as long as the
 * database is away: nothing is dropped for time. The queue ({@link AlertBacklog}) keeps every
 * transition in order and replaces only re-statements and incident snapshots by later ones, up to
 * {@code backlog-limit} items. A write the database refuses (an SQL error of the statement itself, a
 * bug) is tried {@value #REFUSED_TRIES} times and then set aside with an error line, so one bad item
 * cannot hold every later alert back. Items are applied as of the instant they were queued.
 * Applying an item twice (its commit succeeded but the answer was lost) changes nothing: a firing
 * signal naming the alert's own start is the same occurrence, a resolved alert stays resolved, an
 * outbox row's idempotency key is unique.
 *
 * <p>The queue is in memory: a crash while it holds items loses them (docs/reliability.md says what
 * then happens); a clean shutdown names what it could not write.
 *
 * <p>Metrics: {@code meshwatch_alerts_backlog} (items waiting), {@code
 * meshwatch_alerts_backlog_oldest_seconds}, {@code meshwatch_alerts_write_retries_total}, {@code
 * meshwatch_alerts_backlog_coalesced_total}, {@code meshwatch_alerts_backlog_dropped_total{reason}}
 * ({@code full}, {@code refused}).
 */
@ApplicationScoped
public class AlertService {

    private static final Logger LOG = Logger.getLogger(AlertService.class);
    /** Tries of a write the database refuses (not an outage) before it is set aside. */
    static final int REFUSED_TRIES = 5;
    private static final Duration WARN_EVERY = Duration.ofMinutes(1);

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
    private final MeshwatchConfig.Alerting config;
    private final AlertBacklog backlog;
    private final AtomicBoolean running = new AtomicBoolean();
    private final MeterRegistry registry;
    private final Event<AlertChange> changes;
    private final Counter retries;
    private volatile Context context;
    // the writer's own state, touched only on its context
    private int tries;
    private int refusals;
    private Instant failingSince;
    private Instant lastWarned;

    /** What a committed transaction wrote: outbox rows, and the change it announces (null for none). */
    private record Committed(int rows, AlertChange change) {
        static final Committed NONE = new Committed(0, null);
    }

    public AlertService(Pool pool, AlertStore alerts, SilenceStore silences, IncidentStore incidents,
                        AlertNotifications notifications, Event<AlertChange> changes, Vertx vertx, Clock clock,
                        MeterRegistry registry, MeshwatchConfig meshwatch) {
        this.pool = pool;
        this.alerts = alerts;
        this.silences = silences;
        this.incidents = incidents;
        this.notifications = notifications;
        this.changes = changes;
        this.vertx = vertx;
        this.clock = clock;
        this.registry = registry;
        this.config = meshwatch.alerting();
        this.backlog = new AlertBacklog(Math.max(1, config.backlogLimit()));
        this.retries = Counter.builder("meshwatch.alerts.write.retries")
                .description("Alert writes tried again after a failure (database away, or a refused write)")
                .register(registry);
        Gauge.builder("meshwatch.alerts.backlog", backlog, AlertBacklog::size)
                .description("Signals and incident snapshots waiting to be written to PostgreSQL").register(registry);
        Gauge.builder("meshwatch.alerts.backlog.oldest", backlog, b -> b.oldest(clock.instant()).toMillis() / 1000.0)
                .baseUnit("seconds").description("How long the oldest signal waiting to be written has waited")
                .register(registry);
        FunctionCounter.builder("meshwatch.alerts.backlog.coalesced", backlog, AlertBacklog::coalesced)
                .description("Queued re-statements and incident snapshots replaced by a later one of the same alert "
                        + "or incident before they were written").register(registry);
    }

    void start(@Observes @Priority(StartupOrder.RESTORE + 1) StartupEvent ev) {
        check(config);
        context = vertx.getOrCreateContext();
        kick();
    }

    /** Bad settings stop start-up with one line. */
    static void check(MeshwatchConfig.Alerting c) {
        if (c.backlogLimit() < 1) {
            throw new StartupFailure("meshwatch.alerting.backlog-limit must be at least 1, not " + c.backlogLimit());
        }
        if (c.writeBackoffInitial().isNegative() || c.writeBackoffInitial().isZero()
                || c.writeBackoffMax().compareTo(c.writeBackoffInitial()) < 0) {
            throw new StartupFailure("meshwatch.alerting.write-backoff-initial (" + c.writeBackoffInitial()
                    + ") must be positive and no longer than meshwatch.alerting.write-backoff-max ("
                    + c.writeBackoffMax() + ")");
        }
    }

    void stop(@Observes ShutdownEvent ev) {
        List<Object> left = backlog.contents();
        if (!left.isEmpty()) {
            LOG.errorf("Stopping with %d alert changes not written to PostgreSQL (they are lost): %s%s", left.size(),
                    left.stream().limit(20).map(AlertService::describe).toList(), left.size() > 20 ? " ..." : "");
        }
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
        if (!backlog.add(work, clock.instant())) {
            dropped("full");
            LOG.errorf("Alert backlog full (%d items, meshwatch.alerting.backlog-limit): %s not stored",
                    backlog.size(), describe(work));
        }
        kick();
    }

    private void dropped(String reason) {
        Counter.builder("meshwatch.alerts.backlog.dropped")
                .description("Signals and incident snapshots never written: backlog full, or refused by the database")
                .tag("reason", reason).register(registry).increment();
    }

    /** Starts the writer on its context unless it runs already (or start-up has not given it one yet). */
    private void kick() {
        if (context != null && running.compareAndSet(false, true)) {
            context.runOnContext(v -> next());
        }
    }

    private void next() {
        AlertBacklog.Item item = backlog.head();
        if (item == null) {
            running.set(false);
            if (backlog.size() > 0) {
                kick();
            }
            return;
        }
        Object w = item.work();
        Uni<Committed> write = w instanceof Signal s ? apply(s, item.queuedAt()) : save((Incident) w, item.queuedAt());
        write.subscribe().with(done -> {
            backlog.done(item);
            recovered();
            tries = 0;
            refusals = 0;
            committed(done);
            next();
        }, err -> failed(item, err));
    }

    private void failed(AlertBacklog.Item item, Throwable err) {
        tries++;
        Instant now = clock.instant();
        if (!unavailable(err) && ++refusals >= REFUSED_TRIES) {
            LOG.errorf(err, "Setting aside %s: the database refused it %d times", describe(item.work()), refusals);
            dropped("refused");
            backlog.done(item);
            tries = 0;
            refusals = 0;
            next();
            return;
        }
        retries.increment();
        Duration wait = backoff(tries);
        if (failingSince == null) {
            failingSince = now;
            lastWarned = now;
            LOG.warnf("Alert writes are failing (%s); %d waiting, trying again with back-off up to %s for as long as "
                    + "it takes", rootMessage(err), backlog.size(), config.writeBackoffMax());
        } else if (Duration.between(lastWarned, now).compareTo(WARN_EVERY) >= 0) {
            lastWarned = now;
            LOG.warnf("Alert writes still failing after %d s (%s); %d waiting, oldest %d s", Duration.between(
                    failingSince, now).toSeconds(), rootMessage(err), backlog.size(), backlog.oldest(now).toSeconds());
        } else {
            LOG.debugf("Could not store %s (try %d, again in %s): %s", describe(item.work()), tries, wait,
                    err.getMessage());
        }
        vertx.setTimer(Math.max(1, wait.toMillis()), id -> next());
    }

    private void recovered() {
        if (failingSince != null) {
            LOG.infof("Alert writes work again after %d s of failures (%d tries); %d waiting",
                    Duration.between(failingSince, clock.instant()).toSeconds(), tries, backlog.size());
            failingSince = null;
        }
    }

    /** Wait before try {@code n + 1} after {@code n} failures: initial x 2^(n-1), capped. */
    Duration backoff(int failures) {
        return backoff(config, failures);
    }

    static Duration backoff(MeshwatchConfig.Alerting c, int failures) {
        Duration d = c.writeBackoffInitial().multipliedBy(1L << Math.min(20, Math.max(0, failures - 1)));
        return d.compareTo(c.writeBackoffMax()) > 0 ? c.writeBackoffMax() : d;
    }

    /**
     * True when the failure says the database could not be used (connection refused or lost, server
     * shutting down or starting, too many connections, a serialisation failure) rather than that it
     * refused this statement. Anything that is not an SQL error from the server counts as unavailable.
     */
    static boolean unavailable(Throwable err) {
        for (Throwable t = err; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PgException pg) {
                String state = String.valueOf(pg.getSqlState());
                return state.startsWith("08") || state.startsWith("57") || state.startsWith("53")
                        || state.startsWith("40") || state.equals("null");
            }
        }
        return true;
    }

    private static String rootMessage(Throwable err) {
        Throwable t = err;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    /** Applies one signal in its own transaction, as of {@code now}: when detection decided it. */
    private Uni<Committed> apply(Signal s, Instant now) {
        // the lock and the silences are independent: both queries go out at once (pipelined)
        return pool.withTransaction(c -> Uni.combine().all().unis(alerts.lock(c, s.fingerprint()), silences.current(c, now))
                .asTuple().chain(t -> {
                    Optional<Alert> existing = t.getItem1();
                    String silence = Silence.muting(t.getItem2(), labelsOf(s), now);
                    return commit(c, AlertLifecycle.onSignal(existing.orElse(null), s, silence, now),
                            existing.map(Alert::count).orElse(0), now);
                }));
    }

    private Uni<Committed> save(Incident i, Instant now) {
        return pool.withTransaction(c -> incidents.save(c, i, now)).replaceWith(Committed.NONE);
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
        // the rows' own clock is the write's (a row's delivery deadline counts from when it exists), so a
        // change written late after an outage still gets the whole deadline
        writes.add(notifications.enqueue(c, a, o.send(), change, clock.instant()));
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
        return backlog.size();
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
