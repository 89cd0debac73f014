package io.meshwatch.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.event.BgpState;
import io.meshwatch.event.BgpUpdateEvent;
import io.meshwatch.routing.PeerStatus;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** full-table at cx-ash with a small table (8,000 IPv4 + 2,000 IPv6), unpaced and paced by the burst limit. */
class FullTableTest {

    private static final String PEER = "203.0.113.14";

    private PeerStatus transit(SimHarness h) {
        return h.rib.table("cx-ash").orElseThrow().peers().stream()
                .filter(p -> p.peer().address().toString().equals(PEER)).findFirst().orElse(null);
    }

    @Test
    void theTransitPeerSendsTheTableAndEndOfRibForBothFamiliesThenWithdrawsIt() {
        SimHarness h = new SimHarness(SimHarness.demo().withFullTable(8_000, 2_000)).started().atSeconds(5);
        int mark = h.mark();
        ScenarioPlan plan = h.run(Scenario.FULL_TABLE, ScenarioRequest.defaults().withDuration(Duration.ofSeconds(30)));
        assertEquals("cx-ash", plan.target(), "the first cloud-exchange router by default");
        var s = h.session("cx-ash", PEER);
        assertEquals(BgpState.ESTABLISHED, s.state());
        assertEquals(3356, s.peerAs());
        PeerStatus p = transit(h);
        assertEquals(8_000, p.ipv4Routes());
        assertEquals(2_000, p.ipv6Routes());
        assertNotNull(p.ipv4EndOfRib());
        assertNotNull(p.ipv6EndOfRib());
        BgpUpdateEvent first = h.updates(mark, "cx-ash").get(0);
        assertEquals(3356L, first.attributes().asPath().get(0), "the AS path starts at the transit provider");
        assertTrue(first.announce().size() <= 8, "packed like a real table, 1..8 prefixes an update");
        h.atSeconds(5 + 30);
        assertEquals(0, transit(h).ipv4Routes());
        assertEquals(0, transit(h).ipv6Routes());
        assertEquals(BgpState.ESTABLISHED, h.session("cx-ash", PEER).state(), "the session stays up");
        assertEquals(ScenarioRuns.State.RESOLVED, h.runs.get(plan.id()).orElseThrow().state());
        // a second run reuses the established session
        h.run(Scenario.FULL_TABLE, ScenarioRequest.target("cx-ash"));
        assertEquals(8_000, transit(h).ipv4Routes());
        assertEquals(0, h.session("cx-ash", PEER).flaps());
    }

    @Test
    void theBurstLimitPacesTheTransfer() {
        SimHarness h = new SimHarness(SimHarness.demo().withFullTable(8_000, 2_000).withBurst(2_000)).started()
                .atSeconds(5);
        h.run(Scenario.FULL_TABLE, ScenarioRequest.target("tr-use1"));
        PeerStatus p = h.rib.table("tr-use1").orElseThrow().peers().stream()
                .filter(x -> x.peer().address().toString().equals("203.0.113.2")).findFirst().orElseThrow();
        assertTrue(p.ipv4Routes() + p.ipv6Routes() <= 2_000 + 8, "one second's worth at once: " + p);
        h.atSeconds(7);
        p = h.rib.table("tr-use1").orElseThrow().peers().stream()
                .filter(x -> x.peer().address().toString().equals("203.0.113.2")).findFirst().orElseThrow();
        int sent = p.ipv4Routes() + p.ipv6Routes();
        assertTrue(sent > 2_000 && sent <= 6_000 + 16, "about 2,000 prefixes a second: " + sent);
        assertNull(p.ipv6EndOfRib());
        h.atSeconds(11);
        p = h.rib.table("tr-use1").orElseThrow().peers().stream()
                .filter(x -> x.peer().address().toString().equals("203.0.113.2")).findFirst().orElseThrow();
        assertEquals(10_000, p.ipv4Routes() + p.ipv6Routes());
        assertNotNull(p.ipv6EndOfRib());
    }
}
