package io.meshwatch.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.event.BgpAttributes;
import io.meshwatch.event.BgpUpdateEvent;
import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.event.Nlri;
import io.meshwatch.mrt.MrtEventMapper;
import io.meshwatch.mrt.MrtReader;
import io.meshwatch.routing.AsPath;
import io.meshwatch.routing.IpAddress;
import io.meshwatch.routing.Origin;
import io.meshwatch.routing.PathAttributes;
import io.meshwatch.routing.Prefix;
import io.meshwatch.sim.SyntheticTable;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MRT writer of the GoBGP comparison, read back by Meshwatch's own MRT reader. */
class TableDumpWriterTest {

    /** What one peer's path for a prefix looks like as a canonical event. */
    private record Route(String peer, long peerAs, BgpAttributes attributes) {
    }

    @Test
    void syntheticTableReadsBackWithTheSamePrefixesAndAttributes(@TempDir Path dir) throws IOException {
        SyntheticTable t = new SyntheticTable(7, 400, 100, 2, 40, 12);
        Path file = dir.resolve("one-peer.mrt");
        TableDumpWriter.Summary s = TableDumpWriter.writeSynthetic(t, 1, file);
        assertEquals(400, s.ipv4());
        assertEquals(100, s.ipv6());
        assertEquals(500, s.entries());

        Map<Prefix, Route> expected = new HashMap<>();
        for (int g = 0; g < t.groupCount(); g++) {
            BgpUpdateEvent e = t.event(g * 2 + 1);
            for (Nlri n : e.announce()) {
                expected.put(n.prefix(), new Route(e.peer(), e.peerAs(), e.attributes()));
            }
        }
        List<CanonicalEvent> events = new ArrayList<>();
        MrtEventMapper mapper = new MrtEventMapper(SyntheticTable.ROUTER, events::add);
        try (MrtReader reader = MrtReader.open(file)) {
            reader.forEachRemaining(mapper::accept);
            mapper.flush();
            assertEquals(0, reader.stats().recordsSkipped(), reader.stats().describeSkips());
            assertEquals(501, reader.stats().records()); // PEER_INDEX_TABLE + one record a prefix
        }
        Map<Prefix, Route> read = new HashMap<>();
        for (CanonicalEvent c : events) {
            BgpUpdateEvent e = (BgpUpdateEvent) c;
            assertEquals(SyntheticTable.TIME, e.time());
            for (Nlri n : e.announce()) {
                assertEquals(null, read.put(n.prefix(), new Route(e.peer(), e.peerAs(), e.attributes())),
                        "prefix read twice: " + n.prefix());
            }
        }
        assertEquals(expected, read);
        assertEquals("10.0.0.2", read.values().iterator().next().peer());
    }

    @Test
    void everyAttributeTheWriterKnowsRoundTrips() throws IOException {
        int[] longSequence = new int[300];
        for (int i = 0; i < longSequence.length; i++) {
            longSequence[i] = (int) (4_200_000_000L + i);
        }
        PathAttributes a = PathAttributes.builder().origin(Origin.EGP)
                .asPath(AsPath.builder().sequence(longSequence).set(65010, 65011).build())
                .nextHop(IpAddress.parse("2001:db8::1")).med(7).localPref(250).atomicAggregate(true)
                .originatorId(0x0A000009).clusterList(0x0A000001, 0x0A000002)
                .communities(new int[] {65000 << 16 | 100}, new long[] {0x0002_FDE8_0000_03E8L},
                        new int[] {65000, 1, 2})
                .build();
        Prefix prefix = Prefix.parse("2001:db8:40::/42");
        BgpAttributes got = readBack(prefix, a);

        List<Object> asPath = new ArrayList<>();
        for (int as : longSequence) {
            asPath.add(Integer.toUnsignedLong(as));
        }
        asPath.add(List.of(65010L, 65011L));
        assertEquals(new BgpAttributes("egp", asPath, "2001:db8::1", 250L, 7L, List.of("65000:100"),
                List.of("65000:1:2"), List.of("rt:65000:1000"), "10.0.0.9", List.of("10.0.0.1", "10.0.0.2"), true),
                got);
    }

