package io.meshwatch.notify.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.meshwatch.alerting.Alert;
import io.meshwatch.alerting.AlertState;
import io.meshwatch.inventory.Severity;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Our payload against a real Alertmanager 0.25 webhook delivery (src/test/resources/alertmanager). */
class WebhookPayloadTest {

    static final Instant T0 = Instant.parse("2026-11-26T06:20:18Z");

    static Alert alert(AlertState state) {
        return new Alert("48c80baeb296528c", "BgpSessionDown", state, Severity.CRITICAL,
                new TreeMap<>(Map.of("router", "rw-frr", "peer", "198.18.23.3")), new TreeMap<>(),
                "BGP session rw-frr -> 198.18.23.3 down", "inc-1", false, null, T0,
                state == AlertState.RESOLVED ? T0.plusSeconds(90) : null, T0, T0, null, null, null, null, 1, T0);
    }

    static JsonObject real() throws IOException {
        try (InputStream in = WebhookPayloadTest.class.getResourceAsStream("/alertmanager/webhook-01.json")) {
            assertNotNull(in);
            return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void sameFieldsAndTypesAsAlertmanager() throws IOException {
        JsonObject real = real();
        JsonObject ours = new JsonObject(WebhookPayload.of("noc", alert(AlertState.FIRING), false, "http://mw:8080"));
        assertEquals(new TreeSet<>(real.fieldNames()), new TreeSet<>(ours.fieldNames()));
        for (String f : real.fieldNames()) {
            assertEquals(real.getValue(f).getClass(), ours.getValue(f).getClass(), f);
        }
        JsonObject realAlert = real.getJsonArray("alerts").getJsonObject(0);
        JsonObject ourAlert = ours.getJsonArray("alerts").getJsonObject(0);
        assertEquals(new TreeSet<>(realAlert.fieldNames()), new TreeSet<>(ourAlert.fieldNames()));
        assertEquals(realAlert.getString("endsAt"), ourAlert.getString("endsAt")); // 0001-01-01T00:00:00Z while firing
        assertEquals("4", ours.getString("version"));
        assertEquals("critical", ourAlert.getJsonObject("labels").getString("severity"));
        assertEquals("BgpSessionDown", ourAlert.getJsonObject("labels").getString("alertname"));
        assertEquals("2026-11-26T06:20:18Z", ourAlert.getString("startsAt"));
        assertEquals("48c80baeb296528c", ourAlert.getString("fingerprint"));
    }

    @Test
    void resolvedCarriesTheEndTime() {
        JsonObject ours = new JsonObject(WebhookPayload.of("noc", alert(AlertState.RESOLVED), true, "http://mw:8080"));
        assertEquals("resolved", ours.getString("status"));
        assertEquals("2026-11-26T06:21:48Z", ours.getJsonArray("alerts").getJsonObject(0).getString("endsAt"));
    }

    @Test
    void signatureIsHmacSha256OfTheBody() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?"
        assertEquals("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                Signatures.sign("Jefe", "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8)));
    }
}
