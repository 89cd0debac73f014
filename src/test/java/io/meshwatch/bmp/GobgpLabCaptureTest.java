package io.meshwatch.bmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.event.BgpState;
import io.meshwatch.event.BgpUpdateEvent;
import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.event.PeerStateEvent;
import io.meshwatch.rib.RibService;
import io.meshwatch.routing.Afi;
import io.meshwatch.routing.BestRoute;
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
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * GoBGP 3.10's real BMP stream from our lab ({@code lab/gobgp/bmp-gobgp.bin}, run 2,
 * {@code route-monitoring-policy = "all"}): Adj-RIB-In pre- and post-policy plus RFC 9069 Loc-RIB
 * without a Loc-RIB Peer Up, a generic sysName, and no Termination.
 */
class GobgpLabCaptureTest {

    private static final byte[] STREAM = BmpCaptures.bytes("/bmp/lab/gobgp/bmp-gobgp.bin");
    private static final byte[] PARSED = BmpCaptures.bytes("/bmp/lab/gobgp/bmp-gobgp.parsed.txt");
    private static final Instant ARRIVAL = Instant.parse("2026-11-26T11:58:20Z");

    private final Map<BmpQuirk, Integer> quirks = new EnumMap<>(BmpQuirk.class);

    private List<CanonicalEvent> map(String configured) {
        BmpEventMapper mapper = new BmpEventMapper("198.18.98.2", configured, Duration.ofHours(1),
                q -> quirks.merge(q, 1, Integer::sum));
        List<CanonicalEvent> out = new ArrayList<>();
        BmpCaptures.decode(STREAM, 4096).messages().forEach(m -> mapper.map(m, ARRIVAL, out::add));
        return out;
    }

    @Test
    void decodesEveryMessageAsTheLabParserDid() {
        // "announced=59 withdrawn=44 EoR=0" in the reference's summary
        assertEquals(List.of(107, 59, 44, 0), LabParsed.assertDecodesAs(STREAM, PARSED));
        List<BmpMessage> messages = BmpCaptures.decode(STREAM, 4096).messages();
        assertFalse(messages.stream().anyMatch(m -> m instanceof BmpMessage.PeerUp up && up.peer().locRib()),
                "no Loc-RIB Peer Up");
        assertFalse(messages.stream().anyMatch(m -> m instanceof BmpMessage.Termination), "no Termination");
        assertTrue(messages.stream().anyMatch(m -> m instanceof BmpMessage.RouteMonitoring rm && rm.peer().locRib()));
    }

    @Test
    void theProductNameIsNotTheRouterId() {
        assertTrue(map(null).stream().allMatch(e -> e.router().equals("198.18.98.2")));
        assertEquals(1, quirks.get(BmpQuirk.GENERIC_SYS_NAME));
        assertTrue(map("lab-gobgp").stream().allMatch(e -> e.router().equals("lab-gobgp")));
    }

    @Test
    void locRibWithoutPeerUpBecomesTheReportedBestPaths() {
        List<CanonicalEvent> events = map("lab-gobgp");
        assertEquals(1, quirks.get(BmpQuirk.LOC_RIB_WITHOUT_PEER_UP));
        List<BgpUpdateEvent> locRib = events.stream().filter(e -> e instanceof BgpUpdateEvent u
                && u.rib().equals("loc-rib")).map(e -> (BgpUpdateEvent) e).toList();
        assertFalse(locRib.isEmpty());
        locRib.forEach(u -> assertEquals(65001L, u.peerAs()));

        RibService rib = new RibService(Clock.fixed(ARRIVAL, ZoneOffset.UTC), new SimpleMeterRegistry());
        rib.apply(events);
        TreeSet<String> reported = new TreeSet<>();
        for (Afi afi : Afi.values()) {
            for (BestRoute b : rib.table("lab-gobgp").orElseThrow().page("", afi, null, 1000)) {
                if (b.reported()) {
                    reported.add(b.prefix().toString());
                }
            }
        }
        assertEquals(locRibFromLabParser(), reported, "the Loc-RIB the lab parser's messages leave");
        // at the end (BIRD and ExaBGP already stopped, FRR's routes withdrawn) GoBGP's own routes remain
        assertEquals(new TreeSet<>(List.of("198.51.100.0/25", "203.0.113.0/24")), reported);
    }

    /** Replays the reference's Loc-RIB lines (+[...] then -[...]) in order. */
    private static TreeSet<String> locRibFromLabParser() {
        Pattern p = Pattern.compile("type=loc-rib .*?\\+\\[(.*?)\\] -\\[(.*?)\\]");
        TreeSet<String> table = new TreeSet<>();
        for (String line : new String(PARSED, StandardCharsets.UTF_8).lines().toList()) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                for (String s : m.group(2).split(", ")) {
                    table.remove(s.replace("'", ""));
                }
                for (String s : m.group(1).split(", ")) {
                    if (!s.isBlank()) {
                        table.add(s.replace("'", ""));
                    }
                }
            }
        }
        return table;
    }

    @Test
    void neighbourDisabledAndEnabledAgain() {
        List<PeerStateEvent> states = map("lab-gobgp").stream().filter(e -> e instanceof PeerStateEvent s
                && s.peer().equals("198.18.12.2")).map(e -> (PeerStateEvent) e).toList();
        // 11:57:48 "gobgp neighbor 198.18.12.2 disable", 11:57:53 "enable" (scenario-commands.log)
        assertEquals(List.of(BgpState.ESTABLISHED, BgpState.IDLE, BgpState.ESTABLISHED),
                states.stream().map(PeerStateEvent::state).toList());
        assertTrue(states.get(1).reason().startsWith("BMP peer down 1: local system closed the session, "
                + "NOTIFICATION 6/2"), states.get(1).reason());
        assertEquals("2026-11-26T11:57:48Z", states.get(1).time().toString());
        assertEquals(65001L, states.get(0).localAs());
    }
}