    @Test
    void ipv6EntriesCarryTheFullMpReachFormAndIpv4EntriesANextHop() throws IOException {
        PathAttributes v6 = PathAttributes.builder().asPath(AsPath.sequence(65001))
                .nextHop(IpAddress.parse("2001:db8::2")).build();
        Map<Integer, byte[]> attrs = split(TableDumpWriter.attributes(Prefix.parse("2001:db8:1::/48"), v6));
        assertFalse(attrs.containsKey(3), "no NEXT_HOP for an IPv6 prefix");
        byte[] mp = attrs.get(14);
        // AFI 2, SAFI 1, next-hop length 16: GoBGP 3.10 refuses the RFC 6396 form that starts at the length
        assertArrayEquals(new byte[] {0, 2, 1, 16}, Arrays.copyOf(mp, 4));
        assertEquals(0x20, mp[4]);
        assertEquals(0, mp[20], "reserved byte");
        assertArrayEquals(new byte[] {48, 0x20, 0x01, 0x0d, (byte) 0xb8, 0, 1}, Arrays.copyOfRange(mp, 21, mp.length));

        PathAttributes v4 = PathAttributes.builder().asPath(AsPath.sequence(65001))
                .nextHop(IpAddress.parse("10.0.0.1")).build();
        Map<Integer, byte[]> v4attrs = split(TableDumpWriter.attributes(Prefix.parse("192.0.2.0/24"), v4));
        assertFalse(v4attrs.containsKey(14));
        assertArrayEquals(new byte[] {10, 0, 0, 1}, v4attrs.get(3));
        assertArrayEquals(new byte[] {2, 1, 0, 0, (byte) 0xFD, (byte) 0xE9}, v4attrs.get(2), "4-byte AS_PATH");
        assertTrue(v4attrs.keySet().containsAll(List.of(1, 2, 3)));
    }

    @Test
    void ribBeforeThePeerIndexTableIsRefused() {
        TableDumpWriter w = new TableDumpWriter(new ByteArrayOutputStream(), SyntheticTable.TIME);
        assertThrows(IllegalArgumentException.class, () -> w.rib(Prefix.parse("192.0.2.0/24"), 0,
                SyntheticTable.TIME, PathAttributes.builder().build()));
    }

    private static BgpAttributes readBack(Prefix prefix, PathAttributes a) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TableDumpWriter w = new TableDumpWriter(bytes, SyntheticTable.TIME)) {
            w.peerIndex(SyntheticTable.COLLECTOR_ID, "", List.of(SyntheticTable.peer(0)));
            w.rib(prefix, 0, SyntheticTable.TIME, a);
        }
        List<CanonicalEvent> events = new ArrayList<>();
        MrtEventMapper mapper = new MrtEventMapper("r", events::add);
        try (MrtReader reader = MrtReader.open(new ByteArrayInputStream(bytes.toByteArray()))) {
            reader.forEachRemaining(mapper::accept);
            mapper.flush();
            assertEquals(0, reader.stats().recordsSkipped(), reader.stats().describeSkips());
        }
        assertEquals(1, events.size());
        BgpUpdateEvent e = (BgpUpdateEvent) events.get(0);
        assertEquals(List.of(new Nlri(prefix, 0)), e.announce());
        return e.attributes();
    }

    /** Attribute type code to value, from the encoded attributes of one entry. */
    private static Map<Integer, byte[]> split(byte[] b) {
        Map<Integer, byte[]> out = new HashMap<>();
        int i = 0;
        while (i < b.length) {
            int flags = b[i] & 0xFF;
            int type = b[i + 1] & 0xFF;
            int len = (flags & 0x10) != 0 ? (b[i + 2] & 0xFF) << 8 | b[i + 3] & 0xFF : b[i + 2] & 0xFF;
            int start = i + ((flags & 0x10) != 0 ? 4 : 3);
            out.put(type, Arrays.copyOfRange(b, start, start + len));
            i = start + len;
        }
        assertEquals(b.length, i);
        return out;
    }
}
