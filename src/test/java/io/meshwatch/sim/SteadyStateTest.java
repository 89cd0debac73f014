package io.meshwatch.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.event.BgpState;
import io.meshwatch.event.BgpUpdateEvent;
import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.event.EndOfRibEvent;
import io.meshwatch.event.EventType;
import io.meshwatch.event.InterfaceCountersEvent;
import io.meshwatch.event.InterfaceStateEvent;
import io.meshwatch.event.PeerStateEvent;
import io.meshwatch.event.ProbeResultEvent;
import io.meshwatch.event.TcpRetransmitsEvent;
import io.meshwatch.event.TunnelStateEvent;
import io.meshwatch.routing.Afi;
import io.meshwatch.sim.SimNetwork.CircuitDef;
import io.meshwatch.sim.SimNetwork.Iface;
import io.meshwatch.sim.SimNetwork.TunnelDef;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The network without a scenario: start-up, telemetry and churn, over a minute of virtual time. */
class SteadyStateTest {

    private final SimHarness h = new SimHarness(SimHarness.demo()).started();

    @Test
    void eachPeerReportsEstablishedThenItsTableThenEndOfRib() {
        List<CanonicalEvent> ev = h.events;
        int sessions = 0;
        for (PeerStateEvent up : h.since(0, PeerStateEvent.class, p -> p.state() == BgpState.ESTABLISHED)) {
            sessions++;
            int upAt = ev.indexOf(up);
            List<Integer> updates = indexes(ev, e -> e instanceof BgpUpdateEvent u && same(u.router(), u.peer(), up));
            List<Integer> eor = indexes(ev, e -> e instanceof EndOfRibEvent r && same(r.router(), r.peer(), up));
            assertEquals(1, eor.size(), up.router() + "/" + up.peer());
            assertFalse(updates.isEmpty(), "every session carries routes: " + up.router() + "/" + up.peer());
            assertTrue(updates.stream().allMatch(i -> i > upAt && i < eor.get(0)), up.router() + "/" + up.peer());
            assertEquals(up.time(), SimHarness.T0);
            assertTrue(up.localAs() != null && up.localAs() == h.net.router(up.router()).orElseThrow().asn());
        }
        assertEquals(2 * 7 + 4, sessions, "7 sessions between two routers, 4 to clouds");
        for (var r : h.net.routers()) {
            assertTrue(h.prefixes(r.id(), Afi.IPV4) > 80, r.id() + " holds the network's prefixes");
        }
    }

    private static boolean same(String router, String peer, PeerStateEvent p) {
        return router.equals(p.router()) && peer.equals(p.peer());
    }

    private static List<Integer> indexes(List<CanonicalEvent> ev, java.util.function.Predicate<CanonicalEvent> f) {
        return java.util.stream.IntStream.range(0, ev.size()).filter(i -> f.test(ev.get(i))).boxed().toList();
    }

    @Test
    void everyEventTypeIsProducedAndAcceptedByTheCodec() {
        h.atSeconds(20);
        Set<EventType> types = h.events.stream().map(CanonicalEvent::type).collect(Collectors.toCollection(
                () -> EnumSet.noneOf(EventType.class)));
        // bgp.feed_state is the collector's word on a router's connection; the simulator plays the routers
        // and no collector (a simulated lost feed is not one of its scenarios yet)
        assertEquals(EnumSet.complementOf(EnumSet.of(EventType.BGP_FEED_STATE)), types);
        assertEquals(h.net.interfaces().size(), h.since(0, InterfaceStateEvent.class,
                e -> e.operStatus().equals("up")).size());
    }

    @Test
    void probesShowEachPathsLatencyAndJitter() {
        h.atSeconds(60);
        for (CircuitDef c : h.net.circuits().values()) {
            List<ProbeResultEvent> p = h.probes(0, c.id(), null);
            assertEquals(13, p.size(), "a round every 5 s from 0 to 60 s: " + c.id());
            assertTrue(p.stream().allMatch(x -> x.router().equals(c.aRouter()) && x.lossPct() == 0
                    && x.latencyMs() >= 1.5 && x.latencyMs() < 4 && x.jitterMs() < 0.5), p.toString());
        }
        for (TunnelDef t : h.net.tunnels().values()) {
            List<ProbeResultEvent> p = h.probes(0, null, t.id());
            double lo = t.circuit() == null ? 20 : 1.5;
            double hi = t.circuit() == null ? 110 : 5;
            assertTrue(p.stream().allMatch(x -> x.latencyMs() >= lo && x.latencyMs() < hi), t.id() + " " + p);
            assertTrue(p.stream().allMatch(x -> x.received() == x.sent() - Math.round(x.lossPct() * x.sent() / 100)));
        }
    }

