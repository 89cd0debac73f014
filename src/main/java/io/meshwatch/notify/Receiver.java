package io.meshwatch.notify;

import io.meshwatch.alerting.Alert;
import io.meshwatch.inventory.Severity;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A configured webhook receiver and its route: which alerts it gets.
 *
 * @param name        the configuration name ({@code meshwatch.notify.webhooks.<name>})
 * @param url         where the payload is POSTed
 * @param secret      HMAC-SHA256 key of the signature header; empty: unsigned
 * @param minSeverity only alerts at least this severe
 * @param labels      only alerts carrying all these labels with these values
 */
public record Receiver(String name, URI url, Optional<String> secret, Severity minSeverity,
                       SortedMap<String, String> labels) {

    public Receiver {
        labels = new TreeMap<>(labels);
    }

    /** True when the alert's severity and labels route it to this receiver. */
    public boolean accepts(Alert a) {
        if (!a.severity().atLeast(minSeverity)) {
            return false;
        }
        Map<String, String> l = a.notificationLabels();
        return labels.entrySet().stream().allMatch(e -> e.getValue().equals(l.get(e.getKey())));
    }
}
