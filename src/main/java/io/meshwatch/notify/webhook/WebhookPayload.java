package io.meshwatch.notify.webhook;

import io.meshwatch.alerting.Alert;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Alertmanager webhook payload, version 4, for one alert: what existing Alertmanager
 * receivers parse. One alert per POST; {@code groupKey} is stable per alert identity.
 */
public final class WebhookPayload {

    /** Alertmanager's "not ended" time. */
    public static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private WebhookPayload() {
    }

    /**
     * @param receiver the receiver's name
     * @param a        the alert as it is after the change
     * @param resolved true for a resolved notification
     */
    public static String of(String receiver, Alert a, boolean resolved, String externalUrl) {
        Map<String, String> labels = a.notificationLabels();
        Map<String, String> annotations = annotations(a);
        String status = resolved ? "resolved" : "firing";
        Instant ended = resolved ? (a.endedAt() != null ? a.endedAt() : a.resolvedAt()) : null;
        JsonObject alert = new JsonObject()
                .put("status", status)
                .put("labels", json(labels))
                .put("annotations", json(annotations))
                .put("startsAt", time(a.startedAt()))
                .put("endsAt", ended == null ? ZERO_TIME : time(ended))
                .put("generatorURL", externalUrl + "/api/v1/alerts/" + a.fingerprint())
                .put("fingerprint", a.fingerprint());
        return new JsonObject()
                .put("receiver", receiver)
                .put("status", status)
                .put("alerts", new JsonArray().add(alert))
                .put("groupLabels", new JsonObject().put("alertname", a.alertName()))
                .put("commonLabels", json(labels))
                .put("commonAnnotations", json(annotations))
                .put("externalURL", externalUrl)
                .put("version", "4")
                .put("groupKey", "{}:{fingerprint=\"" + a.fingerprint() + "\"}")
                .put("truncatedAlerts", 0)
                .encode();
    }

    /** The annotations receivers see: the alert's, plus {@code summary} and {@code incident} when correlated. */
    public static Map<String, String> annotations(Alert a) {
        TreeMap<String, String> annotations = new TreeMap<>(a.annotations());
        annotations.put("summary", a.summary());
        if (a.incidentId() != null) {
            annotations.put("incident", a.incidentId());
        }
        return annotations;
    }

    /** A JSON object of string values. */
    public static JsonObject json(Map<String, String> m) {
        JsonObject o = new JsonObject();
        m.forEach(o::put);
        return o;
    }

    /** RFC 3339 in UTC, milliseconds. */
    public static String time(Instant i) {
        return i.truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
