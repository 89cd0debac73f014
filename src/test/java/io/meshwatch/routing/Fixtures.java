package io.meshwatch.routing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** Small builders shared by the routing tests. */
final class Fixtures {

    static final int LOCAL_AS = 65000;
    static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);

    private Fixtures() {
    }

    static RouteTable table() {
        return new RouteTable(LOCAL_AS, CLOCK);
    }

    static Peer peer(String address, int as, String bgpId) {
        return new Peer("", IpAddress.parse(address), as, Addresses.parseIpv4(bgpId));
    }

    static PathAttributes.Builder attrs(String asPath) {
        return PathAttributes.builder().asPath(AsPath.parse(asPath)).nextHop(IpAddress.parse("192.0.2.1"));
    }

    static BgpUpdate announce(Peer peer, PathAttributes a, String... prefixes) {
        Nlri[] n = new Nlri[prefixes.length];
        for (int i = 0; i < prefixes.length; i++) {
            n[i] = Nlri.of(prefixes[i]);
        }
        return BgpUpdate.announce(peer, a, n);
    }

    static BgpUpdate withdraw(Peer peer, String... prefixes) {
        Nlri[] n = new Nlri[prefixes.length];
        for (int i = 0; i < prefixes.length; i++) {
            n[i] = Nlri.of(prefixes[i]);
        }
        return BgpUpdate.withdraw(peer, n);
    }
}
