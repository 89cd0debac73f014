package io.meshwatch.notify;

import io.meshwatch.platform.MeshwatchConfig;
import io.meshwatch.platform.StartupOrder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Drains the outbox to its sinks (webhooks, the Alertmanager push, the Kafka topic). Woken at once
 * when a transaction that wrote outbox rows commits ({@link #wake()}); polls every
 * {@code meshwatch.notify.poll-interval} only as a fallback (rows of another instance, rows left by a
 * crash) and sets a timer for the next retry due.
 *
 * <p>Each batch is claimed with {@code FOR UPDATE SKIP LOCKED} in one transaction that stays open
 * while its rows are sent and their outcome recorded, so two senders (two instances) never take
 * the same row, and a crash mid-batch leaves the rows pending for the next sender. A receiver may
 * thus see a delivery twice only when the process dies between its 2xx answer and the commit; the
 * {@code Idempotency-Key} header (the Kafka record's key and event id) lets it drop the repeat.
 *
 * <p>Retries (Alertmanager's notifier contract): delivered; retry with exponential backoff until the
 * row's deadline; permanent failure at once ({@link Attempt}).
 *
 * <p>Metrics: {@code meshwatch_notify_deliveries_total{receiver,outcome}} (delivered, retry, failed),
 * {@code meshwatch_notify_latency_seconds{receiver}} (row written to receiver's 2xx) and
 * {@code meshwatch_notify_outbox_depth} (pending rows, refreshed at every poll and drain).
 *
 * <p>Threading: the drain loop runs on one Vert.x context; {@link #wake()} may be called from any
 * thread.
 */
@ApplicationScoped
public class OutboxSender {

    private static final Logger LOG = Logger.getLogger(OutboxSender.class);
    private static final int BATCH = 8;

    private final Vertx vertx;
    private final Pool pool;
    private final Outbox outbox;
    private final Instance<Sink> sinks;
    private final MeshwatchConfig.Notify config;
    private final Clock clock;
    private final MeterRegistry registry;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private final AtomicLong depth = new AtomicLong();
    private volatile Context context;
    private volatile long retryTimer = -1;
    private volatile boolean stopped;

    public OutboxSender(Vertx vertx, Pool pool, Outbox outbox, @Any Instance<Sink> sinks, MeshwatchConfig config,
                        Clock clock, MeterRegistry registry) {
        this.vertx = vertx;
        this.pool = pool;
        this.outbox = outbox;
        this.sinks = sinks;
        this.config = config.notifications();
        this.clock = clock;
        this.registry = registry;
    }

    void start(@Observes @Priority(StartupOrder.RESTORE + 5) StartupEvent ev) {
        context = vertx.getOrCreateContext();
        Gauge.builder("meshwatch.notify.outbox.depth", depth, AtomicLong::get)
                .description("Outbox rows waiting to be delivered (pending), all receivers").register(registry);
        vertx.setPeriodic(config.pollInterval().toMillis(), id -> wake());
        wake();
    }

    void stop(@Observes ShutdownEvent ev) {
        stopped = true;
    }

    /** Asks the sender to look at the outbox now (after a commit that wrote rows). Any thread. */
    public void wake() {
        again.set(true);
        if (context != null && !stopped && running.compareAndSet(false, true)) {
            context.runOnContext(v -> loop());
        }
    }

    private void loop() {
        again.set(false);
        drainOnce().subscribe().with(n -> {
            if (n == BATCH || again.get()) {
                loop();
            } else {
                running.set(false);
                if (again.get() && running.compareAndSet(false, true)) {
                    loop();
                } else {
                    afterDrain();
                }
            }
        }, err -> {
            LOG.warnf("Outbox drain failed (retried at the next poll): %s", err.getMessage());
            running.set(false);
        });
    }

    /** Refreshes the depth gauge and sets a timer for the next retry due before the next poll. */
    private void afterDrain() {
        outbox.pending().subscribe().with(p -> {
            depth.set(p.count());
            Instant t = p.nextDue();
            if (t == null) {
                return;
            }
            long ms = Math.max(1, Duration.between(clock.instant(), t).toMillis() + 1);
            if (ms < config.pollInterval().toMillis()) {
                long old = retryTimer;
                if (old >= 0) {
                    vertx.cancelTimer(old);
                }
                retryTimer = vertx.setTimer(ms, id -> wake());
            }
        }, err -> LOG.debugf("pending-rows query failed: %s", err.getMessage()));
    }

    /**
     * Claims and sends one batch; returns how many rows it took. Each receiver's rows go one after
     * the other, in the order they were written; different receivers go side by side, so a slow
     * receiver (or the broker's acknowledgement) does not hold up the others within a batch. The
     * outcomes are committed without waiting for the WAL flush ({@code synchronous_commit off}): a
     * database crash may forget a "delivered" and send that row again, which the idempotency key
     * covers; the rows themselves were written durably with the alert change.
     */
    Uni<Integer> drainOnce() {
        return pool.withTransaction(c -> Uni.combine().all().unis(c.query("SET LOCAL synchronous_commit TO OFF").execute(),
                        outbox.claim(c, clock.instant(), BATCH)).asTuple().map(t -> t.getItem2()).chain(rows -> {
                    if (rows.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    Map<String, List<Outbox.Row>> lanes = new LinkedHashMap<>();
                    rows.forEach(r -> lanes.computeIfAbsent(r.receiver(), k -> new ArrayList<>()).add(r));
                    List<Uni<Void>> sends = new ArrayList<>();
                    for (List<Outbox.Row> lane : lanes.values()) {
                        Uni<Void> chain = Uni.createFrom().voidItem();
                        for (Outbox.Row r : lane) {
                            chain = chain.chain(() -> deliver(r).chain(a -> record(c, r, a)));
                        }
                        sends.add(chain);
                    }
                    return Uni.join().all(sends).andCollectFailures().replaceWith(rows.size());
                }));
    }

    private Uni<Void> record(SqlClient c, Outbox.Row r, Attempt a) {
        Instant now = clock.instant();
        String outcome;
        Uni<Void> write;
        if (a.outcome() == Attempt.Outcome.DELIVERED) {
            outcome = "delivered";
            write = outbox.attempted(c, r.id(), "delivered", a.status(), null, now, null);
            Timer.builder("meshwatch.notify.latency")
                    .description("Alert change committed (outbox row written) to the receiver's 2xx answer")
                    .tag("receiver", r.receiver()).publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(15))
                    .register(registry).record(positive(Duration.between(r.createdAt(), now)));
        } else {
            Duration backoff = backoff(r.attempts() + 1);
            boolean retry = a.outcome() == Attempt.Outcome.RETRY && now.plus(backoff).isBefore(r.deadline());
            outcome = retry ? "retry" : "failed";
            String error = a.outcome() == Attempt.Outcome.RETRY && !retry
                    ? "gave up at the deadline after " + (r.attempts() + 1) + " attempts; last: " + a.error() : a.error();
            write = outbox.attempted(c, r.id(), retry ? "pending" : "failed", a.status(), error, now,
                    retry ? now.plus(backoff) : null);
            LOG.infof("Notification %d to %s: %s (%s)", r.id(), r.receiver(), outcome, error);
        }
        count(registry, r.receiver(), outcome);
        return write;
    }

    /** Counts one delivery attempt in {@code meshwatch_notify_deliveries_total{receiver,outcome}}. */
    public static void count(MeterRegistry registry, String receiver, String outcome) {
        Counter.builder("meshwatch.notify.deliveries").description("Delivery attempts of notifications by receiver and "
                        + "outcome (delivered, retry, failed)")
                .tag("receiver", receiver).tag("outcome", outcome).register(registry).increment();
    }

    /** Backoff before attempt {@code n + 1}: initial x 2^(n-1), capped. */
    Duration backoff(int attemptsSoFar) {
        Duration d = config.initialBackoff().multipliedBy(1L << Math.min(20, Math.max(0, attemptsSoFar - 1)));
        return d.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : d;
    }

    private Uni<Attempt> deliver(Outbox.Row r) {
        for (Sink s : sinks) {
            if (s.owns(r.receiver())) {
                return s.send(r).onFailure().recoverWithItem(Attempt::retry);
            }
        }
        return Uni.createFrom().item(new Attempt(Attempt.Outcome.PERMANENT, null,
                "receiver '" + r.receiver() + "' is no longer configured"));
    }

    private static Duration positive(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
