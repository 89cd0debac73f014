package io.meshwatch.bmp;

import static io.meshwatch.bmp.BmpWriter.open;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.event.BgpState;
import io.meshwatch.event.DownCause;
import io.meshwatch.event.PeerStateEvent;
import io.meshwatch.bmp.BmpWriter.Peer;
import io.meshwatch.event.BgpUpdateEvent;
import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.event.EndOfRibEvent;
import io.meshwatch.event.Nlri;
import io.meshwatch.rib.RibService;
import io.meshwatch.routing.BestRoute;
import io.meshwatch.routing.Prefix;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The mapper on streams shaped like GoBGP's and on the vendor captures. */
class BmpEventMapperTest {

    private static final Instant NOW = Instant.parse("2026-11-26T06:13:00Z");
    private static final long T = NOW.getEpochSecond();
    private final Map<BmpQuirk, Integer> quirks = new EnumMap<>(BmpQuirk.class);

    private List<CanonicalEvent> map(String source, String configured, Duration skew, byte[]... messages) {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        for (byte[] m : messages) {
            s.writeBytes(m);
        }
        BmpCaptures.Decoded d = BmpCaptures.decode(s.toByteArray(), 1 << 16);
        assertEquals(List.of(), d.failures());
        BmpEventMapper mapper = new BmpEventMapper(source, configured, skew, q -> quirks.merge(q, 1, Integer::sum));
        List<CanonicalEvent> out = new ArrayList<>();
        d.messages().forEach(m -> mapper.map(m, NOW, out::add));
        return out;
    }

    /**
     * GoBGP 3.10 with {@code route-monitoring-policy = "all"} (lab README, quirk 7): Peer Up for its
     * neighbour, Loc-RIB route monitoring (peer type 3, 0.0.0.0, AS 65001, and AS 0 on some
     * withdrawals) without any Loc-RIB Peer Up, and no Termination before it closes.
     */
    @Test
    void goBgpLocRibWithoutPeerUpIsTheRoutersReportedBest() {
        Peer frr = Peer.global("198.18.12.2", 65002, T);
        Peer locRib = new Peer(3, 0, "0.0.0.0", 65001, "198.18.12.1", T);
        Peer locRibAs0 = new Peer(3, 0, "0.0.0.0", 0, "198.18.12.1", T);
        List<CanonicalEvent> events = map("198.18.98.2", null, Duration.ofHours(1),
                BmpWriter.initiation("GoBGP", "gobgp"),
                BmpWriter.peerUp(frr, "198.18.12.1", open(65001, "198.18.12.1"), open(65002, "198.18.0.2")),
                BmpWriter.routeMonitoring(locRib, BmpWriter.ipv4Update(List.of(),
                        List.of(Prefix.parse("203.0.113.0/24"), Prefix.parse("198.51.100.0/25")), new long[0],
                        "0.0.0.0", 10L, new long[] {65001L << 16 | 100}, null)),
                BmpWriter.routeMonitoring(locRib, BmpWriter.ipv4Update(List.of(), List.of(Prefix.parse("100.65.1.0/24")),
                        new long[] {65002, 65003}, "198.18.12.2", null, null, null)),
                BmpWriter.routeMonitoring(locRibAs0, BmpWriter.ipv4Update(List.of(Prefix.parse("198.51.100.0/25")),
                        List.of(), null, null, null, null, null)));
        List<BgpUpdateEvent> updates = events.stream().filter(e -> e instanceof BgpUpdateEvent)
                .map(e -> (BgpUpdateEvent) e).toList();
        assertEquals(3, updates.size());
        updates.forEach(u -> assertEquals("loc-rib", u.rib()));
        updates.forEach(u -> assertEquals(65001L, u.peerAs(), "AS 0 on a Loc-RIB withdrawal becomes the router's"));
        assertEquals(List.of(65002L, 65003L), updates.get(1).attributes().asPath());
        assertEquals(2, quirks.get(BmpQuirk.LOC_RIB_WITHOUT_PEER_UP), "once for the instance, once for AS 0");
        assertEquals("gobgp", events.get(0).router());
        assertTrue(events.get(0) instanceof PeerStateEvent s && s.localAs() == 65001L);

        RibService rib = new RibService(Clock.fixed(NOW, ZoneOffset.UTC), new SimpleMeterRegistry());
        rib.apply(events);
        BestRoute best = rib.table("gobgp").orElseThrow().best("", Prefix.parse("203.0.113.0/24"));
        assertTrue(best.reported(), "the router's own Loc-RIB best");
        assertNull(rib.table("gobgp").orElseThrow().best("", Prefix.parse("198.51.100.0/25")), "withdrawn");
    }

