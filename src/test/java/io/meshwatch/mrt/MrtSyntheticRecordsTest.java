package io.meshwatch.mrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.meshwatch.event.BgpUpdateEvent;
import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.event.EndOfRibEvent;
import io.meshwatch.event.Nlri;
import io.meshwatch.routing.Afi;
import io.meshwatch.routing.Prefix;
import io.meshwatch.testing.WireBytes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-built records for cases the RIPE test dumps do not contain. */
class MrtSyntheticRecordsTest {

    private static byte[] record(long ts, int type, int subtype, byte[] body) {
        return new WireBytes().u32(ts).u16(type).u16(subtype).u32(body.length).raw(body).bytes();
    }

    private static byte[] attr(int flags, int type, byte[] value) {
        WireBytes b = new WireBytes().u8(flags | (value.length > 255 ? 0x10 : 0), type);
        return (value.length > 255 ? b.u16(value.length) : b.u8(value.length)).raw(value).bytes();
    }

    private static byte[] peerIndex() {
        return new WireBytes().u32(0x0A000001L).u16(0).u16(2)
                .u8(0x02).u32(0x0A000002L).u32(0xC0000201L).u32(4200000000L)        // IPv4 peer, AS4
                .u8(0x03).u32(0x0A000003L).u32(0x20010db8L).u32(0).u32(0).u32(2).u32(65001) // IPv6 peer
                .bytes();
    }

    private static byte[] originIgp() {
        return attr(0x40, 1, new byte[] {0});
    }

    private static byte[] bgp4mpUpdate(int asSize, byte[] withdrawn, byte[] attrs, byte[] nlri) {
        byte[] update = new WireBytes().u16(withdrawn.length).raw(withdrawn).u16(attrs.length).raw(attrs).raw(nlri)
                .bytes();
        WireBytes b = new WireBytes();
        if (asSize == 4) {
            b.u32(64500).u32(12654);
        } else {
            b.u16(64500).u16(12654);
        }
        b.u16(0).u16(1).u32(0xC0000201L).u32(0xC0000202L);
        for (int i = 0; i < 16; i++) {
            b.u8(0xFF);
        }
        return b.u16(19 + update.length).u8(2).raw(update).bytes();
    }

    private static List<CanonicalEvent> events(byte[] data, MrtStats[] stats) throws IOException {
        List<CanonicalEvent> out = new ArrayList<>();
        MrtEventMapper mapper = new MrtEventMapper("lab", e -> out.add(BgpdumpFormat.roundTrip(e)));
        try (MrtReader reader = MrtReader.open(new ByteArrayInputStream(data))) {
            reader.forEachRemaining(mapper::accept);
            stats[0] = reader.stats();
        }
        mapper.flush();
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        WireBytes b = new WireBytes();
        for (byte[] p : parts) {
            b.raw(p);
        }
        return b.bytes();
    }

    @Test
    void ribPrefixWithHostBitsIsSkippedAndCounted() throws IOException {
        byte[] attrs = concat(originIgp(), attr(0x40, 2, new WireBytes().u8(2, 1).u32(4200000000L).bytes()),
                attr(0x40, 3, new WireBytes().u32(0xC0000201L).bytes()));
        byte[] bad = new WireBytes().u32(1).u8(23, 10, 0, 1).u16(1).u16(0).u32(1000).u16(attrs.length).raw(attrs).bytes();
        byte[] good = new WireBytes().u32(2).u8(23, 10, 0, 2).u16(1).u16(0).u32(1000).u16(attrs.length).raw(attrs)
                .bytes();
        MrtStats[] stats = new MrtStats[1];
        List<CanonicalEvent> events = events(concat(record(2000, 13, 1, peerIndex()), record(2000, 13, 2, bad),
                record(2000, 13, 2, good)), stats);
        assertEquals(1, stats[0].skipped(SkipReason.HOST_BITS_SET));
        assertEquals(0, stats[0].recordsSkipped());
        BgpUpdateEvent e = assertInstanceOf(BgpUpdateEvent.class, events.get(0));
        assertEquals(List.of(new Nlri(Prefix.parse("10.0.2.0/23"), 0)), e.announce());
        assertEquals("192.0.2.1", e.peer());
        assertEquals(4200000000L, e.peerAs());
        assertEquals(Instant.ofEpochSecond(1000), e.time());
        assertEquals(List.of(4200000000L), e.attributes().asPath());
    }