    @Test
    void countersGrowAndOnlyTheTunnelCarryingTrafficMovesBytes() {
        h.atSeconds(60);
        for (Iface i : h.net.interfaces()) {
            List<InterfaceCountersEvent> c = h.since(0, InterfaceCountersEvent.class,
                    e -> e.router().equals(i.router()) && e.iface().equals(i.name()));
            assertEquals(6, c.size(), "every 10 s: " + i);
            for (int k = 1; k < c.size(); k++) {
                assertTrue(c.get(k).inOctets() > c.get(k - 1).inOctets(), i.toString());
                assertTrue(c.get(k).outPackets() > c.get(k - 1).outPackets(), i.toString());
                assertTrue(c.get(k).inDiscards() >= c.get(k - 1).inDiscards(), i.toString());
            }
        }
        for (TunnelDef t : h.net.tunnels().values()) {
            List<TunnelStateEvent> s = h.tunnelStates(0, t.id());
            boolean primary = h.net.groups().get(t.group()).primary().equals(t.id());
            for (int k = 1; k < s.size(); k++) {
                assertEquals(primary, s.get(k).bytesIn() > s.get(k - 1).bytesIn(), t.id() + " moves bytes: " + primary);
            }
        }
    }

    @Test
    void tcpRetransmitsAreReportedForEveryBgpConnectionAndStayLow() {
        h.atSeconds(60);
        List<TcpRetransmitsEvent> tcp = h.since(0, TcpRetransmitsEvent.class, e -> true);
        assertEquals(6 * 18, tcp.size(), "every 10 s for each of the 18 session ends");
        long segments = tcp.stream().mapToLong(TcpRetransmitsEvent::segmentsOut).sum();
        long retransmits = tcp.stream().mapToLong(TcpRetransmitsEvent::retransmits).sum();
        assertTrue(100.0 * retransmits / segments < 0.5, retransmits + " of " + segments);
        assertTrue(tcp.stream().allMatch(e -> e.intervalS() == 10));
    }

    @Test
    void churnFlapsExtraPrefixesAndAnnouncesEachAgainFiveSecondsLater() {
        SimHarness churn = new SimHarness(SimHarness.demo().withChurn(2)).started();
        int mark = churn.mark();
        int before = churn.prefixes("cx-fra", Afi.IPV4);
        churn.atSeconds(60);
        List<BgpUpdateEvent> withdrawals = churn.since(mark, BgpUpdateEvent.class, u -> !u.withdraw().isEmpty());
        List<BgpUpdateEvent> announcements = churn.since(mark, BgpUpdateEvent.class, u -> !u.announce().isEmpty());
        assertTrue(withdrawals.size() > 2 * 60, "about 2 flaps a second, each heard by several routers: "
                + withdrawals.size());
        assertTrue(withdrawals.stream().allMatch(u -> u.withdraw().size() == 1
                && u.withdraw().get(0).prefix().toString().startsWith("10.1")));
        for (BgpUpdateEvent w : withdrawals) {
            if (w.time().isAfter(SimHarness.T0.plusSeconds(54))) {
                continue;
            }
            assertTrue(announcements.stream().anyMatch(a -> a.router().equals(w.router()) && a.peer().equals(w.peer())
                    && a.announce().equals(w.withdraw()) && a.time().equals(w.time().plus(Duration.ofSeconds(5)))),
                    "announced again 5 s later: " + w);
        }
        churn.atSeconds(60 + 6);
        int after = churn.prefixes("cx-fra", Afi.IPV4);
        assertTrue(after <= before && after > before - 20, before + " -> " + after + ": only flapping prefixes missing");
    }

    @Test
    void aChurnRateAboveWhatTheSinkTakesRunsFlatOutWithABoundedQueue() {
        SimHarness fast = new SimHarness(SimHarness.demo().withExtraPrefixes(2_000).withChurn(1_000_000)).started();
        int mark = fast.mark();
        fast.atSeconds(1);
        long flaps = fast.since(mark, BgpUpdateEvent.class, u -> !u.withdraw().isEmpty()).size();
        assertTrue(flaps > 10_000, "as fast as the sink takes them: " + flaps);
        SimHarness paced = new SimHarness(SimHarness.demo().withExtraPrefixes(2_000).withChurn(1_000_000)
                .withBurst(1_000)).started();
        paced.atSeconds(30);
        // no flap starts while the outbox is full; each started flap adds at most its return 5 s later
        assertTrue(paced.sim.backlogItems() <= 2 * Simulator.MAX_CHURN_BACKLOG + 16,
                "bounded: " + paced.sim.backlogItems());
        assertTrue(paced.sim.backlogItems() >= Simulator.MAX_CHURN_BACKLOG, "and full: the sink is the limit");
    }
}
