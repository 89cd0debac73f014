package io.meshwatch.detect;

import static io.meshwatch.detect.Scenario.t;
import static io.meshwatch.detect.TestNetwork.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.inventory.Severity;
import io.meshwatch.testing.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** RouterFeedLost (a lost BMP feed, silent telemetry) and NeverCameUp, on a timeline, both sides of each boundary. */
class FeedDetectionTest {

    static final DetectionSettings FEEDS = DetectionSettings.defaults()
            .withFeeds(Duration.ofMinutes(5), Duration.ofMinutes(10));

    @Test
    void aLostFeedFiresAtOnceMarksTheRouterStaleAndItsReturnResolvesIt() {
        Scenario s = Scenario.steady(FEEDS);
        s.at(100).feed(TR, "lost");
        Signal lost = s.fired(SignalType.ROUTER_FEED_LOST, "router", TR, "feed", "bmp");
        s.silent();
        assertEquals(Severity.MAJOR, lost.severity());
        assertEquals(t(100), lost.startedAt());
        assertEquals("connection_lost", lost.annotation("cause"));
        assertEquals(Map.of(TR, t(100)), s.engine.staleRouters());

        s.at(110).feed(TR, "lost").silent(); // the same loss again: nothing new
        s.at(130).feed(TR, "up");
        Signal back = s.resolved(SignalType.ROUTER_FEED_LOST, "router", TR);
        assertEquals(t(130), back.endedAt());
        assertEquals(Map.of(), s.engine.staleRouters());
        s.silent();
    }

    @Test
    void aCleanEndResolvesAndAReportOlderThanTheLossChangesNothing() {
        Scenario s = Scenario.steady(FEEDS);
        s.at(100).feed(CX, "lost");
        s.fired(SignalType.ROUTER_FEED_LOST, "router", CX);
        s.at(101).eventAt(99).feed(CX, "up").silent(); // dated before the loss: a late report, ignored
        assertEquals(Map.of(CX, t(100)), s.engine.staleRouters());
        s.at(102).feed(CX, "ended");
        assertEquals("feed ended cleanly", s.resolved(SignalType.ROUTER_FEED_LOST, "router", CX).annotation("cause"));
        s.at(103).feed(CX, "ended").feed(CX, "up").silent(); // nothing fires while the feed is fine
    }

    @Test
    void aRouterWhoseFeedIsLostExplainsItsSessionsGoingDownElsewhere() {
        Scenario s = Scenario.steady(FEEDS);
        s.at(100).feed(TR, "lost");
        Signal root = s.fired(SignalType.ROUTER_FEED_LOST, "router", TR);
        // cx-ash's session over the Direct Connect, whose far end is tr-use1, goes down (hold timer)
        s.at(109).sessionDown(CX, DX_PEER);
        Signal down = s.fired(SignalType.BGP_SESSION_DOWN, "router", CX, "peer", DX_PEER);
        assertTrue(down.inhibited(), "explained by the router's lost feed");
        assertEquals(root.incidentId(), down.incidentId());
        // a session that has nothing of tr-use1's is not explained
        s.at(110).sessionDown(CX, ER_PEER, AZURE_AS);
        Signal other = s.fired(SignalType.BGP_SESSION_DOWN, "router", CX, "peer", ER_PEER);
        assertFalse(root.incidentId().equals(other.incidentId()), "not in the lost feed's incident");
    }

    @Test
    void aLossReportedAfterTheSessionsWentDownTakesThemIntoItsIncident() {
        Scenario s = Scenario.steady(FEEDS);
        s.at(100).sessionDown(CX, DX_PEER);
        Signal down = s.fired(SignalType.BGP_SESSION_DOWN, "router", CX, "peer", DX_PEER);
        assertFalse(down.inhibited());
        s.at(101).feed(TR, "lost");
        Signal root = s.fired(SignalType.ROUTER_FEED_LOST, "router", TR);
        Signal moved = s.lastUpdate(SignalType.BGP_SESSION_DOWN);
        assertTrue(moved.inhibited());
        assertEquals(root.incidentId(), moved.incidentId());
    }

    @Test
    void telemetrySilentForTheConfiguredTimeLosesTheFeedAndTheNextTelemetryResolvesIt() {
        Scenario s = Scenario.steady(FEEDS); // cx-ash sent tunnel and interface telemetry at 0
        s.at(299.999).tick().silent();
        s.at(300).tick();
        Signal silent = s.fired(SignalType.ROUTER_FEED_LOST, "router", CX, "feed", "telemetry");
        assertEquals(t(0), silent.startedAt(), "since its last telemetry");
        assertEquals("silent", silent.annotation("cause"));
        s.silent();
        assertEquals(Map.of(), s.engine.staleRouters(), "a silent telemetry feed is no lost BMP feed");
        s.at(310).iface(CX, "eth1", "up");
        assertEquals(t(310), s.resolved(SignalType.ROUTER_FEED_LOST, "router", CX, "feed", "telemetry").endedAt());
        s.silent();
    }

