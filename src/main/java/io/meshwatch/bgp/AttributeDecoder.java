package io.meshwatch.bgp;

import io.meshwatch.event.Nlri;
import io.meshwatch.routing.Afi;
import io.meshwatch.routing.Addresses;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes BGP path attributes (RFC 4271 4.3, 4760, 1997, 4360, 4456, 6793, 8092) into
 * {@link WireAttributes}. Unknown attributes are skipped. Stateless.
 */
public final class AttributeDecoder {

    private AttributeDecoder() {
    }

    /** Decodes the attributes until the cursor ends. */
    public static WireAttributes decode(Cursor c, DecodeOptions o, IssueReporter r) throws BgpWireException {
        int asSize = o.asSize();
        WireAttributes a = new WireAttributes();
        while (c.hasRemaining()) {
            int flags = c.u8("attribute flags");
            int type = c.u8("attribute type");
            int len = (flags & 0x10) != 0 ? c.u16("attribute length") : c.u8("attribute length");
            Cursor v = c.slice(len, "attribute " + type);
            a.count++;
            switch (type) {
                case 1 -> a.origin = origin(v.u8("ORIGIN"));
                case 2 -> a.asPath = asPath(v, asSize, r);
                case 3 -> a.nextHop = v.ipv4("NEXT_HOP");
                case 4 -> a.med = v.u32("MULTI_EXIT_DISC");
                case 5 -> a.localPref = v.u32("LOCAL_PREF");
                case 6 -> a.atomicAggregate = true;
                case 7 -> a.aggregatorAs = asSize == 4 ? v.u32("AGGREGATOR") : v.u16("AGGREGATOR");
                case 8 -> a.communities = communities(v);
                case 9 -> a.originatorId = v.ipv4("ORIGINATOR_ID");
                case 10 -> a.clusterList = clusterList(v);
                case 14 -> mpReach(v, a, o, r);
                case 15 -> mpUnreach(v, a, o, r);
                case 16 -> a.extCommunities = extCommunities(v);
                case 17 -> a.as4Path = asSize == 2 ? asPath(v, 4, r) : null;
                case 18 -> a.as4Aggregator = true;
                case 32 -> a.largeCommunities = largeCommunities(v);
                default -> {
                    // not carried in canonical events
                }
            }
        }
        return a;
    }

    private static String origin(int code) throws BgpWireException {
        return switch (code) {
            case 0 -> "igp";
            case 1 -> "egp";
            case 2 -> "incomplete";
            default -> throw BgpWireException.malformed("ORIGIN code " + code + " is not 0..2");
        };
    }

