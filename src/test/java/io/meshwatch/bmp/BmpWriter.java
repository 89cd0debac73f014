package io.meshwatch.bmp;

import io.meshwatch.routing.Addresses;
import io.meshwatch.routing.Prefix;
import io.meshwatch.testing.WireBytes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Test helper: encodes BMP v3 messages and the BGP messages inside them, byte for byte as RFC 7854
 * and RFC 4271 lay them out, for streams the captures do not contain (GoBGP's, malformed ones,
 * the benchmark's full table).
 */
public final class BmpWriter {

    private BmpWriter() {
    }

    /** A per-peer header's fields. */
    public record Peer(int type, int flags, String address, long as, String bgpId, long seconds) {
        public static Peer global(String address, long as, long seconds) {
            return new Peer(0, address.contains(":") ? 0x80 : 0, address, as, "192.0.2.1", seconds);
        }

        /** The header as the decoder reads it. */
        BmpMessage.PeerHeader toHeader() {
            byte[] b = peerHeader(this).bytes();
            try {
                return BmpDecoder.peerHeader(new io.meshwatch.bgp.Cursor(b, 0, b.length));
            } catch (io.meshwatch.bgp.BgpWireException e) {
                throw new IllegalStateException(e);
            }
        }

        public Peer flags(int f) {
            return new Peer(type, f | (address.contains(":") ? 0x80 : 0), address, as, bgpId, seconds);
        }
    }

    public static byte[] message(int type, byte[] body) {
        return new WireBytes().u8(3).u32(6 + body.length).u8(type).raw(body).bytes();
    }

    public static WireBytes peerHeader(Peer p) {
        WireBytes b = new WireBytes().u8(p.type(), p.flags()).u32(0).u32(0);
        b.raw(address16(p.address()));
        return b.u32(p.as()).u32(Addresses.parseIpv4(p.bgpId()) & 0xFFFFFFFFL).u32(p.seconds()).u32(0);
    }

    public static byte[] address16(String a) {
        if (a.contains(":")) {
            long[] v6 = Addresses.parseIpv6(a);
            return new WireBytes().u32(v6[0] >>> 32).u32(v6[0] & 0xFFFFFFFFL).u32(v6[1] >>> 32)
                    .u32(v6[1] & 0xFFFFFFFFL).bytes();
        }
        return new WireBytes().u32(0).u32(0).u32(0).u32(Addresses.parseIpv4(a) & 0xFFFFFFFFL).bytes();
    }

    public static byte[] initiation(String sysDescr, String sysName) {
        WireBytes b = new WireBytes();
        tlv(b, 1, sysDescr);
        tlv(b, 2, sysName);
        return message(BmpMessage.INITIATION, b.bytes());
    }

    public static byte[] termination(int reason) {
        return message(BmpMessage.TERMINATION, new WireBytes().u16(1).u16(2).u16(reason).bytes());
    }

    private static void tlv(WireBytes b, int type, String value) {
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        b.u16(type).u16(v.length).raw(v);
    }

    public static byte[] bgp(int type, byte[] body) {
        WireBytes b = new WireBytes();
        for (int i = 0; i < 16; i++) {
            b.u8(0xFF);
        }
        return b.u16(19 + body.length).u8(type).raw(body).bytes();
    }

    /** An OPEN with the 4-octet AS capability and ADD-PATH (afi, safi, send/receive) triples. */
    public static byte[] open(long as, String bgpId, int... addPath) {
        WireBytes caps = new WireBytes().u8(65, 4).u32(as);
        if (addPath.length > 0) {
            caps.u8(69, addPath.length / 3 * 4);
            for (int i = 0; i < addPath.length; i += 3) {
                caps.u16(addPath[i]).u8(addPath[i + 1], addPath[i + 2]);
            }
        }
        byte[] c = caps.bytes();
        WireBytes b = new WireBytes().u8(4).u16(as > 65535 ? 23456 : (int) as).u16(90)
                .u32(Addresses.parseIpv4(bgpId) & 0xFFFFFFFFL).u8(c.length + 2).u8(2, c.length).raw(c);
        return bgp(1, b.bytes());
    }

    public static byte[] peerUp(Peer p, String local, byte[] sentOpen, byte[] receivedOpen) {
        WireBytes b = peerHeader(p).raw(address16(local)).u16(179).u16(40000).raw(sentOpen).raw(receivedOpen);
        return message(BmpMessage.PEER_UP, b.bytes());
    }

    public static byte[] peerDown(Peer p, int reason, byte[] data) {
        return message(BmpMessage.PEER_DOWN, peerHeader(p).u8(reason).raw(data).bytes());
    }

    public static byte[] routeMonitoring(Peer p, byte[] update) {
        return message(BmpMessage.ROUTE_MONITORING, peerHeader(p).raw(update).bytes());
    }

    /** NLRI bytes of IPv4 or IPv6 prefixes, each after a path id when {@code pathIds} is given. */
    public static byte[] nlri(List<Prefix> prefixes, long[] pathIds) {
        WireBytes b = new WireBytes();
        for (int i = 0; i < prefixes.size(); i++) {
            Prefix p = prefixes.get(i);
            if (pathIds != null) {
                b.u32(pathIds[i]);
            }
            b.u8(p.length());
            int n = (p.length() + 7) / 8;
            byte[] full = p.afi() == io.meshwatch.routing.Afi.IPV4
                    ? new WireBytes().u32(p.lo()).bytes()
                    : new WireBytes().u32(p.hi() >>> 32).u32(p.hi() & 0xFFFFFFFFL).u32(p.lo() >>> 32)
                            .u32(p.lo() & 0xFFFFFFFFL).bytes();
            b.raw(Arrays.copyOf(full, n));
        }
        return b.bytes();
    }

    /**
     * An UPDATE announcing IPv4 prefixes in the NLRI field with ORIGIN IGP, a 4-octet AS_SEQUENCE,
     * NEXT_HOP, optional MED and communities; and withdrawing IPv4 prefixes.
     */
    public static byte[] ipv4Update(List<Prefix> withdraw, List<Prefix> announce, long[] asPath, String nextHop, Long med,
                             long[] communities, long[] pathIds) {
        WireBytes attrs = new WireBytes();
        if (!announce.isEmpty()) {
            attrs.u8(0x40, 1, 1, 0);
            attrs.u8(0x40, 2, 2 + 4 * asPath.length).u8(2, asPath.length);
            for (long as : asPath) {
                attrs.u32(as);
            }
            attrs.u8(0x40, 3, 4).u32(Addresses.parseIpv4(nextHop) & 0xFFFFFFFFL);
            if (med != null) {
                attrs.u8(0x80, 4, 4).u32(med);
            }
            if (communities != null && communities.length > 0) {
                attrs.u8(0xC0, 8, 4 * communities.length);
                for (long c : communities) {
                    attrs.u32(c);
                }
            }
        }
        byte[] w = nlri(withdraw, pathIds == null ? null : new long[withdraw.size()]);
        byte[] a = attrs.bytes();
        byte[] n = nlri(announce, pathIds);
        return bgp(2, new WireBytes().u16(w.length).raw(w).u16(a.length).raw(a).raw(n).bytes());
    }

    /** The IPv4 End-of-RIB: an empty UPDATE. */
    public static byte[] endOfRib() {
        return bgp(2, new WireBytes().u16(0).u16(0).bytes());
    }

    /** The stream with the sysName of its Initiation replaced (what {@code bmp-replay --sys-name} does). */
    public static byte[] withSysName(byte[] stream, String sysName) {
        int first = (int) ((stream[1] & 0xFFL) << 24 | (stream[2] & 0xFF) << 16 | (stream[3] & 0xFF) << 8
                | stream[4] & 0xFF);
        if (stream[5] != BmpMessage.INITIATION) {
            throw new IllegalArgumentException("the stream does not start with an Initiation");
        }
        return new WireBytes().raw(BmpReplay.renamed(Arrays.copyOf(stream, first), sysName))
                .raw(Arrays.copyOfRange(stream, first, stream.length)).bytes();
    }
}
