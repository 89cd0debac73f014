package io.meshwatch.shard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.event.BgpAttributes;
import io.meshwatch.event.BgpState;
import io.meshwatch.event.BgpUpdateEvent;
import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.event.InterfaceStateEvent;
import io.meshwatch.event.Nlri;
import io.meshwatch.event.PeerStateEvent;
import io.meshwatch.network.NetworkState;
import io.meshwatch.rib.RibService;
import io.meshwatch.rib.RouteChange;
import io.meshwatch.routing.BestPathReason;
import io.meshwatch.routing.IpAddress;
import io.meshwatch.routing.Prefix;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShardStageTest {

    private static final Instant T0 = Instant.parse("2026-12-07T08:00:00Z");
    private final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
    private final NetworkState sessions = new NetworkState(clock);
    private final RibService rib = new RibService(clock, new SimpleMeterRegistry());
    /** Detection's interest, as the stage is given it: only 10.0.0.0/8 and its more-specifics here. */
    private final ShardStage stage = new ShardStage(sessions, rib,
            (router, d) -> d.prefix().toString().startsWith("10."));

    @Test
    void aStepReturnsItsSessionChangesThenTheRouteChangesOfInterestPerEvent() {
        ShardStage.Step step = stage.apply(List.of(
                up("r1", "192.0.2.1", 0),
                update("r1", "192.0.2.1", 1, "10.1.0.0/16", "198.51.100.0/24"),
                update("r1", "192.0.2.1", 2, "10.2.0.0/16")), List.of());

        assertEquals(1, step.sessions().size());
        assertNull(step.sessions().get(0).before());
        assertEquals(BgpState.ESTABLISHED, step.sessions().get(0).after().state());
        // one change per event that caused any of interest; 198.51.100.0/24 is none of detection's business
        assertEquals(2, step.routes().size());
        RouteChange first = step.routes().get(0);
        assertEquals("r1", first.router());
        assertEquals(T0.plusSeconds(1), first.eventTime());
        assertEquals(List.of("10.1.0.0/16"), first.deltas().stream().map(d -> d.prefix().toString()).toList());
        assertNull(first.deltas().get(0).oldBest());
        assertEquals(T0.plusSeconds(2), step.routes().get(1).eventTime());
        // the table has every route, of interest or not
        assertTrue(routed("198.51.100.7"));
    }

    @Test
    void theStageAloneJudgesStaleAndRestatedSessionEvents() {
        stage.apply(List.of(up("r1", "192.0.2.1", 10)), List.of());

        ShardStage.Step restated = stage.apply(List.of(up("r1", "192.0.2.1", 11)), List.of());
        ShardStage.Step stale = stage.apply(List.of(down("r1", "192.0.2.1", 5)), List.of());
        ShardStage.Step down = stage.apply(List.of(down("r1", "192.0.2.1", 12)), List.of());

        assertEquals(List.of(), restated.sessions());
        assertEquals(List.of(), stale.sessions());
        assertEquals(1, down.sessions().size());
        assertTrue(down.sessions().get(0).stateChanged());
        assertEquals(1, down.sessions().get(0).after().flaps());
    }

    @Test
    void aSessionGoingDownFlushesItsPathsAndReportsTheLostBestPathsAfterTheSessionChange() {
        stage.apply(List.of(up("r1", "192.0.2.1", 0), update("r1", "192.0.2.1", 1, "10.1.0.0/16")), List.of());

        ShardStage.Step step = stage.apply(List.of(down("r1", "192.0.2.1", 5)), List.of());

        assertEquals(1, step.sessions().size());
        assertEquals(1, step.routes().size());
        assertNull(step.routes().get(0).deltas().get(0).newBest());
        assertEquals(BestPathReason.class, step.routes().get(0).deltas().get(0).reason().getClass());
        assertTrue(!routed("10.1.0.1"));
    }

    @Test
    void aRebuildAppliesTheStateButCollectsNoRouteChanges() {
        ShardStage.Step step = stage.rebuild(List.of(up("r1", "192.0.2.1", 0), update("r1", "192.0.2.1", 1, "10.1.0.0/16")));

        assertEquals(1, step.sessions().size());
        assertEquals(List.of(), step.routes());
        assertTrue(routed("10.1.0.1"));
        assertTrue(sessions.sessions("r1").orElseThrow().get(0).established());
    }

    @Test
    void aLostFeedMarksTheRouterStaleAndIsPassedOnOnceUntilItComesBack() {
        stage.apply(List.of(up("r1", "192.0.2.1", 0)), List.of());
        var lost = new io.meshwatch.event.FeedStateEvent("r1", T0.plusSeconds(5), "bmp", "lost", "no Termination");
        ShardStage.Step step = stage.apply(List.of(lost), List.of());
        assertEquals(List.of(lost), step.feeds());
        assertEquals(T0.plusSeconds(5), sessions.staleSince("r1"));
        assertEquals(List.of(), stage.apply(List.of(lost), List.of()).feeds(), "a repeat changes nothing");
        var old = new io.meshwatch.event.FeedStateEvent("r1", T0.plusSeconds(4), "bmp", "up", null);
        assertEquals(List.of(), stage.apply(List.of(old), List.of()).feeds(), "an older report changes nothing");
        var back = new io.meshwatch.event.FeedStateEvent("r1", T0.plusSeconds(9), "bmp", "up", null);
        assertEquals(List.of(back), stage.rebuild(List.of(back)).feeds());
        assertEquals(null, sessions.staleSince("r1"));
    }

    @Test
    void telemetryPassesThroughInOrderAndAnEmptyBatchChangesNothing() {
        List<CanonicalEvent> telemetry = List.of(
                new InterfaceStateEvent("r1", T0, "eth1", "down", "up"),
                new InterfaceStateEvent("r1", T0.plusSeconds(1), "eth1", "up", "up"));

        ShardStage.Step step = stage.apply(List.of(), telemetry);

        assertEquals(telemetry, step.telemetry());
        assertTrue(stage.apply(List.of(), List.of()).isEmpty());
        assertTrue(stage.rebuild(List.of()).isEmpty());
        assertTrue(rib.routers().isEmpty());
    }

    /** Whether r1's default VRF (the core names it "") routes the address. */
    private boolean routed(String address) {
        return rib.table("r1").orElseThrow().longestMatch("", IpAddress.parse(address)) != null;
    }

    private static PeerStateEvent up(String router, String peer, int second) {
        return new PeerStateEvent(router, T0.plusSeconds(second), "default", peer, 64512L, 65010L,
                BgpState.ESTABLISHED, null);
    }

    private static PeerStateEvent down(String router, String peer, int second) {
        return new PeerStateEvent(router, T0.plusSeconds(second), "default", peer, 64512L, 65010L, BgpState.IDLE,
                "Hold timer expired");
    }

    private static CanonicalEvent update(String router, String peer, int second, String... prefixes) {
        List<Nlri> announce = Arrays.stream(prefixes).map(p -> new Nlri(Prefix.parse(p), 0)).toList();
        BgpAttributes attrs = new BgpAttributes("igp", List.of(64512L), peer, null, null, List.of(), List.of(),
                List.of(), null, List.of(), false);
        return new BgpUpdateEvent(router, T0.plusSeconds(second), "default", peer, 64512L, "adj-in-post", attrs,
                announce, List.of());
    }
}
