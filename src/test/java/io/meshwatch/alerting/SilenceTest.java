package io.meshwatch.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SilenceTest {

    static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    static final Map<String, String> LABELS = Map.of("alertname", "BgpSessionDown", "router", "cx-ash",
            "peer", "169.254.10.2", "severity", "major");

    static Silence silence(Matcher... m) {
        return new Silence("s1", List.of(m), T0, T0.plusSeconds(3600), "alice", "maintenance", T0, null);
    }

    @Test
    void equalityMatchers() {
        assertTrue(new Matcher("router", "cx-ash", false, true).matches(LABELS));
        assertFalse(new Matcher("router", "cx-fra", false, true).matches(LABELS));
        assertTrue(new Matcher("router", "cx-fra", false, false).matches(LABELS));
        assertFalse(new Matcher("router", "cx-ash", false, false).matches(LABELS));
    }

    @Test
    void regexMatchersAreAnchoredLikeAlertmanager() {
        assertTrue(new Matcher("router", "cx-.*", true, true).matches(LABELS));
        assertFalse(new Matcher("router", "cx", true, true).matches(LABELS));
        assertFalse(new Matcher("router", "ash", true, true).matches(LABELS));
        assertTrue(new Matcher("router", "tr-.*", true, false).matches(LABELS));
        assertTrue(new Matcher("missing", "", false, true).matches(LABELS));
    }

    @Test
    void allMatchersMustMatchWhileActive() {
        Silence s = silence(new Matcher("router", "cx-ash", false, true), new Matcher("alertname", "Bgp.*", true, true));
        assertTrue(s.mutes(LABELS, T0));
        assertTrue(s.mutes(LABELS, T0.plusSeconds(3599)));
        assertFalse(s.mutes(LABELS, T0.plusSeconds(3600)));
        assertFalse(s.mutes(LABELS, T0.minusSeconds(1)));
        assertEquals("pending", s.stateAt(T0.minusSeconds(1)));
        assertEquals("expired", s.stateAt(T0.plusSeconds(3600)));
        Silence other = silence(new Matcher("router", "cx-ash", false, true), new Matcher("severity", "critical", false, true));
        assertFalse(other.mutes(LABELS, T0));
        assertEquals("s1", Silence.muting(List.of(other, s), LABELS, T0));
        assertNull(Silence.muting(List.of(other), LABELS, T0));
    }

    @Test
    void badSilencesAreRefusedSayingWhy() {
        List<Matcher> one = List.of(new Matcher("router", "cx-ash", false, true));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Silence.check(List.of(), T0, T0.plusSeconds(60), "c", T0))
                .getMessage().contains("at least one matcher"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Silence.check(one, T0, T0.minusSeconds(1), "c", T0))
                .getMessage().contains("must be after startsAt"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Silence.check(one, T0.minusSeconds(99),
                T0.minusSeconds(9), "c", T0)).getMessage().contains("in the past"));
        assertThrows(IllegalArgumentException.class, () -> Silence.check(one, T0, T0.plusSeconds(60), " ", T0));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Matcher("router", "cx-(", true, true))
                .getMessage().contains("bad regular expression"));
        assertThrows(IllegalArgumentException.class, () -> new Matcher(" ", "x", false, true));
    }
}
