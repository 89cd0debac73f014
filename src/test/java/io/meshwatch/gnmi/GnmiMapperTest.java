package io.meshwatch.gnmi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.event.BgpState;
import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.event.EventCodec;
import io.meshwatch.event.InterfaceCountersEvent;
import io.meshwatch.event.InterfaceStateEvent;
import io.meshwatch.event.PeerStateEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Telegraf's real gNMI outputs (its own test cases, MIT) and gnmic events written to its documented format. */
class GnmiMapperTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T08:00:00Z"), ZoneOffset.UTC);
    private final GnmiMapper mapper = new GnmiMapper(Map.of(), CLOCK);

    private static List<String> telegraf(String c) throws IOException {
        try (InputStream in = GnmiMapperTest.class.getResourceAsStream("/gnmi/telegraf/" + c + "/expected.out")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        }
    }

    private List<CanonicalEvent> map(List<String> lines) {
        List<CanonicalEvent> out = new ArrayList<>();
        for (String l : lines) {
            mapper.map(MetricFormats.lineProtocol(l), out::add);
        }
        return out;
    }

    @Test
    void junosSubinterfaceStates() throws IOException {
        List<CanonicalEvent> events = map(telegraf("tagging_name_based"));
        assertEquals(List.of("lo0.0 up", "irb.312 up", "gr-0/0/0.2 up", "xe-0/1/1.1410 up",
                "xe-0/1/5.16386 lower_layer_down"), events.stream().map(e -> (InterfaceStateEvent) e)
                .map(e -> e.iface() + " " + e.operStatus()).toList());
        assertEquals("127.0.0.1", events.get(0).router());
        assertEquals(Instant.ofEpochSecond(1674081667L, 238697959L), events.get(0).time());
        assertEquals(3, map(telegraf("tagging_subinterfaces")).size());
    }

    @Test
    void huaweiInterfaceDown() throws IOException {
        InterfaceStateEvent e = (InterfaceStateEvent) map(telegraf("issue_17412")).get(0);
        assertEquals("Eth-Trunk5.1234", e.iface());
        assertEquals("down", e.operStatus());
    }

    @Test
    void aristaCounters() throws IOException {
        List<CanonicalEvent> events = map(telegraf("issue_14530"));
        InterfaceCountersEvent c = (InterfaceCountersEvent) events.get(0);
        assertEquals("Ethernet35", c.iface());
        assertEquals(0L, c.inOctets());
        assertEquals(0L, c.outDiscards());
        assertEquals(1, events.size());
    }

    @Test
    void samplesThatCannotBeIdentifiedAreRefused() throws IOException {
        // Ciena counters carry no interface name tag; in issue_14063 the name is a field, not a tag
        IllegalArgumentException ciena = assertThrows(IllegalArgumentException.class,
                () -> map(telegraf("issue_16476")));
        assertTrue(ciena.getMessage().contains("no interface name"), ciena.getMessage());
        assertThrows(IllegalArgumentException.class, () -> map(telegraf("issue_14063")));
        assertThrows(IllegalArgumentException.class, () -> MetricFormats.lineProtocol("no fields at all"));
    }

    @Test
    void nothingModelledMeansNoEvents() throws IOException {
        assertEquals(List.of(), map(telegraf("issue_13052")), "Junos component memory");
        assertEquals(List.of(), map(telegraf("issue_14833")), "counter discontinuity time only");
    }

    @Test
    void bgpSessionStateNeedsThePeerAs() throws IOException {
        List<String> lines = telegraf("issue_11011");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> map(lines));
        assertTrue(e.getMessage().contains("no peer AS"), e.getMessage());
        // once the neighbour's peer-as has been seen, the same sample maps
        map(List.of("oc-neigh-state,source=127.0.0.1,neighbor_address=192.0.2.1,name=default peer_as=64512u "
                + "1543236571000000000"));
        PeerStateEvent s = (PeerStateEvent) map(lines).get(0);
        assertEquals(BgpState.ESTABLISHED, s.state());
        assertEquals("192.0.2.1", s.peer());
        assertEquals(64512L, s.peerAs());
        assertEquals("default", s.vrf());
    }

    @Test
    void gnmicEventsWithOpenConfigPaths() throws Exception {
        ObjectMapper json = new ObjectMapper();
        String events = """
                [{"name":"sub1","timestamp":1795673600123456789,
                  "tags":{"source":"10.1.0.1:57400","subscription-name":"sub1","interface_name":"Ethernet1/7"},
                  "values":{"/interfaces/interface/state/oper-status":"DOWN",
                            "/interfaces/interface/state/admin-status":"UP",
                            "/interfaces/interface/state/counters/in-octets":918273645501,
                            "/interfaces/interface/state/counters/out-octets":733104992817}},
                 {"name":"sub2","timestamp":1795673600123456789,
                  "tags":{"source":"10.1.0.1:57400","network-instance_name":"default",
                          "neighbor_neighbor-address":"169.254.21.1"},
                  "values":{"/network-instances/network-instance/protocols/protocol/bgp/neighbors/neighbor/state/peer-as":65515,
                            "/network-instances/network-instance/protocols/protocol/bgp/neighbors/neighbor/state/session-state":"ACTIVE"}}]
                """;
        GnmiMapper m = new GnmiMapper(Map.of("10.1.0.1:57400", "cx-eqx-dc2"), CLOCK);
        List<CanonicalEvent> out = new ArrayList<>();
        for (GnmiMetric metric : MetricFormats.gnmicEvents(json.readTree(events))) {
            m.map(metric, out::add);
        }
        assertEquals(3, out.size());
        InterfaceStateEvent st = (InterfaceStateEvent) out.get(0);
        assertEquals(List.of("cx-eqx-dc2", "Ethernet1/7", "down", "up"), List.of(st.router(), st.iface(),
                st.operStatus(), st.adminStatus()));
        assertEquals(918273645501L, ((InterfaceCountersEvent) out.get(1)).inOctets());
        PeerStateEvent p = (PeerStateEvent) out.get(2);
        assertEquals(BgpState.ACTIVE, p.state());
        assertEquals(65515L, p.peerAs());
        assertEquals(Instant.ofEpochSecond(1795673600L, 123456789L), p.time());

        EventCodec codec = new EventCodec(json);
        for (CanonicalEvent e : out) {
            assertEquals(e, codec.decode(codec.encode(e, "gnmi"), e.type().family()));
        }
    }

    @Test
    void telegrafJsonIsTheSameMetric() throws Exception {
        String line = telegraf("issue_17412").get(0);
        String json = "{\"fields\":{\"oper_status\":\"down\"},\"name\":\"interface_state_change\","
                + "\"tags\":{\"name\":\"Eth-Trunk5.1234\",\"source\":\"127.0.0.1\"},\"timestamp\":1753972839}";
        GnmiMetric fromJson = MetricFormats.telegrafJson(new ObjectMapper().readTree(json)).get(0);
        GnmiMetric fromLine = MetricFormats.lineProtocol(line);
        assertEquals(fromLine.fields(), fromJson.fields());
        assertEquals(fromLine.tags(), fromJson.tags());
        assertEquals(fromLine.time().getEpochSecond(), fromJson.time().getEpochSecond(), "seconds in Telegraf JSON");
    }
}
