package io.meshwatch.notify.alertmanager;

import io.meshwatch.alerting.Alert;
import io.meshwatch.alerting.AlertChange;
import io.meshwatch.alerting.AlertLifecycle.Notify;
import io.meshwatch.notify.Attempt;
import io.meshwatch.notify.HttpPost;
import io.meshwatch.notify.Outbox;
import io.meshwatch.notify.Receivers;
import io.meshwatch.notify.Sink;
import io.meshwatch.platform.MeshwatchConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Posts outbox rows of the Alertmanager push (raise and resolve, written in the alert change's
 * transaction) to {@code <meshwatch.notify.alertmanager.url>/api/v2/alerts}. Alertmanager answers
 * 200 for a valid body, 400 for an invalid one (not retried).
 */
@ApplicationScoped
public class AlertmanagerSink implements Sink {

    private final Receivers receivers;
    private final HttpPost http;

    public AlertmanagerSink(Receivers receivers, Vertx vertx, MeshwatchConfig config) {
        this.receivers = receivers;
        this.http = new HttpPost(vertx, config.notifications().timeout());
    }

    @Override
    public boolean owns(String receiver) {
        return AlertmanagerPayload.RECEIVER.equals(receiver) && receivers.alertmanager().isPresent();
    }

    /** A raise or resolve: one push of the alert, when an Alertmanager is configured. */
    @Override
    public List<Outbox.Entry> entries(Alert a, Notify kind, AlertChange change, String externalUrl) {
        if (kind == Notify.NONE || receivers.alertmanager().isEmpty()) {
            return List.of();
        }
        return List.of(Outbox.Entry.of(a, kind, AlertmanagerPayload.RECEIVER,
                AlertmanagerPayload.of(List.of(a), externalUrl)));
    }

    @Override
    public Optional<String> builtInName() {
        return Optional.of(AlertmanagerPayload.RECEIVER);
    }

    @Override
    public Uni<Attempt> send(Outbox.Row r) {
        return post(r.payload(), r.idempotencyKey());
    }

    /** One POST of a body of postable alerts. */
    Uni<Attempt> post(String body, String idempotencyKey) {
        URI url = receivers.alertmanager().orElseThrow();
        return http.send(url, body.getBytes(StandardCharsets.UTF_8), Map.of("Idempotency-Key", idempotencyKey));
    }
}