    @Test
    void updateKeepsGoodPrefixesWhenOneHasHostBitsSet() throws IOException {
        byte[] attrs = concat(originIgp(), attr(0x40, 2, new WireBytes().u8(2, 1).u32(64500).bytes()),
                attr(0x40, 3, new WireBytes().u32(0xC0000201L).bytes()));
        byte[] nlri = new WireBytes().u8(8, 10).u8(23, 10, 0, 1).bytes();
        byte[] withdrawn = new WireBytes().u8(24, 192, 0, 2).bytes();
        MrtStats[] stats = new MrtStats[1];
        List<CanonicalEvent> events = events(record(3000, 16, 4, bgp4mpUpdate(4, withdrawn, attrs, nlri)), stats);
        assertEquals(1, stats[0].skipped(SkipReason.HOST_BITS_SET));
        BgpUpdateEvent e = assertInstanceOf(BgpUpdateEvent.class, events.get(0));
        assertEquals(List.of(new Nlri(Prefix.parse("10.0.0.0/8"), 0)), e.announce());
        assertEquals(List.of(new Nlri(Prefix.parse("192.0.2.0/24"), 0)), e.withdraw());
    }

    @Test
    void as4PathIsMergedIntoTwoByteAsPath() throws IOException {
        byte[] asPath = new WireBytes().u8(2, 3).u16(64500).u16(23456).u16(23456).u8(1, 2).u16(1).u16(2).bytes();
        byte[] as4Path = new WireBytes().u8(2, 2).u32(4200000000L).u32(4200000001L).u8(1, 2).u32(1).u32(2).bytes();
        byte[] attrs = concat(originIgp(), attr(0x40, 2, asPath), attr(0x40, 3, new WireBytes().u32(0xC0000201L).bytes()),
                attr(0xC0, 17, as4Path), attr(0xC0, 32, new WireBytes().u32(4200000000L).u32(1).u32(2).bytes()),
                attr(0xC0, 16, new WireBytes().u8(0x00, 0x02).u16(64500).u32(7).bytes()));
        MrtStats[] stats = new MrtStats[1];
        List<CanonicalEvent> events = events(record(3000, 16, 1,
                bgp4mpUpdate(2, new byte[0], attrs, new WireBytes().u8(16, 10, 1).bytes())), stats);
        BgpUpdateEvent e = assertInstanceOf(BgpUpdateEvent.class, events.get(0));
        assertEquals(List.of(64500L, 4200000000L, 4200000001L, List.of(1L, 2L)), e.attributes().asPath());
        assertEquals(List.of("4200000000:1:2"), e.attributes().largeCommunities());
        assertEquals(List.of("rt:64500:7"), e.attributes().extCommunities());
    }

    @Test
    void abbreviatedMpReachInIpv6RibGivesTheGlobalNextHop() throws IOException {
        byte[] nh = new WireBytes().u8(32).u32(0x20010db8L).u32(0).u32(0).u32(1).u32(0xfe800000L).u32(0).u32(0).u32(1)
                .bytes();
        byte[] attrs = concat(originIgp(), attr(0x40, 2, new WireBytes().u8(2, 1).u32(65001).bytes()),
                attr(0x80, 14, nh));
        byte[] rib = new WireBytes().u32(1).u8(32, 0x20, 0x01, 0x0d, 0xb8).u16(1).u16(1).u32(1000).u16(attrs.length)
                .raw(attrs).bytes();
        MrtStats[] stats = new MrtStats[1];
        List<CanonicalEvent> events = events(concat(record(2000, 13, 1, peerIndex()), record(2000, 13, 4, rib)),
                stats);
        BgpUpdateEvent e = assertInstanceOf(BgpUpdateEvent.class, events.get(0));
        assertEquals("2001:db8::1", e.attributes().nextHop());
        assertEquals("2001:db8::2", e.peer());
        assertEquals(List.of(new Nlri(Prefix.parse("2001:db8::/32"), 0)), e.announce());
    }

    @Test
    void emptyUpdateIsEndOfRibAndEtRecordsKeepMicroseconds() throws IOException {
        byte[] body = bgp4mpUpdate(4, new byte[0], new byte[0], new byte[0]);
        byte[] et = concat(new WireBytes().u32(250_000).bytes(), body);
        MrtStats[] stats = new MrtStats[1];
        List<CanonicalEvent> events = events(record(3000, 17, 4, et), stats);
        EndOfRibEvent e = assertInstanceOf(EndOfRibEvent.class, events.get(0));
        assertEquals(Afi.IPV4, e.afi());
        assertEquals(Instant.ofEpochSecond(3000, 250_000_000), e.time());
        assertNull(stats[0].firstSkips(SkipReason.MALFORMED).stream().findFirst().orElse(null));
    }
}
