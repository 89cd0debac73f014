package io.meshwatch.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meshwatch.testing.PackagedStartup;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged application (Failsafe, after {@code package}) given a bad Alertmanager URL stops with
 * one line naming the property and what is wrong, before it tries the database or Kafka (both
 * point at closed ports here).
 */
class NotifyStartupIT {

    @Test
    void aBadAlertmanagerUrlStopsStartUpWithOneLine() throws Exception {
        String line = PackagedStartup.refusedWithOneLine(Map.of("MESHWATCH_NOTIFY_ALERTMANAGER_URL", "alertmanager:9093"));
        assertEquals("Meshwatch cannot start: meshwatch.notify.alertmanager.url: url 'alertmanager:9093' must be an "
                + "absolute http:// or https:// URL with a host", line);
    }
}
