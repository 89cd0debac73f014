package io.meshwatch.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.alerting.Alert;
import io.meshwatch.alerting.AlertState;
import io.meshwatch.inventory.Severity;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ReceiversTest {

    static Alert alert(Severity severity, Map<String, String> labels) {
        Instant t = Instant.parse("2026-11-26T10:00:00Z");
        return new Alert("fp", "CircuitDown", AlertState.FIRING, severity, new TreeMap<>(labels), new TreeMap<>(), "s",
                null, false, null, t, null, t, t, null, null, null, null, 1, t);
    }

    @Test
    void badUrlsAndSeveritiesAreRefusedSayingWhy() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Receivers.of("x", "not a url", Optional.empty(),
                "info", Map.of())).getMessage().contains("is not a URL"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Receivers.of("x", "ftp://h/x", Optional.empty(),
                "info", Map.of())).getMessage().contains("http:// or https://"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Receivers.of("x", "/relative", Optional.empty(),
                "info", Map.of())).getMessage().contains("absolute"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Receivers.of("x", "https://h/x", Optional.empty(),
                "urgent", Map.of())).getMessage().contains("min-severity"));
    }

    @Test
    void routesBySeverityAndLabels() {
        Receiver r = Receivers.of("pager", "https://pager.example/hook", Optional.of(""), "major",
                Map.of("circuit", "dx-1"));
        assertFalse(r.secret().isPresent(), "an empty secret is no secret");
        assertTrue(r.accepts(alert(Severity.CRITICAL, Map.of("circuit", "dx-1"))));
        assertTrue(r.accepts(alert(Severity.MAJOR, Map.of("circuit", "dx-1", "router", "cx"))));
        assertFalse(r.accepts(alert(Severity.MINOR, Map.of("circuit", "dx-1"))));
        assertFalse(r.accepts(alert(Severity.CRITICAL, Map.of("circuit", "dx-2"))));
        assertFalse(r.accepts(alert(Severity.CRITICAL, Map.of())));
        Receiver byName = Receivers.of("c", "http://h:1/x", Optional.empty(), "info", Map.of("alertname", "CircuitDown"));
        assertTrue(byName.accepts(alert(Severity.INFO, Map.of())));
        assertEquals("https://pager.example/hook", r.url().toString());
    }
}
