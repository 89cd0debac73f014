package io.meshwatch.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.event.BgpUpdateEvent;
import io.meshwatch.routing.Afi;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** withdrawal-storm of tr-euw1's 200 extra prefixes (10.128.200.0/24 ..). */
class WithdrawalStormTest {

    private final SimHarness h = new SimHarness(SimHarness.demo().withExtraPrefixes(200)).started().atSeconds(5);

    @Test
    void everyRouterLosesTheWithdrawnPrefixesUntilTheyAreAnnouncedAgain() {
        List<String> others = List.of("tr-use1", "tr-apse1", "cx-ash", "cx-fra");
        Map<String, Integer> before = new HashMap<>();
        others.forEach(r -> before.put(r, h.prefixes(r, Afi.IPV4)));
        int mark = h.mark();
        h.run(Scenario.WITHDRAWAL_STORM, ScenarioRequest.target("tr-euw1").withDuration(Duration.ofSeconds(30)));
        for (String r : others) {
            assertNull(h.lookup(r, "10.128.200.1"), r + " lost tr-euw1's first extra prefix");
            assertEquals(before.get(r) - 200, h.prefixes(r, Afi.IPV4), r);
        }
        List<BgpUpdateEvent> withdrawals = h.since(mark, BgpUpdateEvent.class, u -> !u.withdraw().isEmpty());
        int withdrawn = withdrawals.stream().mapToInt(u -> u.withdraw().size()).sum();
        assertEquals(200 * h.sim.bgp().holders(h.net.extras("tr-euw1").orElseThrow().index()), withdrawn,
                "each holder hears every prefix withdrawn once");
        h.atSeconds(5 + 30);
        others.forEach(r -> assertEquals(before.get(r), h.prefixes(r, Afi.IPV4), r));
        assertNotNull(h.lookup("cx-fra", "10.128.200.1"));
        assertTrue(h.runs.all().get(0).state() == ScenarioRuns.State.RESOLVED);
    }

    @Test
    void aCountWithdrawsOnlyThatMany() {
        int before = h.prefixes("tr-use1", Afi.IPV4);
        h.run(Scenario.WITHDRAWAL_STORM, new ScenarioRequest("tr-euw1", null, null, 50, null, null));
        assertEquals(before - 50, h.prefixes("tr-use1", Afi.IPV4));
    }
}
