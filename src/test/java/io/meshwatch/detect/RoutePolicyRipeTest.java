package io.meshwatch.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.inventory.Inventory;
import io.meshwatch.inventory.RoutePolicy;
import io.meshwatch.inventory.Router;
import io.meshwatch.inventory.RouterRole;
import io.meshwatch.inventory.Severity;
import io.meshwatch.inventory.WatchedPrefix;
import io.meshwatch.mrt.MrtEventMapper;
import io.meshwatch.mrt.MrtReader;
import io.meshwatch.rib.RibService;
import io.meshwatch.rib.RouteChange;
import io.meshwatch.routing.Prefix;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The route policy rules on real routing data: RIPE RIS rrc00's updates of 2002-07-22 22:38
 * ({@code mrt/updates.20020722.2238.gz}, see SOURCES.md) replayed into a route table as the
 * collector "rrc00", every best-path change judged by the detection engine. The data holds a real
 * origin change (210.80.60.0/24, AS 9513 then AS 9908) and a /8 announced beside many of its
 * more-specifics (63.0.0.0/8 by AS 10302). Which more-specifics were announced is read from
 * bgpdump's own decoding of the same file, kept beside it.
 */
class RoutePolicyRipeTest {

    static final String DUMP = "/mrt/updates.20020722.2238.gz";
    static final String ROUTER = "rrc00";
    static final Prefix RANGE = Prefix.parse("63.0.0.0/8");
    static final String MOAS = "210.80.60.0/24";

    static Scenario s;

    @BeforeAll
    static void replay() throws Exception {
        Inventory inv = new Inventory(List.of(new Router(ROUTER, "ripe-ris-amsterdam", null, 12654, RouterRole.TRANSIT)),
                List.of(), List.of(), List.of(
                        new WatchedPrefix(MOAS, "default", "a prefix with one origin", Severity.MAJOR, List.of(),
                                new RoutePolicy(List.of(9513L), List.of(), null, null)),
                        new WatchedPrefix(RANGE.toString(), "default", "the range of 63/8", Severity.MINOR, List.of(),
                                new RoutePolicy(List.of(10302L, 22412L, 14900L), List.of(), null, 23))));
        s = Scenario.with(inv);
        PolicyRanges policies = PolicyRanges.of(inv);
        RibService rib = new RibService(s.clock, new SimpleMeterRegistry());
        List<CanonicalEvent> events = new ArrayList<>();
        MrtEventMapper mapper = new MrtEventMapper(ROUTER, events::add);
        try (MrtReader reader = MrtReader.open(RoutePolicyRipeTest.class.getResourceAsStream(DUMP))) {
            reader.forEachRemaining(mapper::accept);
        }
        mapper.flush();
        for (CanonicalEvent e : events) {
            for (RouteChange c : rib.apply(List.of(e), (r, d) -> policies.judges(d.vrf(), d.prefix()))) {
                s.eventAt(0);
                s.engine.routeDeltas(c.router(), c.deltas(), c.eventTime());
            }
        }
    }

    /** The prefixes announced in the dump, from bgpdump's decoding of it, with their announcement lines. */
    static List<String[]> announcements() throws Exception {
        List<String[]> out = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(RoutePolicyRipeTest.class.getResourceAsStream(
                DUMP + ".expected-bgpdump-m.gz"));
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] f = line.split("\\|", -1);
                if (f.length > 6 && f[2].equals("A")) {
                    out.add(f);
                }
            }
        }
        return out;
    }

    private static List<Signal> transitions(SignalType type, String prefix) {
        return s.transitions.stream().filter(x -> x.type() == type && prefix.equals(x.label("prefix"))).toList();
    }

    @Test
    void theRealOriginChangeFiresWhenTheUnexpectedOriginBecomesBestNotBefore() {
        List<Signal> moas = transitions(SignalType.ROUTE_ORIGIN_UNEXPECTED, MOAS);
        assertTrue(!moas.isEmpty(), "the origin change raised nothing");
        Signal first = moas.get(0);
        assertTrue(first.isFiring());
        assertEquals("9908", first.annotation("origin_as"));
        assertEquals("1853 1239 2914 9908 9908 9908 9908", first.annotation("as_path"));
        // its announcements by AS 9513 at 22:44:27 and 22:44:56 were best before, and judged right
        assertEquals(Instant.ofEpochSecond(1027378323), first.startedAt(), "at the first AS 9908 announcement");
    }

    @Test
    void moreSpecificsOfTheRangeLongerThanItsMaximumLengthFireAndNoShorterOne() throws Exception {
        Set<String> longer = new TreeSet<>();
        Set<String> within = new TreeSet<>();
        for (String[] a : announcements()) {
            if (a[5].contains(":")) {
                continue;
            }
            Prefix p = Prefix.parse(a[5]);
            if (RANGE.covers(p) && !p.equals(RANGE)) {
                (p.length() > 23 ? longer : within).add(p.toString());
            }
        }
        assertTrue(longer.size() >= 4 && !within.isEmpty(), "the data has more-specifics on both sides: " + longer
                + " " + within);
        Set<String> fired = s.transitions.stream().filter(x -> x.type() == SignalType.ROUTE_MORE_SPECIFIC
                && x.isFiring()).map(x -> x.label("prefix")).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(longer, fired, "every announced more-specific longer than /23, and only those");
        for (String p : within) {
            assertTrue(transitions(SignalType.ROUTE_MORE_SPECIFIC, p).isEmpty(), p + " is within the maximum length");
        }
    }

    @Test
    void originsInsideTheRangeAreJudgedByItsPolicy() throws Exception {
        Set<String> wrongOrigin = new TreeSet<>();
        Set<String> rightOrigin = new TreeSet<>();
        for (String[] a : announcements()) {
            if (a[5].contains(":") || a[6].isEmpty()) {
                continue;
            }
            Prefix p = Prefix.parse(a[5]);
            String[] path = a[6].split(" ");
            String origin = path[path.length - 1];
            if (RANGE.covers(p)) {
                (Set.of("10302", "22412", "14900").contains(origin) ? rightOrigin : wrongOrigin).add(p.toString());
            }
        }
        rightOrigin.removeAll(wrongOrigin); // a prefix announced with both may have fired for the wrong one
        Set<String> fired = s.transitions.stream().filter(x -> x.type() == SignalType.ROUTE_ORIGIN_UNEXPECTED
                && x.isFiring() && RANGE.covers(Prefix.parse(x.label("prefix")))).map(x -> x.label("prefix"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertTrue(!wrongOrigin.isEmpty() && !rightOrigin.isEmpty(), wrongOrigin + " " + rightOrigin);
        assertTrue(fired.containsAll(wrongOrigin), "every more-specific with another origin: " + wrongOrigin
                + ", fired " + fired);
        for (String p : rightOrigin) {
            assertTrue(!fired.contains(p), p + " was only ever announced by an origin the policy names");
        }
    }
}
