package io.meshwatch.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.event.BgpState;
import io.meshwatch.event.DownCause;
import io.meshwatch.event.InterfaceStateEvent;
import io.meshwatch.event.ProbeResultEvent;
import io.meshwatch.network.BgpSession;
import io.meshwatch.routing.BestPathReason;
import io.meshwatch.routing.IpAddress;
import io.meshwatch.routing.Path;
import io.meshwatch.routing.PathAttributes;
import io.meshwatch.routing.Peer;
import io.meshwatch.routing.Prefix;
import io.meshwatch.routing.RouteDelta;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FactCodecTest {

    private static final Instant T = Instant.parse("2026-12-07T03:00:00.125Z");
    private final FactCodec codec = new FactCodec(new ObjectMapper());

    @Test
    void aSessionFactRoundTripsEveryField() throws Exception {
        BgpSession s = new BgpSession("cx-ash", "default", "169.254.10.2", 64512, 65010L, BgpState.IDLE, T,
                T.plusMillis(5), 3, "BMP peer down 2", T.plusSeconds(1), 9, 3, DownCause.HOLD_TIMER_EXPIRED);
        assertEquals(new Fact.SessionFact(s), codec.decode(codec.encode(new Fact.SessionFact(s))));
        BgpSession bare = new BgpSession("r", "default", "10.0.0.1", 1, null, BgpState.ESTABLISHED, T, T, 0, null,
                null);
        assertEquals(new Fact.SessionFact(bare), codec.decode(codec.encode(new Fact.SessionFact(bare))));
    }

    @Test
    void aRouteFactKeepsWhatDetectionReadsOfEachPath() throws Exception {
        Path viaPeer = new Path(new Peer("", IpAddress.parse("169.254.110.2"), 64512, 7), 3,
                PathAttributes.builder().nextHop(IpAddress.parse("169.254.110.2")).localPref(200).build());
        Path reported = new Path(null, 0, PathAttributes.builder().nextHop(IpAddress.parse("2001:db8::1")).build());
        List<RouteDelta> deltas = List.of(
                new RouteDelta("", Prefix.parse("10.1.0.0/16"), null, viaPeer, BestPathReason.ONLY_PATH),
                new RouteDelta("blue", Prefix.parse("2001:db8:1::/48"), reported, null, BestPathReason.NO_PATH));
        Fact.RouteFact back = (Fact.RouteFact) codec.decode(codec.encode(new Fact.RouteFact("cx-ash", T, deltas)));
        assertEquals("cx-ash", back.router());
        assertEquals(T, back.time());
        assertEquals(2, back.deltas().size());
        RouteDelta a = back.deltas().get(0);
        assertEquals(Prefix.parse("10.1.0.0/16"), a.prefix());
        assertNull(a.oldBest());
        assertEquals(IpAddress.parse("169.254.110.2"), a.newBest().peer().address());
        assertEquals(IpAddress.parse("169.254.110.2"), a.newBest().attributes().nextHop());
        assertEquals(BestPathReason.ONLY_PATH, a.reason());
        RouteDelta b = back.deltas().get(1);
        assertEquals("blue", b.vrf());
        assertNull(b.oldBest().peer(), "a router-reported path has no peer");
        assertEquals(IpAddress.parse("2001:db8::1"), b.oldBest().attributes().nextHop());
        assertNull(b.newBest());
    }

    @Test
    void aTelemetryFactCarriesTheCanonicalEvent() throws Exception {
        var iface = new InterfaceStateEvent("cx-ash", T, "eth1", "down", "up");
        var probe = new ProbeResultEvent("cx-ash", T, "10.0.0.1", "dx-ash-use1", null, 12.5, 1.0, 100.0, 10, 0);
        assertEquals(new Fact.TelemetryFact(iface), codec.decode(codec.encode(new Fact.TelemetryFact(iface))));
        assertEquals(new Fact.TelemetryFact(probe), codec.decode(codec.encode(new Fact.TelemetryFact(probe))));
    }

    @Test
    void aFeedFactCarriesTheFeedStateEvent() throws Exception {
        var lost = new io.meshwatch.event.FeedStateEvent("cx-ash", T, "bmp", "lost", "no Termination");
        var up = new io.meshwatch.event.FeedStateEvent("cx-ash", T.plusSeconds(3), "bmp", "up", null);
        assertEquals(new Fact.FeedFact(lost), codec.decode(codec.encode(new Fact.FeedFact(lost))));
        assertEquals(new Fact.FeedFact(up), codec.decode(codec.encode(new Fact.FeedFact(up))));
    }

    @Test
    void aTelemetryFactInAnotherShapeReadsTheSame() throws Exception {
        // what this codec writes is read in place; the same fact written by another writer (fields in
        // another order, spaces) takes the general path and gives the same event
        var probe = new ProbeResultEvent("cx-ash", T, "10.0.0.1", "dx-ash-use1", null, 12.5, 1.0, 100.0, 10, 0);
        String written = new String(codec.encode(new Fact.TelemetryFact(probe)), StandardCharsets.UTF_8);
        String event = written.substring(written.indexOf("\"event\":") + 8, written.length() - 1);
        String other = "{ \"kind\": \"telemetry\", \"event\": " + event + ", \"v\": 1 }";
        assertEquals(new Fact.TelemetryFact(probe), codec.decode(other.getBytes(StandardCharsets.UTF_8)));
        assertTrue(written.startsWith("{\"v\":1,\"kind\":\"telemetry\",\"event\":{"), written);
    }

    @Test
    void whatIsNotAFactIsRefusedSayingWhy() {
        assertTrue(refused("{").contains("not JSON"));
        assertTrue(refused("[]").contains("not a JSON object"));
        assertTrue(refused("{\"v\":2,\"kind\":\"session\"}").contains("version"));
        assertTrue(refused("{\"v\":1,\"kind\":\"rumour\"}").contains("unknown fact kind 'rumour'"));
        assertTrue(refused("{\"v\":1,\"kind\":\"routes\",\"time\":\"2026-12-07T03:00:00Z\",\"deltas\":[]}")
                .contains("'router'"));
        assertTrue(refused("{\"v\":1,\"kind\":\"routes\",\"router\":\"r\",\"time\":\"yesterday\",\"deltas\":[]}")
                .contains("malformed routes fact"));
        assertTrue(refused("{\"v\":1,\"kind\":\"telemetry\",\"event\":{\"version\":1}}").contains("telemetry fact"));
        assertTrue(refused("{\"v\":1,\"kind\":\"telemetry\",\"event\":{\"version\":1,\"type\":\"probe.result\"}}")
                .contains("telemetry fact"));
        assertTrue(refused("{\"v\":1,\"kind\":\"telemetry\",\"event\":nonsense}").contains("telemetry fact"));
    }

    private String refused(String json) {
        return assertThrows(FactFormatException.class, () -> codec.decode(json.getBytes(StandardCharsets.UTF_8)))
                .getMessage();
    }
}
