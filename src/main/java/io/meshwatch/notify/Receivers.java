package io.meshwatch.notify;

import io.meshwatch.inventory.Severity;
import io.meshwatch.platform.MeshwatchConfig;
import io.meshwatch.platform.StartupFailure;
import io.meshwatch.platform.StartupOrder;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The webhook receivers of {@code meshwatch.notify.webhooks.*} and the Alertmanager of
 * {@code meshwatch.notify.alertmanager.url}, checked once at start-up: a URL that is not absolute
 * http(s), an unknown severity or a reserved name stops start-up with a line naming the key.
 */
@ApplicationScoped
public class Receivers {

    private final Map<String, Receiver> byName = new TreeMap<>();
    private final Optional<URI> alertmanager;
    private final Instance<Sink> sinks;

    public Receivers(MeshwatchConfig config, @Any Instance<Sink> sinks) {
        this.sinks = sinks;
        config.notifications().webhooks().forEach((name, w) -> {
            try {
                byName.put(name, of(name, w.url(), w.secret(), w.minSeverity(), w.labels()));
            } catch (IllegalArgumentException e) {
                throw new StartupFailure("meshwatch.notify.webhooks." + name + ": " + e.getMessage());
            }
        });
        try {
            alertmanager = config.notifications().alertmanager().url().map(Receivers::alertmanagerUrl);
        } catch (IllegalArgumentException e) {
            throw new StartupFailure("meshwatch.notify.alertmanager.url: " + e.getMessage());
        }
    }

    /**
     * Checks the configuration at start-up, before anything connects: a bad receiver stops it with one
     * line (constructing this bean checked URLs and severities); a webhook may not take the name a
     * built-in integration uses in the outbox.
     */
    void check(@Observes @Priority(StartupOrder.INVENTORY_FILE) StartupEvent ev) {
        for (String name : byName.keySet()) {
            if (builtIn(name)) {
                throw new StartupFailure("meshwatch.notify.webhooks." + name + ": the name '" + name
                        + "' is reserved for the built-in " + name + " sink; choose another name");
            }
        }
    }

    /** True when a built-in integration (Alertmanager, Kafka) uses this receiver name in the outbox. */
    public boolean builtIn(String name) {
        for (Sink s : sinks) {
            if (s.builtInName().filter(name::equals).isPresent()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Where alerts are pushed for an Alertmanager base URL: {@code <url>/api/v2/alerts}. Throws
     * {@link IllegalArgumentException} saying what is wrong.
     */
    public static URI alertmanagerUrl(String base) {
        URI uri = httpUrl(base);
        String s = uri.toString().replaceAll("/+$", "");
        return URI.create(s.endsWith("/api/v2/alerts") ? s : s + "/api/v2/alerts");
    }

    /** Parses an absolute http(s) URL with a host; throws {@link IllegalArgumentException} saying what is wrong. */
    public static URI httpUrl(String url) {
        URI uri;
        try {
            uri = new URI(url == null ? "" : url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("url '" + url + "' is not a URL: " + e.getMessage());
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException("url '" + url + "' must be an absolute http:// or https:// URL with a host");
        }
        return uri;
    }

    /** The Alertmanager push URL ({@code .../api/v2/alerts}), when configured. */
    public Optional<URI> alertmanager() {
        return alertmanager;
    }

    /** Builds and checks a receiver; throws {@link IllegalArgumentException} saying what is wrong. */
    public static Receiver of(String name, String url, Optional<String> secret, String minSeverity,
                              Map<String, String> labels) {
        URI uri = httpUrl(url);
        Severity min;
        try {
            min = Severity.valueOf(minSeverity.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("min-severity must be critical, major, minor, warning or info, not '"
                    + minSeverity + "'");
        }
        return new Receiver(name, uri, secret.filter(s -> !s.isEmpty()), min, new TreeMap<>(labels));
    }

    public List<Receiver> all() {
        return new ArrayList<>(byName.values());
    }

    public Optional<Receiver> named(String name) {
        return Optional.ofNullable(byName.get(name));
    }
}
