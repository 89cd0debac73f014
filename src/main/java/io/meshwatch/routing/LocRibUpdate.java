package io.meshwatch.routing;

import java.util.List;

/**
 * Routes the router itself reports as its Loc-RIB (BMP peer type Loc-RIB, RFC 9069) for one VRF:
 * prefixes withdrawn from and announced into the router's own best-path table.
 */
public record LocRibUpdate(String vrf, PathAttributes attributes, List<Prefix> announced, List<Prefix> withdrawn) {

    public LocRibUpdate {
        Prefix.require(vrf, "vrf");
        announced = List.copyOf(announced);
        withdrawn = List.copyOf(withdrawn);
        if (attributes == null && !announced.isEmpty()) {
            throw new IllegalArgumentException("announced prefixes need path attributes");
        }
    }
}