    @Test
    void routerTimesArePlausibleOrReplaced() {
        Peer p = Peer.global("10.0.0.1", 64512, T - 60);
        Peer skewed = Peer.global("10.0.0.1", 64512, T + 3 * 3600);
        Peer zero = Peer.global("10.0.0.1", 64512, 0);
        byte[] upd = BmpWriter.ipv4Update(List.of(), List.of(Prefix.parse("10.1.0.0/16")), new long[] {64512},
                "10.0.0.1", null, null, null);
        List<CanonicalEvent> events = map("10.9.9.9", null, Duration.ofHours(1), BmpWriter.initiation("Cisco IOS XR", "r1"),
                BmpWriter.routeMonitoring(p, upd), BmpWriter.routeMonitoring(skewed, upd),
                BmpWriter.routeMonitoring(zero, upd));
        assertEquals(List.of(NOW.minusSeconds(60), NOW, NOW), events.stream().map(CanonicalEvent::time).toList());
        assertEquals(1, quirks.get(BmpQuirk.CLOCK_SKEW));
        assertEquals(1, quirks.get(BmpQuirk.ZERO_TIMESTAMP));
        assertFalse(quirks.containsKey(BmpQuirk.FRR_PEER_TIME), "not FRR");
    }

    @Test
    void peerUpCarriesTheNegotiatedHoldTimeAndPeerDownItsCause() {
        Peer p = Peer.global("10.0.0.1", 64512, T - 10);
        List<CanonicalEvent> events = map("10.9.9.9", null, Duration.ofHours(1), BmpWriter.initiation("x", "r1"),
                BmpWriter.peerUp(p, "10.0.0.2", open(64500, "10.0.0.2"), open(64512, "10.0.0.1")),
                BmpWriter.peerDown(p, 2, new byte[] {0, 10}));
        PeerStateEvent up = (PeerStateEvent) events.get(0);
        PeerStateEvent down = (PeerStateEvent) events.get(1);
        assertEquals(90, up.holdTime(), "the smaller of the two OPENs' hold times");
        assertEquals(null, up.cause());
        assertEquals(DownCause.HOLD_TIMER_EXPIRED, down.cause());
        assertEquals(BgpState.IDLE, down.state());
    }

    @Test
    void frrRouteMonitoringTakesTheArrivalTimeItsWholeSecondStampsAreEarly() {
        Peer p = Peer.global("10.0.0.1", 64512, T - 1);
        byte[] upd = BmpWriter.ipv4Update(List.of(), List.of(Prefix.parse("10.1.0.0/16")), new long[] {64512},
                "10.0.0.1", null, null, null);
        List<CanonicalEvent> events = map("10.9.9.9", null, Duration.ofHours(1),
                BmpWriter.initiation("FRRouting 8.4.4", "r1"), BmpWriter.routeMonitoring(p, upd));
        assertEquals(List.of(NOW), events.stream().map(CanonicalEvent::time).toList());
        assertEquals(1, quirks.get(BmpQuirk.FRR_ROUTE_TIME));
    }

    @Test
    void aPeerUpWithFrrsBareOpenHeaderIsStillAnEstablishedSession() {
        Peer p = Peer.global("10.0.0.1", 64512, T - 10);
        byte[] dummy = BmpWriter.bgp(1, new byte[0]);
        List<CanonicalEvent> events = map("10.9.9.9", null, Duration.ofHours(1), BmpWriter.initiation("x", "r1"),
                BmpWriter.peerUp(p, "10.0.0.2", open(64500, "10.0.0.2"), dummy));
        PeerStateEvent up = (PeerStateEvent) events.get(0);
        assertEquals(BgpState.ESTABLISHED, up.state());
        assertEquals(null, up.holdTime(), "one OPEN unknown: no negotiated hold time");
        assertEquals(1, quirks.get(BmpQuirk.EMPTY_OPEN));
    }

