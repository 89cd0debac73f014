package io.meshwatch.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.event.BgpState;
import io.meshwatch.event.EndOfRibEvent;
import io.meshwatch.event.PeerStateEvent;
import io.meshwatch.routing.Afi;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** session-flap of the ExpressRoute session: down and back evenly over the duration, table each time. */
class SessionFlapTest {

    private static final String SESSION = "cx-ash/169.254.20.2";
    private final SimHarness h = new SimHarness(SimHarness.demo()).started().atSeconds(10);

    @Test
    void theSessionFlapsTheRequestedNumberOfTimesAndEndsEstablished() {
        int before = h.prefixes("cx-ash", Afi.IPV4);
        int mark = h.mark();
        ScenarioPlan plan = h.run(Scenario.SESSION_FLAP, new ScenarioRequest(SESSION, Duration.ofSeconds(20), 4, null,
                null, null));
        // period 5 s, down for min(BGP set-up 3 s, 2.5 s)
        assertEquals(BgpState.IDLE, h.session("cx-ash", "169.254.20.2").state());
        assertEquals("169.254.120.2", h.bestPeer("cx-ash", "10.10.50.1"), "Azure over the VPN meanwhile");
        h.atSeconds(12.499);
        assertEquals(BgpState.IDLE, h.session("cx-ash", "169.254.20.2").state());
        h.atSeconds(12.5);
        assertEquals(BgpState.ESTABLISHED, h.session("cx-ash", "169.254.20.2").state());
        assertEquals("169.254.20.2", h.bestPeer("cx-ash", "10.10.50.1"));
        h.atSeconds(10 + 20);
        var s = h.session("cx-ash", "169.254.20.2");
        assertEquals(BgpState.ESTABLISHED, s.state());
        assertEquals(4, s.flaps());
        List<PeerStateEvent> states = h.since(mark, PeerStateEvent.class, e -> e.peer().equals("169.254.20.2"));
        assertEquals(List.of("idle", "established", "idle", "established", "idle", "established", "idle", "established"),
                states.stream().map(e -> e.state().wire()).toList());
        assertEquals(3, states.stream().filter(e -> e.state() == BgpState.IDLE).map(PeerStateEvent::reason).distinct()
                .count(), "the reasons vary");
        assertEquals(4, h.since(mark, EndOfRibEvent.class, e -> e.peer().equals("169.254.20.2")).size());
        assertEquals(before, h.prefixes("cx-ash", Afi.IPV4));
        assertEquals(ScenarioRuns.State.RESOLVED, h.runs.get(plan.id()).orElseThrow().state());
    }

    @Test
    void aMeshSessionFlapIsSeenByBothTransitRouters() {
        h.run(Scenario.SESSION_FLAP, new ScenarioRequest("tr-use1/169.254.250.2", Duration.ofSeconds(10), 2, null,
                null, null));
        assertEquals(BgpState.IDLE, h.session("tr-euw1", "169.254.250.1").state());
        assertEquals("169.254.250.6", h.bestPeer("tr-use1", "10.2.0.1"), "eu-west-1 via ap-southeast-1 meanwhile");
        h.atSeconds(25);
        assertEquals(2, h.session("tr-euw1", "169.254.250.1").flaps());
        assertEquals("169.254.250.2", h.bestPeer("tr-use1", "10.2.0.1"));
        assertTrue(h.runs.all().stream().allMatch(r -> r.state() == ScenarioRuns.State.RESOLVED));
    }
}
