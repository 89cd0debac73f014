package io.meshwatch.notify.webhook;

import io.meshwatch.notify.Outbox;
import io.meshwatch.notify.Receiver;
import io.meshwatch.notify.Receivers;
import io.meshwatch.platform.MeshwatchConfig;
import io.meshwatch.platform.StartupOrder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Drains the outbox to the webhook receivers. Woken at once when a transaction that wrote outbox
 * rows commits ({@link #wake()}); polls every {@code meshwatch.notify.poll-interval} only as a fallback
 * (rows of another instance, rows left by a crash) and sets a timer for the next retry due.
 *
 * <p>Each batch is claimed with {@code FOR UPDATE SKIP LOCKED} in one transaction that stays open
 * while its rows are sent and their outcome recorded, so two senders (two instances) never take
 * the same row, and a crash mid-batch leaves the rows pending for the next sender. A receiver may
 * thus see a delivery twice only when the process dies between its 2xx answer and the commit; the
 * {@code Idempotency-Key} header lets it drop the repeat.
 *
 * <p>Retries (Alertmanager's notifier contract): 2xx delivered; 5xx, 429, timeouts and connection
 * errors retried with exponential backoff until the row's deadline; any other status fails at once.
 *
 * <p>Threading: the drain loop runs on one Vert.x context; {@link #wake()} may be called from any
 * thread.
 */
@ApplicationScoped
public class WebhookSender {

    private static final Logger LOG = Logger.getLogger(WebhookSender.class);
    private static final int BATCH = 8;

    private final Vertx vertx;
    private final Pool pool;
    private final Outbox outbox;
    private final Receivers receivers;
    private final MeshwatchConfig.Notify config;
    private final Clock clock;
    private final MeterRegistry registry;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private volatile Context context;
    private volatile HttpClient http;
    private volatile long retryTimer = -1;
    private volatile boolean stopped;

    public WebhookSender(Vertx vertx, Pool pool, Outbox outbox, Receivers receivers, MeshwatchConfig config,
                         Clock clock, MeterRegistry registry) {
        this.vertx = vertx;
        this.pool = pool;
        this.outbox = outbox;
        this.receivers = receivers;
        this.config = config.notifications();
        this.clock = clock;
        this.registry = registry;
    }

    void start(@Observes @Priority(StartupOrder.RESTORE + 5) StartupEvent ev) {
        context = vertx.getOrCreateContext();
        http = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.timeout().toMillis()).setKeepAlive(true));
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
                    scheduleNextRetry();
                }
            }
        }, err -> {
            LOG.warnf("Outbox drain failed (retried at the next poll): %s", err.getMessage());
            running.set(false);
        });
    }

    private void scheduleNextRetry() {
        outbox.nextDue().subscribe().with(t -> {
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
        }, err -> LOG.debugf("next-due query failed: %s", err.getMessage()));
    }

    /** Claims and sends one batch; returns how many rows it took. */
    Uni<Integer> drainOnce() {
        return pool.withTransaction(c -> outbox.claim(c, clock.instant(), BATCH).chain(rows -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Outbox.Row r : rows) {
                chain = chain.chain(() -> deliver(r).chain(a -> record(c, r, a)));
            }
            return chain.replaceWith(rows.size());
        }));
    }

    private Uni<Void> record(io.vertx.mutiny.sqlclient.SqlClient c, Outbox.Row r, Attempt a) {
        Instant now = clock.instant();
        String outcome;
        Uni<Void> write;
        if (a.outcome() == Attempt.Outcome.DELIVERED) {
            outcome = "delivered";
            write = outbox.attempted(c, r.id(), "delivered", a.status(), null, now, null);
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
        Counter.builder("meshwatch.notify.attempts").description("Webhook delivery attempts by outcome "
                        + "(delivered, retry, failed)")
                .tag("receiver", r.receiver()).tag("outcome", outcome).register(registry).increment();
        return write;
    }

    /** Backoff before attempt {@code n + 1}: initial x 2^(n-1), capped. */
    Duration backoff(int attemptsSoFar) {
        Duration d = config.initialBackoff().multipliedBy(1L << Math.min(20, Math.max(0, attemptsSoFar - 1)));
        return d.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : d;
    }

    private Uni<Attempt> deliver(Outbox.Row r) {
        Receiver receiver = receivers.named(r.receiver()).orElse(null);
        if (receiver == null) {
            return Uni.createFrom().item(new Attempt(Attempt.Outcome.PERMANENT, null,
                    "receiver '" + r.receiver() + "' is no longer configured"));
        }
        byte[] body = r.payload().getBytes(StandardCharsets.UTF_8);
        RequestOptions req = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(receiver.url().toString())
                .setIdleTimeout(config.timeout().toMillis())
                .putHeader("Content-Type", "application/json")
                .putHeader("User-Agent", "Meshwatch")
                .putHeader("Idempotency-Key", r.idempotencyKey());
        receiver.secret().ifPresent(s -> req.putHeader(Signatures.HEADER, Signatures.sign(s, body)));
        return Uni.createFrom().completionStage(() -> http.request(req)
                        .compose(q -> q.send(Buffer.buffer(body)))
                        .compose(resp -> resp.body().map(b -> Attempt.of(resp.statusCode(), b.toString())))
                        .toCompletionStage())
                .ifNoItem().after(config.timeout().plusSeconds(1)).fail()
                .onFailure().recoverWithItem(err -> new Attempt(Attempt.Outcome.RETRY, null,
                        err.getClass().getSimpleName() + ": " + err.getMessage()));
    }

    /** What one HTTP attempt came to. */
    record Attempt(Outcome outcome, Integer status, String error) {
        enum Outcome { DELIVERED, RETRY, PERMANENT }

        static Attempt of(int status, String body) {
            if (status >= 200 && status < 300) {
                return new Attempt(Outcome.DELIVERED, status, null);
            }
            String b = body == null ? "" : body.strip();
            String error = "HTTP " + status + (b.isEmpty() ? "" : ": " + (b.length() > 200 ? b.substring(0, 200) : b));
            return new Attempt(status >= 500 || status == 429 ? Outcome.RETRY : Outcome.PERMANENT, status, error);
        }
    }

    /** For tests and the API: the receivers this sender knows. */
    public List<Receiver> receivers() {
        return receivers.all();
    }
}
