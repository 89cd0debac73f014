package io.meshwatch.bmp;

import static io.meshwatch.bmp.BmpWriter.bgp;
import static io.meshwatch.bmp.BmpWriter.open;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.event.DownCause;
import io.meshwatch.bgp.UpdateMessage;
import io.meshwatch.bmp.BmpWriter.Peer;
import io.meshwatch.event.BgpAttributes;
import io.meshwatch.event.Nlri;
import io.meshwatch.routing.Afi;
import io.meshwatch.routing.Prefix;
import io.meshwatch.testing.WireBytes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-built BMP messages for what the captures do not contain. */
class BmpDecoderTest {

    private final List<String> issues = new ArrayList<>();
    private final BmpDecoder decoder = new BmpDecoder((issue, message) -> issues.add(issue + ": " + message));

    private BmpMessage decode(byte[] m) throws BmpFormatException {
        return decoder.decode(m, 0, m.length, 0);
    }

    private static final Peer PEER = Peer.global("10.0.0.1", 64512, 1_795_000_000L);
    private static final List<Prefix> TWO = List.of(Prefix.parse("10.1.0.0/16"), Prefix.parse("10.2.0.0/24"));

    private byte[] addPathUpdate() {
        return BmpWriter.ipv4Update(List.of(), TWO, new long[] {64512}, "10.0.0.1", null, null, new long[] {7, 9});
    }

    @Test
    void addPathNegotiatedInPeerUpCarriesPathIds() throws Exception {
        // the router (sent OPEN) can receive path ids for IPv4 unicast, the peer can send them
        decode(BmpWriter.peerUp(PEER, "10.0.0.2", open(64500, "10.0.0.2", 1, 1, 1), open(64512, "10.0.0.1", 1, 1, 2)));
        BmpMessage.RouteMonitoring rm = (BmpMessage.RouteMonitoring) decode(BmpWriter.routeMonitoring(PEER.flags(0x40),
                addPathUpdate()));
        assertEquals(List.of(new Nlri(TWO.get(0), 7), new Nlri(TWO.get(1), 9)), rm.update().announces().get(0).nlri());
    }

    @Test
    void addPathAdvertisedByOneSideOnlyIsNotUsed() throws Exception {
        // both want to receive, nobody sends: read without path ids, the same bytes are other prefixes
        decode(BmpWriter.peerUp(PEER, "10.0.0.2", open(64500, "10.0.0.2", 1, 1, 1), open(64512, "10.0.0.1", 1, 1, 1)));
        BmpMessage.RouteMonitoring rm = (BmpMessage.RouteMonitoring) decode(BmpWriter.routeMonitoring(PEER,
                BmpWriter.ipv4Update(List.of(), TWO, new long[] {64512}, "10.0.0.1", null, null, null)));
        assertEquals(List.of(new Nlri(TWO.get(0), 0), new Nlri(TWO.get(1), 0)), rm.update().announces().get(0).nlri());
    }

    @Test
    void adjRibOutUsesTheRoutersSendDirection() throws Exception {
        Peer out = PEER.flags(0x10);
        decode(BmpWriter.peerUp(out, "10.0.0.2", open(64500, "10.0.0.2", 1, 1, 2), open(64512, "10.0.0.1", 1, 1, 1)));
        BmpMessage.RouteMonitoring rm = (BmpMessage.RouteMonitoring) decode(BmpWriter.routeMonitoring(out,
                addPathUpdate()));
        assertEquals(7, rm.update().announces().get(0).nlri().get(0).pathId());
        assertEquals("adj-out-pre", rm.peer().rib());
        assertEquals("adj-out-post", PEER.flags(0x50).toHeader().rib());
        assertEquals("adj-in-post", PEER.flags(0x40).toHeader().rib());
        assertEquals("adj-in-pre", PEER.toHeader().rib());
    }

    @Test
    void twoByteAsPathWithTheAFlagIsMergedWithAs4Path() throws Exception {
        WireBytes attrs = new WireBytes().u8(0x40, 1, 1, 0)
                .u8(0x40, 2, 8).u8(2, 3).u16(64512).u16(23456).u16(64999)        // AS_PATH, 2-octet
                .u8(0xC0, 17, 10).u8(2, 2).u32(4_200_000_001L).u32(64999)        // AS4_PATH
                .u8(0x40, 3, 4).u32(0x0A000001L)
                .u8(0xC0, 32, 12).u32(4_200_000_001L).u32(10).u32(300)           // LARGE_COMMUNITY
                .u8(0xC0, 16, 8).u8(0, 2).u16(65010).u32(300);                   // route target
        byte[] a = attrs.bytes();
        byte[] nlri = BmpWriter.nlri(List.of(Prefix.parse("10.9.0.0/16")), null);
        byte[] update = bgp(2, new WireBytes().u16(0).u16(a.length).raw(a).raw(nlri).bytes());
        BmpMessage.RouteMonitoring rm = (BmpMessage.RouteMonitoring) decode(BmpWriter.routeMonitoring(PEER.flags(0x20),
                update));
        BgpAttributes at = rm.update().announces().get(0).attributes();
        assertEquals(List.of(64512L, 4_200_000_001L, 64999L), at.asPath());
        assertEquals(List.of("4200000001:10:300"), at.largeCommunities());
        assertEquals(List.of("rt:65010:300"), at.extCommunities());
        assertTrue(rm.peer().twoByteAs());
    }

