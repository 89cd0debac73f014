package io.meshwatch.bgp;

import io.meshwatch.event.BgpAttributes;
import io.meshwatch.event.Nlri;
import io.meshwatch.routing.Afi;
import java.util.List;

/**
 * A decoded BGP UPDATE: what it announces (grouped by SAFI, route distinguisher and next hop),
 * what it withdraws, or the family it marks End-of-RIB for. Immutable.
 *
 * @param announces   announced prefixes, one group per SAFI, route distinguisher and attribute set
 * @param withdrawals withdrawn prefixes, one group per SAFI and route distinguisher
 * @param endOfRib    the family this UPDATE marks End-of-RIB for (RFC 4724), or null
 */
public record UpdateMessage(List<Announce> announces, List<Withdrawal> withdrawals, Family endOfRib) {

    /** An address family: AFI and SAFI ({@link Prefixes#UNICAST}, {@link Prefixes#LABELED_UNICAST}, {@link Prefixes#VPN}). */
    public record Family(Afi afi, int safi) {
    }

    /**
     * Prefixes announced with one attribute set.
     *
     * @param rd route distinguisher of VPN prefixes, null for the others
     */
    public record Announce(int safi, String rd, BgpAttributes attributes, List<Nlri> nlri) {
    }

    /**
     * Prefixes withdrawn.
     *
     * @param rd route distinguisher of VPN prefixes, null for the others
     */
    public record Withdrawal(int safi, String rd, List<Nlri> nlri) {
    }

    /** Number of prefixes announced and withdrawn. */
    public int prefixCount() {
        int n = 0;
        for (Announce a : announces) {
            n += a.nlri().size();
        }
        for (Withdrawal w : withdrawals) {
            n += w.nlri().size();
        }
        return n;
    }
}
