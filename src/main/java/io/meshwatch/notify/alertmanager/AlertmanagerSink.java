package io.meshwatch.notify.alertmanager;

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
import java.util.Map;

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
