package io.meshwatch.notify.kafka;

import io.meshwatch.alerting.AlertChange;
import io.meshwatch.notify.webhook.WebhookPayload;
import io.vertx.core.json.JsonObject;

/**
 * The JSON value of a record on {@code meshwatch.alerts.v1} (key: the alert's fingerprint): one per
 * lifecycle event, {@code raised}, {@code repeated}, {@code acknowledged} or {@code resolved}, with
 * the alert's state, labels, annotations, count, who and why, and when. {@code id} names the change
 * (the same on a re-send), so a consumer can drop a repeat. See docs/alerts.md.
 */
public final class AlertEvents {

    /** The outbox receiver name of the Kafka sink (reserved; no webhook may use it). */
    public static final String RECEIVER = "kafka";
    /** The version of this format. */
    public static final int VERSION = 1;

    private AlertEvents() {
    }

    public static JsonObject json(AlertChange c) {
        var a = c.alert();
        return new JsonObject()
                .put("version", VERSION)
                .put("id", c.key())
                .put("event", c.event().wire())
                .put("fingerprint", a.fingerprint())
                .put("alertname", a.alertName())
                .put("state", a.state().wire())
                .put("from", c.transition() == null || c.transition().from() == null ? null : c.transition().from().wire())
                .put("severity", a.severity().name().toLowerCase(java.util.Locale.ROOT))
                .put("labels", WebhookPayload.json(a.labels()))
                .put("annotations", WebhookPayload.json(WebhookPayload.annotations(a)))
                .put("count", a.count())
                .put("incidentId", a.incidentId())
                .put("inhibited", a.inhibited())
                .put("silencedBy", a.silencedBy())
                .put("actor", c.actor())
                .put("reason", c.reason())
                .put("at", WebhookPayload.time(c.at()))
                .put("startsAt", WebhookPayload.time(a.startedAt()))
                .put("endsAt", a.endedAt() == null ? null : WebhookPayload.time(a.endedAt()));
    }
}
