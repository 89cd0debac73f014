package io.meshwatch.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.event.BgpState;
import io.meshwatch.event.ProbeResultEvent;
import io.meshwatch.event.TcpRetransmitsEvent;
import io.meshwatch.inventory.CircuitThresholds;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** circuit-degraded of er-ash-azure: loss and jitter above the inventory's thresholds for longer than the dwell. */
class CircuitDegradedTest {

    private static final String CIRCUIT = "er-ash-azure";
    private final SimHarness h = new SimHarness(SimHarness.demo()).started().atSeconds(12);
    private final CircuitThresholds th = h.net.circuits().get(CIRCUIT).thresholds();

    private static boolean degraded(ProbeResultEvent p, CircuitThresholds th) {
        return p.lossPct() > th.lossPct() && p.jitterMs() > th.jitterMs();
    }

    @Test
    void lossAndJitterExceedTheThresholdsForLongerThanTheDwellThenRecover() {
        int mark = h.mark();
        ScenarioPlan plan = h.run(Scenario.CIRCUIT_DEGRADED, ScenarioRequest.target(CIRCUIT));
        h.atSeconds(12 + 60 + 10);
        List<ProbeResultEvent> probes = h.probes(mark, CIRCUIT, null);
        Instant end = SimHarness.T0.plusSeconds(12 + 60);
        List<ProbeResultEvent> during = probes.stream().filter(p -> p.time().isBefore(end)).toList();
        List<ProbeResultEvent> after = probes.stream().filter(p -> !p.time().isBefore(end)).toList();
        assertEquals(12, during.size(), "one round every 5 s for 60 s");
        assertTrue(during.stream().allMatch(p -> degraded(p, th)), during.toString());
        Duration span = Duration.between(during.get(0).time(), during.get(during.size() - 1).time());
        assertTrue(span.compareTo(th.dwell()) > 0, "degraded for " + span + ", dwell " + th.dwell());
        assertFalse(after.isEmpty());
        assertTrue(after.stream().allMatch(p -> p.lossPct() == 0 && p.jitterMs() < th.jitterMs() * th.clearRatio()),
                after.toString());
        assertTrue(h.probes(mark, null, "vpn-ash-azure-er").stream().filter(p -> p.time().isBefore(end))
                .allMatch(p -> degraded(p, th)), "the tunnel over the circuit suffers too");
        List<TcpRetransmitsEvent> tcp = h.since(mark, TcpRetransmitsEvent.class,
                e -> e.remote().equals("169.254.20.2") && e.time().isBefore(end));
        assertTrue(tcp.stream().allMatch(e -> 100.0 * e.retransmits() / e.segmentsOut() > th.retransmitPct()),
                tcp.toString());
        assertEquals(BgpState.ESTABLISHED, h.session("cx-ash", "169.254.20.2").state(), "degraded, not down");
        assertEquals(ScenarioRuns.State.RESOLVED, h.runs.get(plan.id()).orElseThrow().state());
    }

    @Test
    void aDurationShorterThanTheDwellIsRaised() {
        ScenarioPlan plan = h.run(Scenario.CIRCUIT_DEGRADED, ScenarioRequest.target(CIRCUIT)
                .withDuration(Duration.ofSeconds(10)));
        assertEquals(Duration.ofSeconds(40), plan.duration(), "dwell 30 s + two probe rounds");
        assertTrue(plan.notes().get(0).contains("dwell of 30s"), plan.notes().toString());
    }
}