    @Test
    void ipv6ThroughMpReachAndEndOfRibThroughEmptyMpUnreach() throws Exception {
        Peer v6 = Peer.global("2001:db8::1", 64512, 1_795_000_000L);
        byte[] prefix = BmpWriter.nlri(List.of(Prefix.parse("2001:db8:100::/48")), null);
        WireBytes mp = new WireBytes().u16(2).u8(1).u8(16).raw(BmpWriter.address16("2001:db8::1")).u8(0).raw(prefix);
        byte[] mpb = mp.bytes();
        WireBytes attrs = new WireBytes().u8(0x40, 1, 1, 2).u8(0x40, 2, 0).u8(0x80, 14, mpb.length).raw(mpb);
        byte[] a = attrs.bytes();
        UpdateMessage u = ((BmpMessage.RouteMonitoring) decode(BmpWriter.routeMonitoring(v6,
                bgp(2, new WireBytes().u16(0).u16(a.length).raw(a).bytes())))).update();
        assertEquals("2001:db8::1", u.announces().get(0).attributes().nextHop());
        assertEquals("incomplete", u.announces().get(0).attributes().origin());
        assertEquals(List.of(new Nlri(Prefix.parse("2001:db8:100::/48"), 0)), u.announces().get(0).nlri());

        byte[] eor = new WireBytes().u8(0x80, 15, 3).u16(2).u8(1).bytes();
        UpdateMessage end = ((BmpMessage.RouteMonitoring) decode(BmpWriter.routeMonitoring(v6,
                bgp(2, new WireBytes().u16(0).u16(eor.length).raw(eor).bytes())))).update();
        assertEquals(new UpdateMessage.Family(Afi.IPV6, 1), end.endOfRib());
        UpdateMessage v4 = ((BmpMessage.RouteMonitoring) decode(BmpWriter.routeMonitoring(PEER,
                BmpWriter.endOfRib()))).update();
        assertEquals(new UpdateMessage.Family(Afi.IPV4, 1), v4.endOfRib());
    }

    @Test
    void peerDownReasonsInWords() throws Exception {
        byte[] notification = bgp(3, new byte[] {6, 2});
        assertEquals("local system closed the session, NOTIFICATION 6/2 (cease: administrative shutdown)",
                down(1, notification));
        assertEquals("local system closed the session, FSM event 18", down(2, new byte[] {0, 18}));
        assertEquals("remote system closed the session, NOTIFICATION 4/0 (hold timer expired)",
                down(3, bgp(3, new byte[] {4, 0})));
        assertEquals("remote system closed the session without a NOTIFICATION", down(4, new byte[0]));
        assertEquals("peer de-configured", down(5, new byte[0]));
        assertEquals("local system closed the session, table blue",
                down(6, new WireBytes().u16(3).u16(4).raw("blue".getBytes()).bytes()));
        assertEquals("peer down reason 7", down(7, new byte[0]));
    }

    @Test
    void peerDownCauses() throws Exception {
        assertEquals(DownCause.HOLD_TIMER_EXPIRED, cause(1, bgp(3, new byte[] {4, 0})), "NOTIFICATION 4 sent");
        assertEquals(DownCause.HOLD_TIMER_EXPIRED, cause(2, new byte[] {0, 10}), "FSM event 10, HoldTimer_Expires");
        assertEquals("local system closed the session, FSM event 10 (hold timer expired)", down(2, new byte[] {0, 10}));
        assertEquals(DownCause.BFD_DOWN, cause(1, bgp(3, new byte[] {6, 10})));
        assertEquals(DownCause.ADMINISTRATIVE, cause(3, bgp(3, new byte[] {6, 2})));
        assertEquals(DownCause.NOTIFICATION_RECEIVED, cause(3, bgp(3, new byte[] {2, 1})));
        assertEquals(DownCause.NOTIFICATION_SENT, cause(1, bgp(3, new byte[] {3, 1})));
        assertEquals(DownCause.CONNECTION_CLOSED, cause(4, new byte[0]));
        assertEquals(DownCause.ADMINISTRATIVE, cause(5, new byte[0]));
        assertEquals(DownCause.CONNECTION_CLOSED, cause(2, new byte[] {0, 18}), "TcpConnectionFails");
        assertEquals(DownCause.LOCAL_CLOSE, cause(2, new byte[] {0, 0}), "FRR 8.4's hold-timer expiry, clear, shutdown");
        assertEquals("local system closed the session, FSM event 0 (none given)", down(2, new byte[] {0, 0}));
        assertEquals(DownCause.OTHER, cause(2, new byte[] {0, 9}));
    }

