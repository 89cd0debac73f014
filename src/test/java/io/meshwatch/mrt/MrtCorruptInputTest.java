package io.meshwatch.mrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Damaged input: the reader reports the byte offset of each bad record, skips it by its length
 * (or stops when no boundary can be trusted), keeps counting, and never throws from the iteration.
 */
class MrtCorruptInputTest {

    private static byte[] clean;
    private static byte[] gz;
    private static List<Integer> offsets;
    private static List<MrtRecord> cleanRecords;

    /** What one read produced. */
    private record Read(List<MrtRecord> records, MrtStats stats) {
    }

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = MrtMatchesBgpdumpTest.resource("updates.20020722.2238.gz")) {
            gz = in.readAllBytes();
        }
        clean = new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes();
        offsets = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(clean);
        for (int at = 0; at < clean.length; at += 12 + b.getInt(at + 8)) {
            offsets.add(at);
        }
        Read r = read(clean);
        cleanRecords = r.records();
        assertEquals(offsets.size(), r.stats().records());
        assertEquals(0, r.stats().recordsSkipped(), r.stats().describeSkips());
    }

    private static Read read(byte[] data) {
        List<MrtRecord> out = new ArrayList<>();
        try (MrtReader reader = MrtReader.open(new ByteArrayInputStream(data))) {
            reader.forEachRemaining(out::add);
            return new Read(out, reader.stats());
        } catch (IOException e) {
            throw new AssertionError("opening an in-memory stream failed", e);
        }
    }

    private static List<MrtRecord> cleanBefore(long offset) {
        return cleanRecords.stream().filter(r -> r.offset() < offset).toList();
    }

    @Test
    void recordCutInTheMiddleIsReportedAndReadingStops() {
        int k = offsets.size() / 2;
        Read r = read(Arrays.copyOf(clean, offsets.get(k) + 20));
        assertEquals(k, r.stats().records());
        assertEquals(1, r.stats().skipped(SkipReason.TRUNCATED_RECORD));
        assertEquals((long) offsets.get(k), r.stats().firstSkips(SkipReason.TRUNCATED_RECORD).get(0).offset());
        assertEquals(cleanBefore(offsets.get(k)), r.records());
    }

    @Test
    void headerCutShortIsReportedAndReadingStops() {
        int k = offsets.size() / 3;
        Read r = read(Arrays.copyOf(clean, offsets.get(k) + 5));
        assertEquals(k, r.stats().records());
        assertEquals((long) offsets.get(k), r.stats().firstSkips(SkipReason.TRUNCATED_HEADER).get(0).offset());
        assertEquals(cleanBefore(offsets.get(k)), r.records());
    }

    @Test
    void flippedTypeBytesSkipOneRecordAndReadingResumesAtTheNext() {
        int j = offsets.size() / 4;
        byte[] data = clean.clone();
        data[offsets.get(j) + 4] ^= (byte) 0xFF;
        data[offsets.get(j) + 5] ^= (byte) 0xFF;
        Read r = read(data);
        assertEquals(offsets.size(), r.stats().records(), "every header is still read");
        assertEquals(1, r.stats().recordsSkipped(), r.stats().describeSkips());
        assertEquals((long) offsets.get(j), r.stats().firstSkips(SkipReason.UNKNOWN_TYPE).get(0).offset());
        List<MrtRecord> expected = cleanRecords.stream().filter(x -> x.offset() != offsets.get(j)).toList();
        assertEquals(expected, r.records());
    }

    @Test
    void flippedLengthHighByteIsImplausibleAndReadingStops() {
        int j = offsets.size() / 5;
        byte[] data = clean.clone();
        data[offsets.get(j) + 8] ^= (byte) 0xFF;
        Read r = read(data);
        assertEquals(j, r.stats().records());
        assertEquals((long) offsets.get(j), r.stats().firstSkips(SkipReason.IMPLAUSIBLE_LENGTH).get(0).offset());
        assertEquals(cleanBefore(offsets.get(j)), r.records());
    }

    @Test
    void malformedBodyIsSkippedByItsLength() {
        ByteBuffer b = ByteBuffer.wrap(clean);
        int m = offsets.stream().filter(o -> b.getShort(o + 4) == 16 && b.getShort(o + 6) == 1).skip(10)
                .findFirst().orElseThrow();
        byte[] data = clean.clone();
        data[m + 12 + 32] = (byte) 0xFF; // BGP message length, after the BGP4MP header and the marker
        data[m + 12 + 33] = (byte) 0xFF;
        Read r = read(data);
        assertEquals(offsets.size(), r.stats().records());
        assertEquals(1, r.stats().skipped(SkipReason.MALFORMED));
        MrtStats.Skip skip = r.stats().firstSkips(SkipReason.MALFORMED).get(0);
        assertEquals(m, skip.offset());
        assertTrue(skip.message().contains("BGP message length 65535"), skip.message());
        assertEquals(cleanRecords.stream().filter(x -> x.offset() != m).toList(), r.records());
    }

    @Test
    void wrongButPlausibleLengthLosesSyncWithoutThrowing() {
        int j = offsets.size() / 2;
        byte[] data = clean.clone();
        data[offsets.get(j) + 11] += 3;
        Read r = read(data);
        assertTrue(r.stats().recordsSkipped() > 0, "the damage is reported");
        assertTrue(r.records().size() >= cleanBefore(offsets.get(j)).size());
    }

    @Test
    void gzipCutInTheMiddleEndsTheReadWithAReport() {
        Read r = read(Arrays.copyOf(gz, gz.length / 2));
        assertTrue(r.stats().records() > 0);
        assertTrue(r.stats().records() < offsets.size());
        long stops = r.stats().skipped(SkipReason.IO_ERROR) + r.stats().skipped(SkipReason.TRUNCATED_RECORD)
                + r.stats().skipped(SkipReason.TRUNCATED_HEADER);
        assertEquals(1, stops, r.stats().describeSkips());
        assertFalse(r.records().isEmpty());
    }

    /** Whatever survives damage still maps to events the codec accepts. */
    @Test
    void randomByteFlipsNeverThrowAndYieldValidEvents() {
        Random random = new Random(20020722);
        for (int round = 0; round < 200; round++) {
            byte[] data = clean.clone();
            for (int i = 0; i < 20; i++) {
                data[random.nextInt(data.length)] ^= (byte) (1 + random.nextInt(255));
            }
            Read r = read(data);
            assertTrue(r.records().size() <= r.stats().records());
            MrtEventMapper mapper = new MrtEventMapper("rrc00", BgpdumpFormat::roundTrip);
            r.records().forEach(mapper::accept);
            mapper.flush();
        }
    }
}
