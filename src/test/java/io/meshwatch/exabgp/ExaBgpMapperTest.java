package io.meshwatch.exabgp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.event.BgpState;
import io.meshwatch.event.BgpUpdateEvent;
import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.event.EndOfRibEvent;
import io.meshwatch.event.EventCodec;
import io.meshwatch.event.EventType;
import io.meshwatch.event.Nlri;
import io.meshwatch.event.PeerStateEvent;
import io.meshwatch.routing.Prefix;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ExaBGP 4.2's real JSON API output from our lab ({@code exabgp/exabgp-api.jsonl}, see
 * {@code src/test/resources/bmp/SOURCES.md}) against the scenario the lab README describes.
 */
class ExaBgpMapperTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static List<String> lines() throws IOException {
        try (InputStream in = ExaBgpMapperTest.class.getResourceAsStream("/exabgp/exabgp-api.jsonl")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    static List<CanonicalEvent> map(String router) throws IOException {
        ExaBgpMapper mapper = new ExaBgpMapper(router);
        List<CanonicalEvent> out = new ArrayList<>();
        for (String l : lines()) {
            mapper.map(JSON.readTree(l), out::add);
        }
        return out;
    }

    @Test
    void sessionStatesFollowTheScenario() throws IOException {
        List<PeerStateEvent> states = map(null).stream().filter(e -> e instanceof PeerStateEvent)
                .map(e -> (PeerStateEvent) e).toList();
        assertEquals(List.of(BgpState.OPENSENT, BgpState.ESTABLISHED, BgpState.IDLE, BgpState.OPENSENT,
                BgpState.ESTABLISHED, BgpState.IDLE), states.stream().map(PeerStateEvent::state).toList());
        PeerStateEvent reset = states.get(2);
        assertEquals("198.18.24.2", reset.peer());
        assertEquals(65002L, reset.peerAs());
        assertEquals(65004L, reset.localAs());
        assertTrue(reset.reason().contains("Cease / Administrative Reset"), reset.reason());
        // FRR's "clear bgp 198.18.24.4" at 06:13:47 (scenario-commands.log)
        assertEquals("2026-11-26T06:13:47", reset.time().toString().substring(0, 19));
        assertEquals("vm", reset.router(), "the host field names the router unless one is configured");
    }

    @Test
    void announcementsAndTheImplicitReplaceExaBgpSent() throws IOException {
        List<BgpUpdateEvent> sent = map("exa").stream().filter(e -> e instanceof BgpUpdateEvent u
                && u.rib().equals("adj-out-post")).map(e -> (BgpUpdateEvent) e).toList();
        List<BgpUpdateEvent> first = sent.stream().filter(u -> u.announce().contains(
                new Nlri(Prefix.parse("100.66.1.0/24"), 0))).toList();
        // 06:13:12 announced with AS path 65004 64510, MED 100; 06:13:21 replaced: 65004 64510 64511, 65004:9
        assertEquals(List.of(65004L, 64510L), first.get(0).attributes().asPath());
        assertEquals(100L, first.get(0).attributes().med());
        assertEquals(List.of("65004:1", "65004:2"), first.get(0).attributes().communities());
        assertEquals(List.of(65004L, 64510L, 64511L), first.get(1).attributes().asPath());
        assertEquals(List.of("65004:9"), first.get(1).attributes().communities());
        assertTrue(sent.stream().anyMatch(u -> !u.attributes().largeCommunities().isEmpty()
                && u.announce().get(0).prefix().equals(Prefix.parse("100.66.3.0/24"))), "large community route");
        assertTrue(sent.stream().anyMatch(u -> u.withdraw().contains(new Nlri(Prefix.parse("100.66.2.0/24"), 0))));
        assertTrue(sent.stream().anyMatch(u -> u.withdraw().contains(new Nlri(Prefix.parse("2001:db8:200::/48"), 0))));
    }

    @Test
    void receivedUpdatesAreTheAdjRibInFromFrr() throws IOException {
        List<CanonicalEvent> events = map("exa");
        List<BgpUpdateEvent> received = events.stream().filter(e -> e instanceof BgpUpdateEvent u
                && u.rib().equals("adj-in-post")).map(e -> (BgpUpdateEvent) e).toList();
        assertTrue(received.stream().allMatch(u -> u.peer().equals("198.18.24.2") && u.peerAs() == 65002L));
        BgpUpdateEvent own = received.stream().filter(u -> u.announce().contains(new Nlri(Prefix.parse("192.0.2.0/24"),
                0))).findFirst().orElseThrow();
        assertEquals(List.of(65002L), own.attributes().asPath());
        assertEquals("198.18.24.2", own.attributes().nextHop());
        assertTrue(received.stream().anyMatch(u -> u.announce().stream().anyMatch(n -> n.prefix().afi()
                == io.meshwatch.routing.Afi.IPV6)), "IPv6 over the same session");
        // the capture's four End-of-RIB lines are ExaBGP's own (sent): not an event of FRR's Adj-RIB-In
        assertEquals(List.of(), events.stream().filter(e -> e instanceof EndOfRibEvent).toList());
        String eorLine = lines().stream().filter(l -> l.contains("\"eor\"")).findFirst().orElseThrow()
                .replace("\"direction\": \"send\"", "\"direction\": \"receive\"");
        List<CanonicalEvent> eor = new ArrayList<>();
        new ExaBgpMapper("exa").map(JSON.readTree(eorLine), eor::add);
        assertEquals(1, eor.size());
        assertEquals(io.meshwatch.routing.Afi.IPV4, ((EndOfRibEvent) eor.get(0)).afi());
    }

    @Test
    void everyEventPassesTheCodec() throws Exception {
        EventCodec codec = new EventCodec(JSON);
        List<CanonicalEvent> events = map("exa");
        assertTrue(events.size() > 40);
        for (CanonicalEvent e : events) {
            assertEquals(e, codec.decode(codec.encode(e, "exabgp"), EventType.Family.BGP));
        }
    }

    @Test
    void notAnExaBgpMessageIsRefused() throws Exception {
        ExaBgpMapper mapper = new ExaBgpMapper(null);
        assertThrows(IllegalArgumentException.class, () -> mapper.map(JSON.readTree("{\"type\":\"update\"}"), e -> { }));
        String bad = lines().get(6).replace("\"198.18.24.2\": [ { \"nlri\"", "\"198.18.24.2\": [ { \"x\"");
        assertThrows(IllegalArgumentException.class, () -> mapper.map(JSON.readTree(bad), e -> { }));
        List<CanonicalEvent> none = new ArrayList<>();
        mapper.map(JSON.readTree(lines().get(2)), none::add);
        assertEquals(List.of(), none, "a keepalive makes no event");
        assertTrue(Instant.parse("2026-11-26T06:12:51Z").isBefore(map("exa").get(0).time()));
    }
}
