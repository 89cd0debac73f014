package io.meshwatch.mrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Opt-in: the same comparison as {@link MrtMatchesBgpdumpTest} on the large RIPE RIS dumps of
 * bgpdump's test data, which are not kept in this repository. Runs only when the system property
 * {@code meshwatch.mrt.dir} names a folder holding the dumps and their
 * {@code .expected-bgpdump-m.gz} outputs, e.g.
 * {@code ./mvnw test -Plarge-data -Dtest=MrtLargeFilesTest -Dmeshwatch.mrt.dir=/path/to/bgpdump-test_data}
 * (excluded from the default build by its tag; it fails when the folder is not given).
 * Prints the parse rate (records/s, including mapping, codec round trip and formatting).
 */
@Tag("large-data")
class MrtLargeFilesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "-", value = {
        "bview.20020722.2337.gz, TABLE_DUMP",
        "updates.20070211.0141.gz, -",
        "updates.20160811.1600.gz, -"})
    void largeDumpsMatchBgpdump(String file, String ribLabel) throws IOException {
        Path dir = Path.of(System.getProperty("meshwatch.mrt.dir"));
        BgpdumpComparison.Result r;
        try (InputStream dump = Files.newInputStream(dir.resolve(file));
             InputStream expected = Files.newInputStream(dir.resolve(file + ".expected-bgpdump-m.gz"))) {
            r = BgpdumpComparison.run(dump, expected, ribLabel);
        }
        System.out.printf("%s: %d records, %d events, %d lines in %.2f s = %.0f records/s (with codec round trip)%n",
                file, r.stats().records(), r.events(), r.actual().size(), r.seconds(),
                r.stats().records() / r.seconds());
        assertTrue(r.matches(), BgpdumpComparison.describe(file, r));
        assertEquals(r.expected().size(), r.actual().size() + r.stats().skipped(SkipReason.MULTICAST_PREFIX));
    }

    /** Parse rate of the biggest file: reading alone, then reading and mapping to events (best of 5 runs). */
    @Test
    void parseRateOfTheBiggestDump() throws IOException {
        Path file = Path.of(System.getProperty("meshwatch.mrt.dir")).resolve("bview.20020722.2337.gz");
        for (boolean map : new boolean[] {false, true}) {
            double best = Double.MAX_VALUE;
            long records = 0;
            for (int run = 0; run < 5; run++) {
                long start = System.nanoTime();
                long[] events = {0};
                MrtEventMapper mapper = new MrtEventMapper("rrc00", e -> events[0]++);
                try (MrtReader reader = MrtReader.open(file)) {
                    while (reader.hasNext()) {
                        MrtRecord r = reader.next();
                        if (map) {
                            mapper.accept(r);
                        }
                    }
                    mapper.flush();
                    records = reader.stats().records();
                }
                best = Math.min(best, (System.nanoTime() - start) / 1e9);
            }
            System.out.printf("bview.20020722.2337.gz %s: %d records in %.3f s = %.0f records/s%n",
                    map ? "read + map to events" : "read only", records, best, records / best);
            assertTrue(records > 100_000);
        }
    }
}
