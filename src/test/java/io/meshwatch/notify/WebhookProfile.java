package io.meshwatch.notify;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;

/**
 * Four webhook receivers on a real HTTP server the test starts on a free port, and a fifth on a server of its own (passed through the
 * JVM-wide system property {@value #PORT}, since the profile and the test may live in different
 * class loaders), with short backoffs so retries happen within the test.
 */
public class WebhookProfile implements QuarkusTestProfile {

    static final String PORT = "webhookTestPort";
    static final String OUTAGE_PORT = "webhookOutageTestPort";
    static final String SECRET = "s3cret-for-tests";

    static int port() {
        return port(PORT);
    }

    /** The port of the receiver {@code outage}, a server of its own that {@code ReceiverOutageDrillTest} stops and starts. */
    static int outagePort() {
        return port(OUTAGE_PORT);
    }

    private static synchronized int port(String property) {
        String p = System.getProperty(property);
        if (p == null) {
            try (ServerSocket s = new ServerSocket(0)) {
                p = Integer.toString(s.getLocalPort());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            System.setProperty(property, p);
        }
        return Integer.parseInt(p);
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        String base = "http://127.0.0.1:" + port();
        // bin/drill receiver-outage: the default back-offs (1 s doubling to 60 s), as deployed
        boolean production = Boolean.getBoolean("drill.production-backoff");
        return Map.ofEntries(
                Map.entry("meshwatch.notify.initial-backoff", production ? "1s" : "200ms"),
                Map.entry("meshwatch.notify.max-backoff", production ? "60s" : "1s"),
                Map.entry("meshwatch.notify.poll-interval", production ? "5s" : "1s"),
                Map.entry("meshwatch.notify.webhooks.flaky.url", base + "/flaky"),
                Map.entry("meshwatch.notify.webhooks.flaky.secret", SECRET),
                Map.entry("meshwatch.notify.webhooks.flaky.labels.team", "flaky"),
                Map.entry("meshwatch.notify.webhooks.broken.url", base + "/broken"),
                Map.entry("meshwatch.notify.webhooks.broken.labels.team", "broken"),
                Map.entry("meshwatch.notify.webhooks.outage.url", "http://127.0.0.1:" + outagePort() + "/outage"),
                Map.entry("meshwatch.notify.webhooks.outage.labels.team", "outage"),
                Map.entry("meshwatch.notify.webhooks.ordered.url", base + "/ordered"),
                Map.entry("meshwatch.notify.webhooks.ordered.labels.team", "ordered"),
                Map.entry("meshwatch.notify.webhooks.pager.url", base + "/pager"),
                Map.entry("meshwatch.notify.webhooks.pager.min-severity", "critical"),
                Map.entry("meshwatch.notify.webhooks.pager.labels.team", "routing"));
    }
}
