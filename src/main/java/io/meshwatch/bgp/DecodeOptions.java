package io.meshwatch.bgp;

import io.meshwatch.routing.Afi;

/**
 * How to read one UPDATE or RIB entry.
 *
 * @param asSize  2 or 4: width of AS numbers in AS_PATH and AGGREGATOR
 * @param addPath which families carry ADD-PATH path ids
 * @param vpn     whether labeled unicast (SAFI 4) and VPN (SAFI 128) prefixes are decoded; when
 *                false they are reported as {@link WireIssue#UNSUPPORTED_AFI_SAFI}
 * @param ribAfi  for TABLE_DUMP_V2 entries, the RIB's family (enables the abbreviated MP_REACH
 *                form of RFC 6396 4.3.4); null otherwise
 */
public record DecodeOptions(int asSize, AddPath addPath, boolean vpn, Afi ribAfi) {

    public DecodeOptions {
        if (asSize != 2 && asSize != 4) {
            throw new IllegalArgumentException("AS size " + asSize + " is not 2 or 4");
        }
    }

    /** Unicast only, the way MRT records are read. */
    public static DecodeOptions unicast(int asSize, boolean addPath, Afi ribAfi) {
        return new DecodeOptions(asSize, addPath ? AddPath.ALL : AddPath.NONE, false, ribAfi);
    }
}
