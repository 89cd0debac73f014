package io.meshwatch.bmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.bgp.UpdateMessage;
import io.meshwatch.bmp.BmpMessage.PeerHeader;
import io.meshwatch.event.BgpState;
import io.meshwatch.event.BgpUpdateEvent;
import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.event.EndOfRibEvent;
import io.meshwatch.event.Nlri;
import io.meshwatch.event.PeerStateEvent;
import io.meshwatch.rib.RibService;
import io.meshwatch.routing.Afi;
import io.meshwatch.routing.BestRoute;
import io.meshwatch.routing.Prefix;
import io.meshwatch.routing.RouteTable;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * FRR 8.4.4's real BMP stream from our lab ({@code lab/bmp-frr.bin}): the decoder agrees with the
 * lab's own parser message by message, and the mapper's handling of FRR's quirks yields FRR's own
 * end-of-scenario route table.
 */
class FrrLabCaptureTest {

    private static final byte[] STREAM = BmpCaptures.bytes("/bmp/lab/bmp-frr.bin");
    /** FRR's boot time, which it puts in Peer Up / Peer Down of peers that never flapped (06:06:43). */
    private static final Instant BOOT = Instant.ofEpochSecond(1795673203);
    /** When the messages "arrive" in these tests: after the scenario. */
    private static final Instant ARRIVAL = Instant.parse("2026-11-26T06:14:20Z");

    @Test
    void decodesEveryMessageAsTheLabParserDid() {
        // the summary line of the reference: "announced=21 withdrawn=34 EoR=4"
        assertEquals(List.of(143, 21, 34, 4), LabParsed.assertDecodesAs(STREAM,
                BmpCaptures.bytes("/bmp/lab/bmp-frr.parsed.txt")));
    }

    /** Maps the whole capture; every message arrives at {@link #ARRIVAL}. */
    static List<CanonicalEvent> map(Map<BmpQuirk, Integer> quirks) {
        BmpEventMapper mapper = new BmpEventMapper("198.18.99.2", null, Duration.ofHours(1),
                q -> quirks.merge(q, 1, Integer::sum));
        List<CanonicalEvent> events = new ArrayList<>();
        for (BmpMessage m : BmpCaptures.decode(STREAM, 4096).messages()) {
            mapper.map(m, ARRIVAL, events::add);
        }
        assertTrue(mapper.frr());
        return events;
    }

    @Test
    void routerIdIsTheSysNameOfTheInitiation() {
        assertTrue(map(new EnumMap<>(BmpQuirk.class)).stream().allMatch(e -> e.router().equals("rw-frr")));
    }

    @Test
    void endStateIsFrrsOwnRouteTable() {
        RibService rib = new RibService(Clock.fixed(ARRIVAL, ZoneOffset.UTC), new SimpleMeterRegistry());
        rib.apply(map(new EnumMap<>(BmpQuirk.class)));
        RouteTable table = rib.table("rw-frr").orElseThrow();
        Map<String, String> routes = new TreeMap<>();
        for (BestRoute b : table.page("", Afi.IPV4, null, 100)) {
            routes.put(b.prefix().toString(), b.path().attributes().asPath().toString()
                    + (b.path().attributes().hasMed() ? " med " + b.path().attributes().med() : ""));
        }
        // the lab README's expected end state (state-after-scenario.txt: FRR's 'show bgp ipv4 unicast')
        Map<String, String> expected = new TreeMap<>(Map.of(
                "100.65.1.0/24", "65003", "100.65.2.0/24", "65003", "100.65.3.0/24", "65003",
                "100.65.4.0/25", "65003", "100.66.1.0/24", "65004 64510 64511", "100.66.3.0/24", "65004",
                "198.51.100.0/25", "65001", "203.0.113.0/24", "65001 med 20", "192.0.2.0/24", " med 0"));
        assertEquals(expected, routes);
        String state = new String(BmpCaptures.bytes("/bmp/lab/state-after-scenario.txt"), StandardCharsets.UTF_8);
        for (String prefix : expected.keySet()) {
            assertTrue(state.contains(prefix), prefix + " is in FRR's own table");
        }
        // IPv6 is monitored pre-policy only, which FRR without soft-reconfiguration leaves empty
        assertEquals(0, table.prefixCount("", Afi.IPV6));
    }

    @Test
    void prePolicyWithdrawalsWithoutAnnouncementsAreDropped() {
        Map<BmpQuirk, Integer> quirks = new EnumMap<>(BmpQuirk.class);
        List<CanonicalEvent> events = map(quirks);
        assertFalse(events.stream().anyMatch(e -> e instanceof BgpUpdateEvent u && u.rib().equals("adj-in-pre")));
        // every pre-policy Route Monitoring in the capture that is not End-of-RIB is such a withdrawal
        long preWithdrawals = BmpCaptures.decode(STREAM, 4096).messages().stream()
                .filter(m -> m instanceof BmpMessage.RouteMonitoring rm && !rm.peer().postPolicy()
                        && rm.update().endOfRib() == null).count();
        assertEquals(preWithdrawals, (long) quirks.get(BmpQuirk.PRE_POLICY_WITHDRAW_WITHOUT_ANNOUNCE));
        assertTrue(preWithdrawals > 20);
    }

