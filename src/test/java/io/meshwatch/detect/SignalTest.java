package io.meshwatch.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.meshwatch.inventory.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SignalTest {

    static final Instant T = Instant.parse("2026-11-26T03:00:00Z");

    @Test
    void fingerprintIsSha256OfAlertNameAndSortedLabels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("vrf", "default");
        labels.put("router", "cx-ash");
        labels.put("peer", "169.254.10.2");
        Signal s = Signal.firing(SignalType.BGP_SESSION_DOWN, Severity.MAJOR, labels, "x", Map.of(), T, T);
        // sha256("BgpSessionDown\npeer=169.254.10.2\nrouter=cx-ash\nvrf=default\n"), first 8 bytes
        assertEquals("c6fdb6fa7bada221", s.fingerprint());
    }

    @Test
    void fingerprintIgnoresSeveritySummaryAnnotationsAndTimes() {
        Map<String, String> labels = Map.of("circuit", "dx-ash-use1");
        Signal a = Signal.firing(SignalType.CIRCUIT_DOWN, Severity.MAJOR, labels, "a", Map.of("cause", "x"), T, T);
        Signal b = Signal.firing(SignalType.CIRCUIT_DOWN, Severity.CRITICAL, labels, "b", Map.of(), T.plusSeconds(9),
                T.plusSeconds(10));
        assertEquals(a.fingerprint(), b.fingerprint());
        assertNotEquals(a.fingerprint(), Signal.fingerprintOf(SignalType.CIRCUIT_DEGRADED, labels));
        assertNotEquals(a.fingerprint(), Signal.fingerprintOf(SignalType.CIRCUIT_DOWN, Map.of("circuit", "dx-fra-euw1")));
    }

    @Test
    void detectionLatencyIsDecisionClockMinusEventTime() {
        Signal s = Signal.firing(SignalType.PREFIX_UNREACHABLE, Severity.MAJOR, Map.of("prefix", "10.0.0.0/8"), "x",
                Map.of(), T, T.plusMillis(3200));
        assertEquals(Duration.ofMillis(3200), s.detectionLatency());
        Signal r = s.resolved(T.plusSeconds(60), T.plusSeconds(61), Map.of());
        assertEquals(SignalStatus.RESOLVED, r.status());
        assertEquals(T.plusSeconds(60), r.eventTime());
        assertEquals(Duration.ofSeconds(1), r.detectionLatency());
    }

    @Test
    void alertNamesAreTheDocumentedOnes() {
        assertEquals("BgpSessionDown", SignalType.BGP_SESSION_DOWN.alertName());
        assertEquals("BgpSessionFlapping", SignalType.BGP_SESSION_FLAPPING.alertName());
        assertEquals("IpsecFailover", SignalType.IPSEC_FAILOVER.alertName());
        assertEquals("IpsecFailoverSlow", SignalType.IPSEC_FAILOVER_SLOW.alertName());
        assertEquals("IpsecTunnelGroupDown", SignalType.IPSEC_TUNNEL_GROUP_DOWN.alertName());
        assertEquals("CircuitDown", SignalType.CIRCUIT_DOWN.alertName());
        assertEquals("CircuitDegraded", SignalType.CIRCUIT_DEGRADED.alertName());
        assertEquals("PrefixUnreachable", SignalType.PREFIX_UNREACHABLE.alertName());
        assertEquals("BestPathOnBackup", SignalType.BEST_PATH_ON_BACKUP.alertName());
    }
}
