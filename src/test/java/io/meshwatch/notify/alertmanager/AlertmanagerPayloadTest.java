package io.meshwatch.notify.alertmanager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.alerting.Alert;
import io.meshwatch.alerting.AlertState;
import io.meshwatch.inventory.Severity;
import io.meshwatch.notify.Receivers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class AlertmanagerPayloadTest {

    static final Instant T = Instant.parse("2026-11-26T10:00:00Z");

    static Alert alert(AlertState state, Instant started, Instant ended, Instant resolved) {
        return new Alert("9d1e0c7a55b2e410", "CircuitDown", state, Severity.CRITICAL,
                new TreeMap<>(Map.of("circuit", "dx-ash-use1", "router", "cx-ash")), new TreeMap<>(),
                "Circuit dx-ash-use1 down", "inc-1", false, null, started, ended, started, started, resolved, null, null,
                null, 1, resolved == null ? started : resolved);
    }

    @Test
    void anOpenAlertHasNoEndsAtAndCarriesLabelsAnnotationsAndItsLink() {
        JsonObject a = new JsonArray(AlertmanagerPayload.of(List.of(alert(AlertState.ACKNOWLEDGED, T, null, null)),
                "https://mw.example")).getJsonObject(0);
        assertFalse(a.containsKey("endsAt"), a.encode());
        assertEquals("2026-11-26T10:00:00Z", a.getString("startsAt"));
        assertEquals("CircuitDown", a.getJsonObject("labels").getString("alertname"));
        assertEquals("critical", a.getJsonObject("labels").getString("severity"));
        assertEquals("cx-ash", a.getJsonObject("labels").getString("router"));
        assertEquals("Circuit dx-ash-use1 down", a.getJsonObject("annotations").getString("summary"));
        assertEquals("inc-1", a.getJsonObject("annotations").getString("incident"));
        assertEquals("https://mw.example/api/v1/alerts/9d1e0c7a55b2e410", a.getString("generatorURL"));
    }

    @Test
    void aResolvedAlertEndsAtTheRouterTimeButNeverAfterOurResolveNorBeforeItsStart() {
        Instant resolved = T.plusSeconds(60);
        assertEquals(T.plusSeconds(30), AlertmanagerPayload.endsAt(alert(AlertState.RESOLVED, T, T.plusSeconds(30), resolved)));
        assertEquals(resolved, AlertmanagerPayload.endsAt(alert(AlertState.RESOLVED, T, T.plusSeconds(90), resolved)));
        assertEquals(resolved, AlertmanagerPayload.endsAt(alert(AlertState.RESOLVED, T, null, resolved)));
        assertEquals(T, AlertmanagerPayload.endsAt(alert(AlertState.RESOLVED, T, T.minusSeconds(5), resolved)));
        JsonObject a = new JsonArray(AlertmanagerPayload.of(List.of(alert(AlertState.RESOLVED, T, T.plusSeconds(30),
                resolved)), "x")).getJsonObject(0);
        assertEquals("2026-11-26T10:00:30Z", a.getString("endsAt"));
    }

    @Test
    void theUrlGetsTheApiPathAndABadOneIsRefusedSayingWhy() {
        assertEquals("http://am:9093/api/v2/alerts", Receivers.alertmanagerUrl("http://am:9093").toString());
        assertEquals("http://am:9093/api/v2/alerts", Receivers.alertmanagerUrl("http://am:9093/").toString());
        assertEquals("https://am/x/api/v2/alerts", Receivers.alertmanagerUrl("https://am/x/api/v2/alerts").toString());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Receivers.alertmanagerUrl("am:9093"))
                .getMessage().contains("absolute http:// or https://"));
    }
}
