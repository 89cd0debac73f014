package io.meshwatch.notify.alertmanager;

import io.meshwatch.alerting.Alert;
import io.meshwatch.alerting.AlertStore;
import io.meshwatch.notify.Attempt;
import io.meshwatch.notify.OutboxSender;
import io.meshwatch.notify.Receivers;
import io.meshwatch.platform.MeshwatchConfig;
import io.meshwatch.platform.StartupOrder;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Keeps Alertmanager's copy of the open alerts alive: every
 * {@code meshwatch.notify.alertmanager.resend-interval} it pushes every open alert (firing or
 * acknowledged) that receivers were told of, 500 to a request, as Prometheus re-sends its firing
 * alerts. Open alerts carry no {@code endsAt}, so Alertmanager resolves one by itself only after
 * {@code resolve_timeout} without hearing of it (Meshwatch stopped for that long).
 *
 * <p>Not through the outbox: a lost re-send is repaired by the next one, and the raise and resolve
 * that matter go through the outbox. Several instances each re-send; Alertmanager merges
 * duplicates by their labels. Counted in {@code meshwatch_notify_deliveries_total{receiver="alertmanager"}}
 * (outcome delivered, or retry: the next interval tries again).
 *
 * <p>Threading: one periodic timer; a round that is still running when the next is due is skipped.
 */
@ApplicationScoped
public class AlertmanagerResender {

    private static final Logger LOG = Logger.getLogger(AlertmanagerResender.class);
    static final int CHUNK = 500;

    private final Receivers receivers;
    private final AlertStore alerts;
    private final AlertmanagerSink sink;
    private final MeshwatchConfig.Notify config;
    private final Vertx vertx;
    private final Clock clock;
    private final MeterRegistry registry;
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile boolean stopped;

    public AlertmanagerResender(Receivers receivers, AlertStore alerts, AlertmanagerSink sink, MeshwatchConfig config,
                                Vertx vertx, Clock clock, MeterRegistry registry) {
        this.receivers = receivers;
        this.alerts = alerts;
        this.sink = sink;
        this.config = config.notifications();
        this.vertx = vertx;
        this.clock = clock;
        this.registry = registry;
    }

    void start(@Observes @Priority(StartupOrder.RESTORE + 6) StartupEvent ev) {
        if (receivers.alertmanager().isPresent()) {
            vertx.setPeriodic(config.alertmanager().resendInterval().toMillis(), id -> resendNow());
            LOG.infof("Pushing alerts to Alertmanager at %s, open ones again every %s", receivers.alertmanager().get(),
                    config.alertmanager().resendInterval());
        }
    }

    void stop(@Observes ShutdownEvent ev) {
        stopped = true;
    }

    /** Pushes every open notified alert once; returns how many were pushed. */
    public Uni<Integer> resend() {
        return page("", 0);
    }

    private void resendNow() {
        if (!stopped && busy.compareAndSet(false, true)) {
            resend().subscribe().with(n -> busy.set(false), err -> {
                busy.set(false);
                LOG.warnf("Re-sending open alerts to Alertmanager failed (next try in %s): %s",
                        config.alertmanager().resendInterval(), err.getMessage());
            });
        }
    }

    private Uni<Integer> page(String after, int sent) {
        return alerts.openNotified(after, CHUNK).chain(batch -> {
            if (batch.isEmpty()) {
                return Uni.createFrom().item(sent);
            }
            String last = batch.get(batch.size() - 1).fingerprint();
            return push(batch).chain(a -> {
                if (a.outcome() != Attempt.Outcome.DELIVERED) {
                    return Uni.createFrom().failure(new IllegalStateException(a.error()));
                }
                return batch.size() < CHUNK ? Uni.createFrom().item(sent + batch.size()) : page(last, sent + batch.size());
            });
        });
    }

    private Uni<Attempt> push(List<Alert> batch) {
        String key = "resend-" + clock.instant().toEpochMilli();
        return sink.post(AlertmanagerPayload.of(batch, config.externalUrl()), key).invoke(a ->
                OutboxSender.count(registry, AlertmanagerPayload.RECEIVER,
                        a.outcome() == Attempt.Outcome.DELIVERED ? "delivered" : "retry"));
    }
}
