package io.meshwatch.routing;

import java.util.List;

/**
 * A BGP UPDATE received from one peer: withdrawn NLRI, then NLRI announced with one attribute set.
 * {@code attributes} may be null only when nothing is announced. Prefixes of both families may be
 * mixed (MP_REACH/MP_UNREACH are flattened by the decoder).
 */
public record BgpUpdate(Peer peer, PathAttributes attributes, List<Nlri> announced, List<Nlri> withdrawn) {

    public BgpUpdate {
        Prefix.require(peer, "peer");
        announced = List.copyOf(announced);
        withdrawn = List.copyOf(withdrawn);
        if (attributes == null && !announced.isEmpty()) {
            throw new IllegalArgumentException("announced NLRI need path attributes");
        }
    }

    /** An update that only announces. */
    public static BgpUpdate announce(Peer peer, PathAttributes attributes, Nlri... nlri) {
        return new BgpUpdate(peer, attributes, List.of(nlri), List.of());
    }

    /** An update that only withdraws. */
    public static BgpUpdate withdraw(Peer peer, Nlri... nlri) {
        return new BgpUpdate(peer, null, List.of(), List.of(nlri));
    }
}