    private DownCause cause(int reason, byte[] data) throws Exception {
        return ((BmpMessage.PeerDown) decode(BmpWriter.peerDown(PEER, reason, data))).cause();
    }

    private String down(int reason, byte[] data) throws Exception {
        return ((BmpMessage.PeerDown) decode(BmpWriter.peerDown(PEER, reason, data))).detail();
    }

    @Test
    void statisticsTerminationAndMirroring() throws Exception {
        byte[] stats = BmpWriter.message(BmpMessage.STATISTICS_REPORT, BmpWriter.peerHeader(PEER).u32(3)
                .u16(0).u16(4).u32(5)                                   // prefixes rejected
                .u16(7).u16(8).u32(0).u32(1234)                         // Adj-RIB-In routes
                .u16(9).u16(11).u16(1).u8(1).u32(0).u32(1000).bytes()); // per-AFI Adj-RIB-In
        BmpMessage.StatisticsReport s = (BmpMessage.StatisticsReport) decode(stats);
        assertEquals(5L, s.counters().get(0));
        assertEquals(1234L, s.counters().get(7));
        assertEquals(1000L, s.counters().get(9));

        BmpMessage.Termination t = (BmpMessage.Termination) decode(BmpWriter.termination(0));
        assertEquals(0, t.reason());

        byte[] mirrored = BmpWriter.ipv4Update(List.of(), TWO, new long[] {64512}, "10.0.0.1", null, null, null);
        byte[] mirror = BmpWriter.message(BmpMessage.ROUTE_MIRRORING, BmpWriter.peerHeader(PEER)
                .u16(0).u16(mirrored.length).raw(mirrored).u16(1).u16(2).u16(1).bytes());
        BmpMessage.RouteMirroring r = (BmpMessage.RouteMirroring) decode(mirror);
        assertEquals(1, r.bgpMessages());
        assertTrue(r.lostOrErrored());
    }

    @Test
    void locRibPeerHeaderHasNoAddressFamilyFlag() throws Exception {
        Peer locRib = new Peer(3, 0x80, "0.0.0.0", 65001, "198.18.12.1", 1_795_000_000L);
        BmpMessage.RouteMonitoring rm = (BmpMessage.RouteMonitoring) decode(BmpWriter.routeMonitoring(locRib,
                BmpWriter.ipv4Update(List.of(), TWO, new long[] {65002}, "198.18.12.2", null, null, null)));
        assertEquals("loc-rib", rm.peer().rib());
        assertTrue(rm.peer().filtered(), "0x80 is the F flag for a Loc-RIB instance");
        assertEquals("0.0.0.0", rm.peer().peer());
    }

    @Test
    void headerProblemsAreNamed() {
        byte[] m = BmpWriter.initiation("d", "n");
        m[0] = 1;
        assertEquals(BmpError.BAD_VERSION, assertThrows(BmpFormatException.class, () -> decode(m)).error());
        byte[] unknown = BmpWriter.message(42, new byte[3]);
        assertEquals(BmpError.UNKNOWN_TYPE, assertThrows(BmpFormatException.class, () -> decode(unknown)).error());
        byte[] cut = BmpWriter.message(BmpMessage.PEER_UP, new byte[10]);
        assertEquals(BmpError.MALFORMED, assertThrows(BmpFormatException.class, () -> decode(cut)).error());
    }

    @Test
    void framerGivesTheSameMessagesWhateverTheChunking() {
        byte[] stream = BmpCaptures.bytes("/bmp/lab/bmp-frr.bin");
        BmpCaptures.Decoded whole = BmpCaptures.decode(stream, stream.length);
        BmpCaptures.Decoded bytes = BmpCaptures.decode(stream, 1);
        assertEquals(143, whole.messages().size());
        assertEquals(whole.messages(), bytes.messages());
        BmpCaptures.Decoded cut = BmpCaptures.decode(java.util.Arrays.copyOf(stream, stream.length - 5), 1000);
        assertEquals(142, cut.messages().size());
        assertNotNull(cut.fatal());
        assertInstanceOf(BmpMessage.Initiation.class, whole.messages().get(0));
    }
}
