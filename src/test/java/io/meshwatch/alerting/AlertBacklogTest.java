package io.meshwatch.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.detect.Impact;
import io.meshwatch.detect.Incident;
import io.meshwatch.detect.IncidentStatus;
import io.meshwatch.detect.Signal;
import io.meshwatch.detect.SignalType;
import io.meshwatch.inventory.Severity;
import io.meshwatch.platform.MeshwatchConfig;
import io.meshwatch.platform.StartupFailure;
import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The alert writer's queue policy and retry rules (plain Java: {@link AlertBacklog}, {@link AlertService}'s statics). */
class AlertBacklogTest {

    static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    static Signal firing(String circuit) {
        return Signals.firing(SignalType.CIRCUIT_DOWN, Severity.CRITICAL, Map.of("circuit", circuit), "down", T0,
                "inc-" + circuit, false);
    }

    static Incident incident(String id, String title) {
        return new Incident(id, IncidentStatus.OPEN, title, Severity.CRITICAL, firing("dx"), List.of(),
                new Impact(List.of(), List.of(), List.of(), List.of()), List.of(), T0, null, null);
    }

    @Test
    void everyTransitionIsKeptInOrderEvenOfOneAlert() {
        AlertBacklog b = new AlertBacklog(100);
        Signal up = firing("dx-1");
        Signal down = Signals.resolved(up, T0.plusSeconds(5));
        List<Object> in = List.of(up, down, up, down, firing("dx-2"));
        for (Object o : in) {
            assertTrue(b.add(o, T0));
        }
        assertEquals(in, b.contents());
        assertEquals(0, b.coalesced());
    }

    @Test
    void aRestatementIsReplacedByTheNextOfTheSameAlertAtTheEnd() {
        AlertBacklog b = new AlertBacklog(100);
        Signal s = firing("dx-1");
        Signal u1 = Signals.update(s, "inc-1", false, Map.of("n", "1"));
        Signal other = firing("dx-2");
        Signal u2 = Signals.update(s, "inc-1", true, Map.of("n", "2"));
        b.add(s, T0);
        b.add(u1, T0);
        b.add(other, T0);
        b.add(u2, T0);
        assertEquals(List.of(s, other, u2), b.contents());
        assertEquals(1, b.coalesced());
        // a re-statement of another alert is not touched
        Signal u3 = Signals.update(other, "inc-2", false, Map.of());
        b.add(u3, T0);
        assertEquals(List.of(s, other, u2, u3), b.contents());
    }

    @Test
    void anIncidentSnapshotIsReplacedByTheLaterOne() {
        AlertBacklog b = new AlertBacklog(100);
        Incident first = incident("inc-1", "first");
        Signal s = firing("dx-1");
        Incident later = incident("inc-1", "later");
        b.add(first, T0);
        b.add(s, T0);
        b.add(later, T0);
        assertEquals(List.of(s, later), b.contents());
    }

    @Test
    void theItemBeingWrittenIsNeverReplacedOnlyRemovedWhenDone() {
        AlertBacklog b = new AlertBacklog(100);
        Incident first = incident("inc-1", "first");
        b.add(first, T0);
        AlertBacklog.Item head = b.head();
        assertSame(first, head.work());
        Incident later = incident("inc-1", "later");
        b.add(later, T0.plusSeconds(1));
        assertEquals(List.of(first, later), b.contents(), "the write in flight stays; the later one follows it");
        b.done(head);
        assertEquals(List.of(later), b.contents());
        // the later one is still replaceable after its predecessor was written
        Incident latest = incident("inc-1", "latest");
        b.add(latest, T0.plusSeconds(2));
        assertEquals(List.of(latest), b.contents());
        b.done(b.head());
        assertNull(b.head());
        assertEquals(0, b.size());
    }

    @Test
    void aFullBacklogRefusesTheNewItemAndKeepsTheOld() {
        AlertBacklog b = new AlertBacklog(2);
        Signal a = firing("a");
        Signal c = firing("c");
        assertTrue(b.add(a, T0));
        assertTrue(b.add(c, T0));
        assertFalse(b.add(firing("d"), T0));
        assertEquals(List.of(a, c), b.contents());
        // a replacement still fits: it frees the place of the one it replaces
        Signal u1 = Signals.update(a, "i", false, Map.of());
        AlertBacklog full = new AlertBacklog(2);
        full.add(a, T0);
        full.add(u1, T0);
        assertTrue(full.add(Signals.update(a, "i", true, Map.of()), T0));
        assertEquals(2, full.size());
    }

    @Test
    void theOldestWaitIsMeasuredFromWhenTheHeadWasQueued() {
        AlertBacklog b = new AlertBacklog(10);
        assertEquals(Duration.ZERO, b.oldest(T0));
        b.add(firing("a"), T0);
        b.add(firing("b"), T0.plusSeconds(30));
        assertEquals(Duration.ofSeconds(100), b.oldest(T0.plusSeconds(100)));
        assertEquals(T0, b.head().queuedAt());
    }

    record Settings(Duration writeBackoffInitial, Duration writeBackoffMax, int backlogLimit)
            implements MeshwatchConfig.Alerting {
    }

    @Test
    void backoffDoublesFromOneSecondToThirtyAndStaysThere() {
        Settings c = new Settings(Duration.ofSeconds(1), Duration.ofSeconds(30), 50000);
        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 30L, 30L), List.of(1, 2, 3, 4, 5, 6, 1000).stream()
                .map(n -> AlertService.backoff(c, n).toSeconds()).toList());
    }

    @Test
    void badSettingsStopStartUpWithOneLine() {
        AlertService.check(new Settings(Duration.ofSeconds(1), Duration.ofSeconds(30), 1));
        for (Settings bad : List.of(new Settings(Duration.ofSeconds(1), Duration.ofSeconds(30), 0),
                new Settings(Duration.ZERO, Duration.ofSeconds(30), 10),
                new Settings(Duration.ofSeconds(31), Duration.ofSeconds(30), 10))) {
            try {
                AlertService.check(bad);
                throw new AssertionError("accepted " + bad);
            } catch (StartupFailure e) {
                assertTrue(e.getMessage().startsWith("Meshwatch cannot start: meshwatch.alerting."), e.getMessage());
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
            }
        }
    }

    @Test
    void anOutageIsRetriedForeverButARefusedStatementIsNot() {
        assertTrue(AlertService.unavailable(new ConnectException("Connection refused")));
        assertTrue(AlertService.unavailable(new RuntimeException(new ConnectException("Connection refused"))));
        assertTrue(AlertService.unavailable(new io.vertx.core.VertxException("Connection is closed")));
        assertTrue(AlertService.unavailable(new PgException("terminating connection due to administrator command",
                "FATAL", "57P01", null)));
        assertTrue(AlertService.unavailable(new PgException("the database system is starting up", "FATAL", "57P03", null)));
        assertTrue(AlertService.unavailable(new PgException("sorry, too many clients already", "FATAL", "53300", null)));
        assertTrue(AlertService.unavailable(new PgException("could not serialize", "ERROR", "40001", null)));
        assertFalse(AlertService.unavailable(new PgException("value too long", "ERROR", "22001", null)));
        assertFalse(AlertService.unavailable(new PgException("violates foreign key", "ERROR", "23503", null)));
    }
}
