package io.meshwatch.notify.webhook;

import io.meshwatch.alerting.Alert;
import io.meshwatch.alerting.AlertChange;
import io.meshwatch.alerting.AlertLifecycle.Notify;
import io.meshwatch.notify.Attempt;
import io.meshwatch.notify.HttpPost;
import io.meshwatch.notify.Outbox;
import io.meshwatch.notify.Receiver;
import io.meshwatch.notify.Receivers;
import io.meshwatch.notify.Sink;
import io.meshwatch.platform.MeshwatchConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Posts outbox rows of the configured webhook receivers: the stored Alertmanager v4 payload, with
 * {@code Idempotency-Key} and, when the receiver has a secret, {@code X-Meshwatch-Signature}.
 */
@ApplicationScoped
public class WebhookSink implements Sink {

    private final Receivers receivers;
    private final HttpPost http;

    public WebhookSink(Receivers receivers, Vertx vertx, MeshwatchConfig config) {
        this.receivers = receivers;
        this.http = new HttpPost(vertx, config.notifications().timeout());
    }

    @Override
    public boolean owns(String receiver) {
        return receivers.named(receiver).isPresent();
    }

    /** A raise or resolve: one row per configured receiver whose routing accepts the alert. */
    @Override
    public List<Outbox.Entry> entries(Alert a, Notify kind, AlertChange change, String externalUrl) {
        if (kind == Notify.NONE) {
            return List.of();
        }
        List<Outbox.Entry> out = new ArrayList<>();
        for (Receiver r : receivers.all()) {
            if (r.accepts(a)) {
                out.add(Outbox.Entry.of(a, kind, r.name(),
                        WebhookPayload.of(r.name(), a, kind == Notify.RESOLVED, externalUrl)));
            }
        }
        return out;
    }

    @Override
    public Uni<Attempt> send(Outbox.Row r) {
        Receiver receiver = receivers.named(r.receiver()).orElseThrow();
        return post(http, receiver, r.payload().getBytes(StandardCharsets.UTF_8), r.idempotencyKey());
    }

    /** One signed POST to a receiver (also the receivers API's ad-hoc test). */
    public static Uni<Attempt> post(HttpPost http, Receiver receiver, byte[] body, String idempotencyKey) {
        Map<String, String> headers = new TreeMap<>();
        headers.put("Idempotency-Key", idempotencyKey);
        receiver.secret().ifPresent(s -> headers.put(Signatures.HEADER, Signatures.sign(s, body)));
        return http.send(receiver.url(), body, headers);
    }
}
