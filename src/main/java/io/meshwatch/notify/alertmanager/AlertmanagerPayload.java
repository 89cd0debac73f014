package io.meshwatch.notify.alertmanager;

import io.meshwatch.alerting.Alert;
import io.meshwatch.notify.webhook.WebhookPayload;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Collection;

/**
 * The body of Alertmanager's {@code POST /api/v2/alerts}: an array of postable alerts with
 * {@code labels} (the alert's labels plus {@code alertname} and {@code severity}),
 * {@code annotations}, {@code startsAt}, {@code generatorURL} and, for a resolved alert,
 * {@code endsAt}.
 *
 * <p>An open alert (firing or acknowledged) carries no {@code endsAt}: Alertmanager then keeps it
 * active for its {@code resolve_timeout}, and {@link AlertmanagerResender} pushes it again well
 * within that. A fixed {@code endsAt} computed when the row is written could already be past when a
 * retried row finally arrives, and Alertmanager would take the alert as resolved.
 */
public final class AlertmanagerPayload {

    /** The outbox receiver name of the Alertmanager push (reserved; no webhook may use it). */
    public static final String RECEIVER = "alertmanager";

    private AlertmanagerPayload() {
    }

    /** The request body for these alerts; resolved ones with {@code endsAt}. */
    public static String of(Collection<Alert> alerts, String externalUrl) {
        JsonArray out = new JsonArray();
        for (Alert a : alerts) {
            out.add(alert(a, externalUrl));
        }
        return out.encode();
    }

    static JsonObject alert(Alert a, String externalUrl) {
        JsonObject o = new JsonObject()
                .put("labels", WebhookPayload.json(a.notificationLabels()))
                .put("annotations", WebhookPayload.json(WebhookPayload.annotations(a)))
                .put("startsAt", WebhookPayload.time(a.startedAt()))
                .put("generatorURL", externalUrl + "/api/v1/alerts/" + a.fingerprint());
        if (!a.state().open()) {
            o.put("endsAt", WebhookPayload.time(endsAt(a)));
        }
        return o;
    }

    /**
     * When a resolved alert ended for Alertmanager: the router's end time, but never after our own
     * resolve time (so it is already past when it arrives) and never before its start (Alertmanager
     * refuses an end before the start).
     */
    static Instant endsAt(Alert a) {
        Instant end = a.endedAt() != null ? a.endedAt() : a.resolvedAt();
        if (a.resolvedAt() != null && end.isAfter(a.resolvedAt())) {
            end = a.resolvedAt();
        }
        return end.isBefore(a.startedAt()) ? a.startedAt() : end;
    }
}
