package io.meshwatch.mrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Decodes real RIPE RIS dumps from {@code src/test/resources/mrt/}, maps them to canonical events,
 * encodes and decodes each event through {@link io.meshwatch.event.EventCodec}, formats the decoded
 * events as bgpdump {@code -m} lines and compares them with the output of bgpdump's own test suite.
 *
 * <p>Every line must match on every field canonical events carry: peer, peer AS, prefix, ADD-PATH
 * path id, AS path (with AS sets), origin, next hop, LOCAL_PREF, MED, communities,
 * ATOMIC_AGGREGATE, and for BGP4MP lines the timestamp and the state codes. Not compared: the
 * AGGREGATOR field (not carried in canonical events) and the timestamp of RIB lines (bgpdump prints
 * the dump time, canonical RIB events carry the entry's originated time); see {@link BgpdumpFormat}.
 * Updates files are compared line by line in order; RIB files as sorted multisets, because RIB
 * entries sharing attributes are grouped into one event. IPv4/IPv6 multicast prefixes (SAFI 2),
 * which bgpdump prints like unicast ones, are left out of canonical events on purpose: the
 * comparison accepts exactly as many bgpdump-only lines as the reader counted
 * {@link SkipReason#MULTICAST_PREFIX} skips, and no line of ours that bgpdump lacks.
 */
class MrtMatchesBgpdumpTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "-", value = {
        "updates.20020722.2238.gz, -",
        "bview.ipv4_unicast_add_path.gz, TABLE_DUMP2_AP",
        "bview.ipv6_unicast_add_path.gz, TABLE_DUMP2_AP"})
    void decodedEventsMatchBgpdump(String file, String ribLabel) throws IOException {
        BgpdumpComparison.Result r;
        try (InputStream dump = resource(file); InputStream expected = resource(file + ".expected-bgpdump-m.gz")) {
            r = BgpdumpComparison.run(dump, expected, ribLabel);
        }
        assertTrue(r.matches(), BgpdumpComparison.describe(file, r));
        assertEquals(r.expected().size(), r.actual().size());
        assertEquals(0, r.stats().recordsSkipped(), r.stats().describeSkips());
    }

    static InputStream resource(String name) {
        InputStream in = MrtMatchesBgpdumpTest.class.getResourceAsStream("/mrt/" + name);
        if (in == null) {
            throw new AssertionError("missing test resource mrt/" + name);
        }
        return in;
    }
}