    @Test
    void silentTelemetryExplainsNothing() {
        // a gNMI collector gone quiet says nothing about the router: its sessions' alerts are not inhibited
        Scenario s = Scenario.steady(FEEDS);
        s.at(300).tick();
        Signal silent = s.fired(SignalType.ROUTER_FEED_LOST, "router", CX, "feed", "telemetry");
        s.at(301).sessionDown(CX, DX_PEER);
        Signal down = s.fired(SignalType.BGP_SESSION_DOWN, "router", CX, "peer", DX_PEER);
        assertFalse(down.inhibited());
        assertFalse(silent.incidentId().equals(down.incidentId()));
    }

    @Test
    void telemetryJustInTimeKeepsTheFeedAlive() {
        Scenario s = Scenario.steady(FEEDS);
        s.at(299.999).iface(CX, "eth1", "up");
        s.at(599.998).tick().silent();
        s.at(599.999).tick();
        s.fired(SignalType.ROUTER_FEED_LOST, "router", CX, "feed", "telemetry");
    }

    @Test
    void silenceWatchOffAtZero() {
        Scenario s = Scenario.steady(DetectionSettings.defaults().withFeeds(Duration.ZERO, Duration.ZERO));
        s.at(100_000).tick().silent();
    }

    @Test
    void whatNeverCameUpFiresAtItsDeadlineAndResolvesWhenItComesUp() {
        Scenario s = Scenario.with(inventory(), FEEDS).at(0);
        s.at(100).sessionUp(CX, ER_PEER, AZURE_AS); // up before the deadline: never fires
        s.at(599.999).tick().silent();
        s.at(600).tick();
        Set<String> fired = s.unchecked.stream().filter(x -> x.type() == SignalType.NEVER_CAME_UP)
                .map(x -> x.labels().get("kind") + " " + (x.label("circuit") != null ? x.label("circuit")
                        : x.label("tunnel") != null ? x.label("tunnel") : x.label("router") + ">" + x.label("peer")))
                .collect(Collectors.toSet());
        // the ExpressRoute circuit and its primary tunnel came up with the session at 100
        assertEquals(Set.of("circuit " + DX, "circuit " + IC,
                "session " + CX + ">" + DX_PEER, "session " + TR + ">" + DX_PEER_TR, "session " + CX + ">" + IC_PEER,
                "session " + CX + ">" + INET_PEER, "session " + CX + ">" + AZ_INET_PEER,
                "tunnel " + PRIMARY, "tunnel " + BACKUP, "tunnel " + AZ_BACKUP), fired);
        Signal session = s.fired(SignalType.NEVER_CAME_UP, "kind", "session", "peer", IC_PEER);
        assertEquals(Severity.WARNING, session.severity());
        assertEquals(t(0), session.startedAt(), "expected since the engine had the inventory");
        s.drop();

        s.at(700).sessionUp(CX, IC_PEER, GCP_AS);
        s.resolved(SignalType.NEVER_CAME_UP, "kind", "session", "peer", IC_PEER);
        s.resolved(SignalType.NEVER_CAME_UP, "kind", "circuit", "circuit", IC); // up by its one session
        s.silent();
        s.at(701).sessionDown(CX, IC_PEER, GCP_AS).drop();
        s.at(2000).tick();
        assertTrue(s.unchecked.stream().noneMatch(x -> x.type() == SignalType.NEVER_CAME_UP),
                "once up, never watched again");
    }

    @Test
    void anItemAddedByAnInventoryEditWaitsFromTheEdit() {
        Scenario s = Scenario.with(new io.meshwatch.inventory.Inventory(List.of(), List.of(), List.of(), List.of()),
                FEEDS).at(0);
        s.at(300).engine.inventory(inventory());
        s.at(899.999).tick().silent();
        s.at(900).tick();
        Signal c = s.fired(SignalType.NEVER_CAME_UP, "kind", "circuit", "circuit", DX);
        assertEquals(t(300), c.startedAt());
        s.drop();
        s.at(901).engine.inventory(new io.meshwatch.inventory.Inventory(List.of(), List.of(), List.of(), List.of()));
        assertEquals("removed from inventory",
                s.resolved(SignalType.NEVER_CAME_UP, "kind", "circuit", "circuit", DX).annotation("cause"));
    }

    @Test
    void aCheckpointKeepsTheWatchesAndTheLostFeeds() {
        Scenario s = Scenario.with(inventory(), FEEDS).at(0);
        s.at(10).iface(TR, "eth9", "up").feed(CX, "lost");
        s.fired(SignalType.ROUTER_FEED_LOST, "router", CX);
        EngineState state = new EngineStateCodec().decode(new EngineStateCodec().encode(s.engine.checkpoint()));
        ManualClock clock = new ManualClock(t(10));
        List<Signal> out = new java.util.ArrayList<>();
        DetectionEngine again = DetectionEngine.restore(clock, FEEDS, new DetectionListener() {
            @Override
            public void signal(Signal signal) {
                out.add(signal);
            }

            @Override
            public void incident(Incident incident) {
            }
        }, inventory(), state);
        assertEquals(Map.of(CX, t(10)), again.staleRouters());
        clock.set(t(309.999));
        again.tick();
        assertTrue(out.isEmpty(), out.toString());
        clock.set(t(310));
        again.tick();
        assertEquals(1, out.size(), out.toString());
        assertEquals(Map.of("router", TR, "feed", "telemetry"), out.get(0).labels());
        clock.set(t(600));
        again.tick();
        assertEquals(13, out.stream().filter(x -> x.type() == SignalType.NEVER_CAME_UP).count());
    }
}
