package io.meshwatch.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.routing.Afi;
import io.meshwatch.routing.Prefix;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    static final Instant T = Instant.parse("2026-11-26T08:00:00.250Z");
    final EventCodec codec = new EventCodec(new ObjectMapper());

    static List<CanonicalEvent> oneOfEach() {
        BgpAttributes attrs = new BgpAttributes("igp", List.of(64512L, 3356L, List.of(65001L, 65002L)), "192.0.2.1",
                200L, 10L, List.of("64512:100"), List.of("64512:1:2"), List.of("rt:64512:100"), "10.0.0.9",
                List.of("10.0.0.1"), true);
        return List.of(
                new PeerStateEvent("r1", T, "default", "192.0.2.1", 64512, 64500L, BgpState.ESTABLISHED, null),
                new PeerStateEvent("r1", T, "default", "192.0.2.1", 64512, 64500L, BgpState.ESTABLISHED, null, 9, 3,
                        null),
                new PeerStateEvent("r1", T, "default", "192.0.2.1", 64512, 64500L, BgpState.IDLE, "hold timer",
                        null, null, DownCause.HOLD_TIMER_EXPIRED),
                new BgpUpdateEvent("r1", T, "blue", "2001:db8::1", 4200000000L, "adj-in-post", attrs,
                        List.of(new Nlri(Prefix.parse("10.1.0.0/16"), 0), new Nlri(Prefix.parse("2001:db8:1::/48"), 7)),
                        List.of(new Nlri(Prefix.parse("10.2.0.0/24"), 0))),
                new BgpUpdateEvent("r1", T, "default", "192.0.2.1", 64512, "loc-rib", null, List.of(),
                        List.of(new Nlri(Prefix.parse("10.3.0.0/24"), 3))),
                new EndOfRibEvent("r1", T, "default", "192.0.2.1", 64512, Afi.IPV6),
                new InterfaceStateEvent("r1", T, "eth1", "down", "up"),
                new InterfaceCountersEvent("r1", T, "eth1", 1L, 2L, 3L, 4L, 0L, 0L, null, null),
                new TunnelStateEvent("r1", T, "vpn-a1", "up", "aws_tunnel_state", 100L, null),
                new ProbeResultEvent("r1", T, "10.20.0.1", "dx-use1", null, 12.5, 1.25, 0.0, 10, 10),
                new TcpRetransmitsEvent("r1", T, "10.20.0.1", 10.0, 5000, 12));
    }

    @Test
    void everyEventTypeRoundTrips() throws Exception {
        for (CanonicalEvent e : oneOfEach()) {
            byte[] json = codec.encode(e, "test");
            assertEquals(e, codec.decode(json, null), new String(json, StandardCharsets.UTF_8));
        }
    }

    @Test
    void aDownCauseThisVersionDoesNotKnowIsOtherNotRefused() throws Exception {
        String json = "{\"version\":1,\"type\":\"bgp.peer_state\",\"router\":\"r1\",\"time\":\"2026-11-26T08:00:00Z\","
                + "\"payload\":{\"peer\":\"192.0.2.1\",\"peer_as\":64512,\"state\":\"idle\",\"cause\":\"gremlins\","
                + "\"hold_time\":90}}";
        PeerStateEvent e = (PeerStateEvent) codec.decode(json.getBytes(StandardCharsets.UTF_8), null);
        assertEquals(DownCause.OTHER, e.cause());
        assertEquals(90, e.holdTime());
        String bad = json.replace("\"hold_time\":90", "\"hold_time\":-1");
        RejectedRecordException r = assertThrows(RejectedRecordException.class,
                () -> codec.decode(bad.getBytes(StandardCharsets.UTF_8), null));
        assertTrue(r.getMessage().contains("hold_time"), r.getMessage());
    }

    @Test
    void absentListsRoundTripAsEmpty() throws Exception {
        BgpAttributes sparse = new BgpAttributes("incomplete", List.of(), "192.0.2.1", null, null, null, null, null,
                null, null, false);
        BgpUpdateEvent e = new BgpUpdateEvent("r1", T, "default", "192.0.2.1", 64512, "adj-in-post", sparse,
                List.of(new Nlri(Prefix.parse("10.0.0.0/8"), 0)), List.of());
        assertEquals(e, codec.decode(codec.encode(e, null), null));
    }

    @Test
    void addressesAreCanonicalised() throws Exception {
        String json = """
                {"version":1,"type":"bgp.peer_state","router":"r1","time":"2026-11-26T08:00:00Z",
                 "payload":{"peer":"2001:DB8:0:0::1","peer_as":1,"state":"idle"}}""";
        PeerStateEvent e = (PeerStateEvent) codec.decode(bytes(json), EventType.Family.BGP);
        assertEquals("2001:db8::1", e.peer());
        assertEquals("default", e.vrf(), "missing vrf means the global table");
    }

    @Test
    void refusesWrongFamilyForTopic() {
        byte[] json = codec.encode(oneOfEach().get(6), null);
        RejectedRecordException e = assertThrows(RejectedRecordException.class,
                () -> codec.decode(json, EventType.Family.BGP));
        assertEquals(RejectReason.UNKNOWN_TYPE, e.reason());
    }

    @Test
    void rejectionsNameTheField() {
        assertReject("{\"version\":1", RejectReason.NOT_JSON, "not JSON");
        assertReject("", RejectReason.NOT_JSON, "no value");
        assertReject("{\"version\":\"1\"}", RejectReason.WRONG_TYPE, "'version'");
        assertReject(update("\"announce\":[\"10.0.0.0/8\"]"), RejectReason.MISSING_FIELD, "payload.attributes");
        assertReject(update("\"announce\":[],\"withdraw\":[]"), RejectReason.MISSING_FIELD, "at least one prefix");
        assertReject(update("\"withdraw\":[{\"prefix\":\"10.0.0.0/8\",\"path_id\":-1}]"), RejectReason.INVALID_VALUE,
                "payload.withdraw[0].path_id");
        assertReject(update("\"withdraw\":[42]"), RejectReason.WRONG_TYPE, "payload.withdraw[0]");
        assertReject(update("\"withdraw\":[\"10.0.0.0/8\",\"fe80::/129\"]"), RejectReason.INVALID_VALUE,
                "payload.withdraw[1]");
        assertReject(update(attrs("\"as_path\":[1,[]]")), RejectReason.INVALID_VALUE, "empty AS_SET");
        assertReject(update(attrs("\"as_path\":[1,4294967296]")), RejectReason.INVALID_VALUE, "as_path[1]");
        assertReject(update(attrs("\"as_path\":[1],\"communities\":[\"65536:1\"]")), RejectReason.INVALID_VALUE,
                "communities[0]");
        assertReject(update(attrs("\"as_path\":[1],\"origin\":\"bgp\"")), RejectReason.INVALID_VALUE, "origin");
        assertReject(probe(11, 10), RejectReason.INVALID_VALUE, "payload.received");
        assertReject(update("\"withdraw\":[\"010.0.0.0/8\"]"), RejectReason.INVALID_VALUE, "010.0.0.0/8");
        assertReject(update("\"withdraw\":[\"10.0.0.0/8\"]") + " trailing", RejectReason.NOT_JSON, "not JSON");
        assertReject(update("\"withdraw\":[\"10.0.0.0/8\"],\"attributes\":42"), RejectReason.WRONG_TYPE,
                "payload.attributes");
        assertReject(update(attrs("\"as_path\":[1],\"communities\":[\"+65010:120\"]")), RejectReason.INVALID_VALUE,
                "communities[0]");
        assertReject(update(attrs("\"as_path\":[1],\"originator_id\":\"2001:db8::1\"")), RejectReason.INVALID_VALUE,
                "originator_id");
        assertReject(update(attrs("\"as_path\":[1],\"cluster_list\":[\"10.0.0.1\",\"::1\"]")),
                RejectReason.INVALID_VALUE, "cluster_list[1]");
        assertReject("{\"version\":1,\"type\":\"tcp.retransmits\",\"router\":\"r1\",\"time\":\"2026-11-26T08:00:00Z\","
                + "\"payload\":{\"remote\":\"10.0.0.1\",\"interval_s\":10,\"segments_out\":5,\"retransmits\":6}}",
                RejectReason.INVALID_VALUE, "payload.retransmits");
    }

    private void assertReject(String json, RejectReason reason, String words) {
        RejectedRecordException e = assertThrows(RejectedRecordException.class, () -> codec.decode(bytes(json), null),
                json);
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(words), "'" + e.getMessage() + "' mentions " + words);
    }

    private static String update(String body) {
        return "{\"version\":1,\"type\":\"bgp.update\",\"router\":\"r1\",\"time\":\"2026-11-26T08:00:00Z\","
                + "\"payload\":{\"peer\":\"192.0.2.1\",\"peer_as\":64512," + body + "}}";
    }

    private static String attrs(String extra) {
        String base = "\"origin\":\"igp\",\"next_hop\":\"192.0.2.1\"";
        return "\"announce\":[\"10.0.0.0/8\"],\"attributes\":{" + (extra.contains("\"origin\"") ? extra.replace(
                "\"origin\":\"bgp\"", "\"origin\":\"bgp\",\"next_hop\":\"192.0.2.1\"") : base + "," + extra) + "}";
    }

    private static String probe(int received, int sent) {
        return "{\"version\":1,\"type\":\"probe.result\",\"router\":\"r1\",\"time\":\"2026-11-26T08:00:00Z\","
                + "\"payload\":{\"target\":\"x\",\"latency_ms\":1,\"jitter_ms\":0,\"loss_pct\":0,\"sent\":" + sent
                + ",\"received\":" + received + "}}";
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