    @Test
    void peerStateTimesNeverGoBackwards() {
        Peer later = Peer.global("10.0.0.1", 64512, T - 10);
        Peer earlier = Peer.global("10.0.0.1", 64512, T - 20);
        List<CanonicalEvent> events = map("10.9.9.9", null, Duration.ofHours(1), BmpWriter.initiation("x", "r1"),
                BmpWriter.peerDown(later, 4, new byte[0]),
                BmpWriter.peerUp(earlier, "10.0.0.2", open(64500, "10.0.0.2"), open(64512, "10.0.0.1")));
        assertEquals(List.of(NOW.minusSeconds(10), NOW.minusSeconds(10)),
                events.stream().map(CanonicalEvent::time).toList());
    }

    @Test
    void routerIdIsConfiguredElseSysNameElseAddress() {
        byte[] eor = BmpWriter.routeMonitoring(Peer.global("10.0.0.1", 64512, T), BmpWriter.endOfRib());
        assertEquals("edge-1", map("10.9.9.9", "edge-1", null, BmpWriter.initiation("x", "r1"), eor).get(0).router());
        assertEquals("r1", map("10.9.9.9", null, null, BmpWriter.initiation("x", "r1"), eor).get(0).router());
        assertEquals("10.9.9.9", map("10.9.9.9", null, null, BmpWriter.initiation("x", " "), eor).get(0).router());
        assertEquals("10.9.9.9", map("10.9.9.9", null, null, eor).get(0).router());
        assertEquals(1, quirks.get(BmpQuirk.NO_INITIATION));
    }

    @Test
    void adjRibOutKeepsTheAdvertisedPath() {
        Peer out = Peer.global("10.0.0.1", 64512, T).flags(0x50);
        List<CanonicalEvent> events = map("10.9.9.9", null, null, BmpWriter.initiation("x", "r1"),
                BmpWriter.peerUp(out, "10.0.0.2", open(64500, "10.0.0.2"), open(64512, "10.0.0.1")),
                BmpWriter.routeMonitoring(out, BmpWriter.ipv4Update(List.of(), List.of(Prefix.parse("10.1.0.0/16")),
                        new long[] {64500, 64999}, "10.0.0.2", null, null, null)));
        BgpUpdateEvent u = (BgpUpdateEvent) events.get(1);
        assertEquals("adj-out-post", u.rib());
        assertEquals(List.of(64500L, 64999L), u.attributes().asPath(), "our own AS leads an advertised path");
    }

    @Test
    void rdInstancePeersAndVpnRoutesGoToTheirRouteDistinguisher() {
        BmpEventMapper mapper = new BmpEventMapper("172.21.1.101", null, null, q -> { });
        List<CanonicalEvent> events = new ArrayList<>();
        for (String test : List.of("201-BMP-CISCO-rd_instance", "204-BMP-CISCO-peer_down")) {
            BmpCaptures.decode(BmpCaptures.bytes("/bmp/pmacct/" + test + "/bmp-stream.bin"), 4096).messages()
                    .forEach(m -> mapper.map(m, NOW, events::add));
        }
        Set<String> vrfs = events.stream().filter(e -> e instanceof BgpUpdateEvent).map(e -> ((BgpUpdateEvent) e).vrf())
                .collect(Collectors.toSet());
        assertTrue(vrfs.contains("64499:84"), "RD instance peer of test 201: " + vrfs);
        assertTrue(vrfs.contains("4226809879:15"), "VPN route distinguisher of test 204: " + vrfs);
        assertTrue(vrfs.contains("default"));
        long announced = events.stream().filter(e -> e instanceof BgpUpdateEvent u && u.vrf().equals("64499:84"))
                .mapToLong(e -> ((BgpUpdateEvent) e).announce().size()).sum();
        assertTrue(announced > 0);
        assertTrue(events.stream().anyMatch(e -> e instanceof EndOfRibEvent r && r.vrf().equals("64499:84")));
        assertTrue(events.stream().allMatch(e -> !(e instanceof BgpUpdateEvent u)
                || u.announce().stream().map(Nlri::prefix).allMatch(p -> p.length() <= 128)));
    }
}
