package io.meshwatch.notify.alertmanager;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;

/**
 * Meshwatch pushing to a real Alertmanager on a free loopback port (chosen here, passed through
 * the JVM-wide system property {@value #PORT} since the profile and the test may live in different
 * class loaders), re-sending open alerts every second.
 */
public class AlertmanagerProfile implements QuarkusTestProfile {

    static final String PORT = "alertmanagerTestPort";

    static synchronized int port() {
        String p = System.getProperty(PORT);
        if (p == null) {
            p = Integer.toString(freePort());
            System.setProperty(PORT, p);
        }
        return Integer.parseInt(p);
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "meshwatch.notify.alertmanager.url", "http://127.0.0.1:" + port(),
                "meshwatch.notify.alertmanager.resend-interval", "1s",
                "meshwatch.notify.initial-backoff", "200ms",
                "meshwatch.notify.max-backoff", "1s",
                "meshwatch.notify.poll-interval", "1s");
    }
}