    /** Flattened AS path: Long per AS_SEQUENCE member, List&lt;Long&gt; per AS_SET; confed segments dropped. */
    public static List<Object> asPath(Cursor v, int asSize, IssueReporter r) throws BgpWireException {
        List<Object> out = new ArrayList<>();
        while (v.hasRemaining()) {
            int segType = v.u8("AS_PATH segment type");
            int n = v.u8("AS_PATH segment length");
            switch (segType) {
                case 2 -> {
                    for (int i = 0; i < n; i++) {
                        out.add(asSize == 4 ? v.u32("AS_SEQUENCE") : (long) v.u16("AS_SEQUENCE"));
                    }
                }
                case 1 -> {
                    List<Long> set = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        set.add(asSize == 4 ? v.u32("AS_SET") : (long) v.u16("AS_SET"));
                    }
                    if (!set.isEmpty()) {
                        out.add(List.copyOf(set));
                    }
                }
                case 3, 4 -> {
                    v.skip(n * asSize, "AS_CONFED segment");
                    r.report(WireIssue.CONFED_SEGMENT, "AS_CONFED_" + (segType == 3 ? "SEQUENCE" : "SET")
                            + " of " + n + " ASes dropped");
                }
                default -> throw BgpWireException.malformed(
                        "AS_PATH segment type " + segType + " is not 1..4");
            }
        }
        return out;
    }

    private static List<String> communities(Cursor v) throws BgpWireException {
        List<String> out = new ArrayList<>(v.remaining() / 4);
        while (v.hasRemaining()) {
            out.add(v.u16("COMMUNITIES") + ":" + v.u16("COMMUNITIES"));
        }
        return List.copyOf(out);
    }

    private static List<String> largeCommunities(Cursor v) throws BgpWireException {
        List<String> out = new ArrayList<>(v.remaining() / 12);
        while (v.hasRemaining()) {
            out.add(v.u32("LARGE_COMMUNITY") + ":" + v.u32("LARGE_COMMUNITY") + ":" + v.u32("LARGE_COMMUNITY"));
        }
        return List.copyOf(out);
    }

    private static List<String> clusterList(Cursor v) throws BgpWireException {
        List<String> out = new ArrayList<>(v.remaining() / 4);
        while (v.hasRemaining()) {
            out.add(v.ipv4("CLUSTER_LIST"));
        }
        return List.copyOf(out);
    }

    /**
     * Extended communities as text: {@code rt:AS:N}, {@code soo:AS:N}, {@code rt:A.B.C.D:N} for
     * the route-target and route-origin subtypes of the AS and IPv4 specific types, else
     * {@code 0x} and the 16 hex digits of the community.
     */
    private static List<String> extCommunities(Cursor v) throws BgpWireException {
        List<String> out = new ArrayList<>(v.remaining() / 8);
        while (v.hasRemaining()) {
            int type = v.u8("EXT_COMMUNITY") & 0xBF; // without the non-transitive bit
            int sub = v.u8("EXT_COMMUNITY");
            long rest = ((long) v.u16("EXT_COMMUNITY") << 32) | v.u32("EXT_COMMUNITY");
            String tag = sub == 2 ? "rt" : sub == 3 ? "soo" : null;
            if (tag != null && type == 0x00) {
                out.add(tag + ":" + (rest >>> 32) + ":" + (rest & 0xFFFF_FFFFL));
            } else if (tag != null && type == 0x01) {
                out.add(tag + ":" + Addresses.formatIpv4((int) (rest >>> 16)) + ":" + (rest & 0xFFFF));
            } else if (tag != null && type == 0x02) {
                out.add(tag + ":" + (rest >>> 16) + ":" + (rest & 0xFFFF));
            } else {
                out.add(String.format("0x%02x%02x%012x", type, sub, rest));
            }
        }
        return List.copyOf(out);
    }

    /**
     * The family of an MP attribute the options accept; null (after reporting) for anything else.
     * Multicast prefixes are still decoded so that each is counted and named.
     */
    private static Afi family(int afi, int safi, String attr, Cursor v, DecodeOptions o, IssueReporter r)
            throws BgpWireException {
        Afi family = afi == 1 ? Afi.IPV4 : afi == 2 ? Afi.IPV6 : null;
        boolean vpn = safi == Prefixes.LABELED_UNICAST || safi == Prefixes.VPN;
        if (family != null && (safi == Prefixes.UNICAST || vpn && o.vpn())) {
            return family;
        }
        if (safi == Prefixes.MULTICAST && family != null && v != null) {
            List<Nlri> ignored = new ArrayList<>();
            Prefixes.readAll(v, family, o.addPath().has(afi, safi), ignored, r);
            for (Nlri n : ignored) {
                r.report(WireIssue.MULTICAST_PREFIX, attr + " multicast prefix " + n.prefix() + " ignored");
            }
            return null;
        }
        r.report(WireIssue.UNSUPPORTED_AFI_SAFI, attr + " for AFI " + afi + " SAFI " + safi + " ignored");
        return null;
    }

    /**
     * The global next hop: 4 (IPv4), 16 or 32 (IPv6, link-local dropped) bytes, or the VPN forms
     * of 12, 24 or 48 bytes whose route distinguishers (always zero) are dropped.
     */
    private static String nextHop(Cursor v, int len) throws BgpWireException {
        return switch (len) {
            case 4 -> v.ipv4("MP_REACH next hop");
            case 16, 32 -> {
                String global = v.ipv6("MP_REACH next hop");
                v.skip(len - 16, "MP_REACH link-local next hop");
                yield global;
            }
            case 12 -> {
                v.skip(8, "MP_REACH next hop route distinguisher");
                yield v.ipv4("MP_REACH next hop");
            }
            case 24, 48 -> {
                v.skip(8, "MP_REACH next hop route distinguisher");
                String global = v.ipv6("MP_REACH next hop");
                v.skip(len - 24, "MP_REACH link-local next hop");
                yield global;
            }
            default -> throw BgpWireException.malformed("MP_REACH next hop length " + len);
        };
    }

    private static void mpReach(Cursor v, WireAttributes a, DecodeOptions o, IssueReporter r)
            throws BgpWireException {
        Afi ribAfi = o.ribAfi();
        if (ribAfi != null && v.hasRemaining() && v.peekU8() == v.remaining() - 1) {
            // RFC 6396 4.3.4 abbreviated form: next-hop length and next hop only
            v.u8("MP_REACH next hop length");
            a.mpReachAfi = ribAfi;
            a.mpReachSafi = Prefixes.UNICAST;
            a.mpNextHop = nextHop(v, v.remaining());
            return;
        }
        int afi = v.u16("MP_REACH AFI");
        int safi = v.u8("MP_REACH SAFI");
        int nhLen = v.u8("MP_REACH next hop length");
        if (safi == Prefixes.MULTICAST || family(afi, safi, "MP_REACH_NLRI", null, o, IGNORE) == null) {
            v.skip(nhLen + 1, "MP_REACH next hop and reserved byte");
            family(afi, safi, "MP_REACH_NLRI", ribAfi == null ? v : v.slice(0, "none"), o, r);
            return;
        }
        Afi family = afi == 1 ? Afi.IPV4 : Afi.IPV6;
        a.mpReachAfi = family;
        a.mpReachSafi = safi;
        a.mpNextHop = nextHop(v, nhLen);
        v.u8("MP_REACH reserved");
        if (ribAfi != null) {
            return; // a RIB entry's prefix is in the record, not here
        }
        List<Nlri> out = new ArrayList<>();
        List<String> rds = safi == Prefixes.VPN ? new ArrayList<>() : null;
        Prefixes.readAll(v, family, safi, o.addPath().has(afi, safi), out, rds, r);
        a.mpReach = out;
        a.mpReachRds = rds;
    }

    private static final IssueReporter IGNORE = (issue, message) -> { };

    private static void mpUnreach(Cursor v, WireAttributes a, DecodeOptions o, IssueReporter r)
            throws BgpWireException {
        int afi = v.u16("MP_UNREACH AFI");
        int safi = v.u8("MP_UNREACH SAFI");
        Afi family = family(afi, safi, "MP_UNREACH_NLRI", v, o, r);
        if (family == null) {
            return;
        }
        a.mpUnreachEndOfRib = !v.hasRemaining();
        List<Nlri> out = new ArrayList<>();
        List<String> rds = safi == Prefixes.VPN ? new ArrayList<>() : null;
        Prefixes.readAll(v, family, safi, o.addPath().has(afi, safi), out, rds, r);
        a.mpUnreachAfi = family;
        a.mpUnreachSafi = safi;
        a.mpUnreach = out;
        a.mpUnreachRds = rds;
    }
}
