package io.meshwatch.history;

import io.meshwatch.routing.AsPath;
import io.meshwatch.routing.BgpUpdate;
import io.meshwatch.routing.Communities;
import io.meshwatch.routing.IpAddress;
import io.meshwatch.routing.Nlri;
import io.meshwatch.routing.Origin;
import io.meshwatch.routing.PathAttributes;
import io.meshwatch.routing.Peer;
import io.meshwatch.routing.RouteTable;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * A small router table for the MRT export tests: three eBGP peers (one over IPv6), IPv4 and IPv6
 * prefixes, every best path decided by LOCAL_PREF or AS-path length (so any BGP implementation picks
 * the same one), communities of all three kinds, MED, atomic aggregate, AS_SET, a 4-byte AS.
 */
final class Tables {

    static final Instant T = Instant.parse("2026-12-01T03:12:00Z");
    static final Peer DX = new Peer("", IpAddress.parse("169.254.10.1"), 64512, 0xA9FE0A01);
    static final Peer VPN = new Peer("", IpAddress.parse("169.254.20.1"), 64513, 0xA9FE1401);
    static final Peer TRANSIT = new Peer("", IpAddress.parse("2001:db8::1"), (int) 4200000001L, 0x0A000001);

    private Tables() {
    }

    /**
     * @param v4OverV6 also IPv4 prefixes learned from the IPv6 peer with an IPv6 next hop (RFC 8950),
     *                 which bgpdump reads and GoBGP's global RIB refuses without the capability
     */
    static RouteTable demo(boolean v4OverV6) {
        RouteTable t = new RouteTable(65000, Clock.fixed(T, ZoneOffset.UTC));
        PathAttributes dx = PathAttributes.builder().origin(Origin.IGP).asPath(AsPath.parse("64512 16509"))
                .nextHop(IpAddress.parse("169.254.10.1")).localPref(200)
                .communities(new int[] {(64512 << 16) | 300}, new long[0], new int[0]).build();
        PathAttributes vpn = PathAttributes.builder().origin(Origin.IGP).asPath(AsPath.parse("64513 16509"))
                .nextHop(IpAddress.parse("169.254.20.1")).localPref(100).med(50).build();
        PathAttributes transit = PathAttributes.builder().origin(Origin.INCOMPLETE)
                .asPath(AsPath.parse("4200000001 3356 {65010,65011}"))
                .nextHop(IpAddress.parse("2001:db8::1")).atomicAggregate(true)
                .communities(new int[0], new long[] {0x0002FDE800000064L}, new int[] {-94967295, 1, 2}).build();
        PathAttributes transitLonger = transit.toBuilder().asPath(AsPath.parse("4200000001 3356 1299 16509")).build();
        t.apply(BgpUpdate.announce(DX, dx, Nlri.of("10.20.0.0/16"), Nlri.of("10.20.1.0/24"),
                Nlri.of("10.20.1.128/25")));
        t.apply(BgpUpdate.announce(VPN, vpn, Nlri.of("10.20.0.0/16"), Nlri.of("10.30.0.0/16")));
        t.apply(BgpUpdate.announce(TRANSIT, transit, Nlri.of("2600:1f18:100::/40")));
        t.apply(BgpUpdate.announce(TRANSIT, transitLonger, Nlri.of("2600:1f18:200::/48")));
        if (v4OverV6) {
            t.apply(BgpUpdate.announce(TRANSIT, transit, Nlri.of("0.0.0.0/0")));
            t.apply(BgpUpdate.announce(TRANSIT, transitLonger, Nlri.of("10.30.0.0/16")));
        }
        t.apply(BgpUpdate.announce(DX, dx, Nlri.of("2600:1f18:200::/48")));
        return t;
    }
}