    @Test
    void ownAsPrependedByFrrIsRemoved() {
        Map<BmpQuirk, Integer> quirks = new EnumMap<>(BmpQuirk.class);
        List<BgpUpdateEvent> updates = map(quirks).stream().filter(e -> e instanceof BgpUpdateEvent)
                .map(e -> (BgpUpdateEvent) e).filter(u -> u.attributes() != null).toList();
        assertFalse(updates.isEmpty());
        for (BgpUpdateEvent u : updates) {
            assertFalse(u.attributes().asPath().contains(65002L), u.toString());
            if (!u.peer().equals("0.0.0.0")) {
                assertEquals(u.peerAs(), u.attributes().asPath().get(0), "the neighbour's AS comes first: " + u);
            }
        }
        assertEquals(updates.size() - 1, (int) quirks.get(BmpQuirk.OWN_AS_PREPENDED), "all but the local route");
    }

    @Test
    void peerTimesAreArrivalTimesNotFrrsBootTime() {
        Map<BmpQuirk, Integer> quirks = new EnumMap<>(BmpQuirk.class);
        List<PeerStateEvent> states = map(quirks).stream().filter(e -> e instanceof PeerStateEvent)
                .map(e -> (PeerStateEvent) e).toList();
        assertFalse(states.isEmpty());
        states.forEach(s -> assertEquals(ARRIVAL, s.time(), s.toString()));
        assertTrue(BmpCaptures.decode(STREAM, 4096).messages().stream().anyMatch(m ->
                m instanceof BmpMessage.PeerUp up && BOOT.equals(up.peer().time().truncatedTo(
                        java.time.temporal.ChronoUnit.SECONDS))), "the capture does carry the boot time");
        assertEquals(states.size(), (int) quirks.get(BmpQuirk.FRR_PEER_TIME));
    }

    @Test
    void endOfRibWithZeroTimestampGetsTheArrivalTime() {
        Map<BmpQuirk, Integer> quirks = new EnumMap<>(BmpQuirk.class);
        List<EndOfRibEvent> eors = map(quirks).stream().filter(e -> e instanceof EndOfRibEvent)
                .map(e -> (EndOfRibEvent) e).toList();
        // ExaBGP's IPv4 and IPv6 End-of-RIB, pre- and post-policy: one event per family
        assertEquals(List.of("198.18.24.4 ipv4", "198.18.24.4 ipv6"),
                eors.stream().map(e -> e.peer() + " " + e.afi().wireName()).toList());
        eors.forEach(e -> assertEquals(ARRIVAL, e.time()));
        assertEquals(4, (int) quirks.get(BmpQuirk.ZERO_TIMESTAMP));
    }

    @Test
    void peerDownForPeersThatNeverCameUpIsReportedOnce() {
        Map<BmpQuirk, Integer> quirks = new EnumMap<>(BmpQuirk.class);
        List<PeerStateEvent> states = map(quirks).stream().filter(e -> e instanceof PeerStateEvent)
                .map(e -> (PeerStateEvent) e).toList();
        // 198.18.12.1, 198.18.23.3 and 2001:db8:12::1 are reported down twice before their first Peer Up
        assertEquals(3, (int) quirks.get(BmpQuirk.PEER_DOWN_WITHOUT_PEER_UP));
        for (String peer : List.of("198.18.12.1", "198.18.23.3", "2001:db8:12::1")) {
            List<BgpState> seq = states.stream().filter(s -> s.peer().equals(peer)).map(PeerStateEvent::state)
                    .limit(2).toList();
            assertEquals(List.of(BgpState.IDLE, BgpState.ESTABLISHED), seq, peer);
        }
        PeerStateEvent bird = states.stream().filter(s -> s.peer().equals("198.18.23.3")
                && s.reason() != null && s.reason().contains("NOTIFICATION")).findFirst().orElseThrow();
        assertEquals("BMP peer down 3: remote system closed the session, NOTIFICATION 6/2 (cease: administrative "
                + "shutdown)", bird.reason());
        assertEquals(65002L, bird.localAs());
    }

    @Test
    void localRoutesOfThePseudoPeerGetTheRoutersAs() {
        Map<BmpQuirk, Integer> quirks = new EnumMap<>(BmpQuirk.class);
        List<CanonicalEvent> events = map(quirks);
        BgpUpdateEvent local = events.stream().filter(e -> e instanceof BgpUpdateEvent u && u.peer().equals("0.0.0.0"))
                .map(e -> (BgpUpdateEvent) e).findFirst().orElseThrow();
        assertEquals(65002L, local.peerAs());
        assertEquals("adj-in-post", local.rib());
        assertEquals(List.of(new Nlri(Prefix.parse("192.0.2.0/24"), 0)), local.announce());
        assertEquals(List.of(), local.attributes().asPath());
        assertTrue(quirks.get(BmpQuirk.PSEUDO_PEER_ROUTES) >= 1);
        assertFalse(events.stream().anyMatch(e -> e instanceof PeerStateEvent s && s.peer().equals("0.0.0.0")),
                "the pseudo-peer is not a BGP session");
    }
}
