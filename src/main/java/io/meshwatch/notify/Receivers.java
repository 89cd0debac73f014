package io.meshwatch.notify;

import io.meshwatch.inventory.Severity;
import io.meshwatch.platform.MeshwatchConfig;
import io.meshwatch.platform.StartupFailure;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The webhook receivers of {@code meshwatch.notify.webhooks.*}, checked once: a receiver with a URL
 * that is not absolute http(s), or an unknown severity, stops start-up with a line naming the key.
 */
@ApplicationScoped
public class Receivers {

    private final Map<String, Receiver> byName = new TreeMap<>();

    public Receivers(MeshwatchConfig config) {
        config.notifications().webhooks().forEach((name, w) -> {
            try {
                byName.put(name, of(name, w.url(), w.secret(), w.minSeverity(), w.labels()));
            } catch (IllegalArgumentException e) {
                throw new StartupFailure("meshwatch.notify.webhooks." + name + ": " + e.getMessage());
            }
        });
    }

    /** Builds and checks a receiver; throws {@link IllegalArgumentException} saying what is wrong. */
    public static Receiver of(String name, String url, Optional<String> secret, String minSeverity,
                              Map<String, String> labels) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("url '" + url + "' is not a URL: " + e.getMessage());
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException("url '" + url + "' must be an absolute http:// or https:// URL with a host");
        }
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
