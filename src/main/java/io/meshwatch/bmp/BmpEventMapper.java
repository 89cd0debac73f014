package io.meshwatch.bmp;

import io.meshwatch.bgp.Prefixes;
import io.meshwatch.bgp.UpdateMessage;
import io.meshwatch.bmp.BmpMessage.PeerHeader;
import io.meshwatch.event.BgpAttributes;
import io.meshwatch.event.BgpState;
import io.meshwatch.event.BgpUpdateEvent;
import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.event.DownCause;
import io.meshwatch.event.EndOfRibEvent;
import io.meshwatch.event.PeerStateEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Turns the BMP messages of one connection into canonical events of one router, correcting the
 * behaviours of real routers listed in {@link BmpQuirk}. Plain Java, no I/O.
 *
 * <ul>
 *   <li>Router id: the configured id for the connection's source address, else the Initiation's
 *       sysName (unless it names the software, like GoBGP's), else the source address; fixed by
 *       the first message.</li>
 *   <li>Peer Up: {@code bgp.peer_state established} with the router's AS from the OPEN it sent;
 *       Peer Down: {@code idle} with the reason in words. One event per change of a peer's state
 *       (routers send one Peer Up per monitored RIB view). No session events for a Loc-RIB
 *       instance or for the unspecified peer address. A peer's state times never go backwards.</li>
 *   <li>Route Monitoring: {@code bgp.update} per SAFI, route distinguisher and attribute set, with
 *       the {@code rib} of the per-peer header; withdrawals first, then announcements, as in the
 *       UPDATE. VRF: the prefix's route distinguisher (VPN), else the peer distinguisher, else
 *       {@code default}. Labeled unicast (SAFI 4) is not carried. End-of-RIB of IPv4/IPv6 unicast:
 *       {@code bgp.end_of_rib} once per peer, VRF and family until the peer's next Peer Up.</li>
 *   <li>Statistics, Route Mirroring, Initiation and Termination produce no events.</li>
 * </ul>
 *
 * <p>Not thread-safe: one mapper per connection, used by the thread reading it.
 */
public final class BmpEventMapper {

    /** Receives each quirk met, for counting. */
    @FunctionalInterface
    public interface QuirkListener {
        void quirk(BmpQuirk quirk);
    }

    private static final String DEFAULT_VRF = "default";
    /** sysNames that name the software, not the router (GoBGP 3.10 sends "GoBGP"). */
    private static final Set<String> GENERIC_SYS_NAMES = Set.of("GoBGP");

    private final String sourceAddress;
    private final String configuredId;
    private final Duration maxSkew;
    private final QuirkListener quirks;
    private String router;
    private boolean frr;
    private long routerAs;
    private final Map<String, Long> sessionAs = new HashMap<>();
    private final Map<String, BgpState> peerState = new HashMap<>();
    private final Map<String, Instant> peerTime = new HashMap<>();
    private final Set<String> prePolicyAnnounced = new HashSet<>();
    private final Set<String> endOfRibSeen = new HashSet<>();
    private final Set<String> locRibWarned = new HashSet<>();

    /**
     * @param sourceAddress the router's address as the collector sees it
     * @param configuredId  the router id configured for that address, or null
     * @param maxSkew       how far a router's timestamp may be from the arrival time before the
     *                      arrival time is used instead; null or zero: no limit
     */
    public BmpEventMapper(String sourceAddress, String configuredId, Duration maxSkew, QuirkListener quirks) {
        this.sourceAddress = sourceAddress;
        this.configuredId = configuredId;
        this.maxSkew = maxSkew == null || maxSkew.isZero() || maxSkew.isNegative() ? null : maxSkew;
        this.quirks = quirks;
    }

    /** The router id, or null before the first message. */
    public String router() {
        return router;
    }

    /** Whether the Initiation named FRRouting. */
    public boolean frr() {
        return frr;
    }

    /** Maps one message, received at {@code arrival}; events go to {@code out} in order. */
    public void map(BmpMessage m, Instant arrival, Consumer<CanonicalEvent> out) {
        if (router == null) {
            if (m instanceof BmpMessage.Initiation init) {
                String name = init.sysName() == null ? "" : init.sysName().trim();
                if (configuredId == null && GENERIC_SYS_NAMES.contains(name)) {
                    quirks.quirk(BmpQuirk.GENERIC_SYS_NAME);
                    name = "";
                }
                router = configuredId != null ? configuredId : !name.isEmpty() ? name : sourceAddress;
            } else {
                router = configuredId != null ? configuredId : sourceAddress;
                quirks.quirk(BmpQuirk.NO_INITIATION);
            }
        }
        if (m instanceof BmpMessage.Initiation init) {
            frr = frr || init.sysDescr() != null && init.sysDescr().startsWith("FRRouting");
        } else if (m instanceof BmpMessage.PeerUp up) {
            peerUp(up, arrival, out);
        } else if (m instanceof BmpMessage.PeerDown down) {
            peerDown(down, arrival, out);
        } else if (m instanceof BmpMessage.RouteMonitoring rm) {
            routeMonitoring(rm, arrival, out);
        }
        // statistics, mirroring, termination: counted by the collector, no events
    }

    private static String key(PeerHeader h) {
        return h.type() + "|" + h.rd() + "|" + h.peer();
    }

    private static String vrf(PeerHeader h) {
        return h.rd() == null ? DEFAULT_VRF : h.rd();
    }

    /** The router's time if it is plausible, else the arrival time. */
    Instant time(PeerHeader h, Instant arrival, boolean peerEvent) {
        if (frr && peerEvent) {
            quirks.quirk(BmpQuirk.FRR_PEER_TIME);
            return arrival;
        }
        if (frr && h.time() != null) {
            quirks.quirk(BmpQuirk.FRR_ROUTE_TIME);
            return arrival;
        }
        if (h.time() == null) {
            quirks.quirk(BmpQuirk.ZERO_TIMESTAMP);
            return arrival;
        }
        if (maxSkew != null && Duration.between(h.time(), arrival).abs().compareTo(maxSkew) > 0) {
            quirks.quirk(BmpQuirk.CLOCK_SKEW);
            return arrival;
        }
        return h.time();
    }

    private boolean session(PeerHeader h) {
        return !h.locRib() && !h.unspecifiedPeer();
    }

    private void peerUp(BmpMessage.PeerUp up, Instant arrival, Consumer<CanonicalEvent> out) {
        PeerHeader h = up.peer();
        if (up.sent() == null || up.received() == null) {
            quirks.quirk(BmpQuirk.EMPTY_OPEN);
        }
        long local = up.sent() == null ? 0 : up.sent().as();
        if (h.locRib() && h.peerAs() != 0) {
            routerAs = h.peerAs();
        } else if (session(h) && local != 0) {
            routerAs = local;
        }
        sessionAs.put(key(h), local);
        endOfRibSeen.removeIf(k -> k.startsWith(key(h) + "|"));
        if (session(h)) {
            state(h, BgpState.ESTABLISHED, local == 0 ? null : local, null, holdTime(up), null, arrival, out);
        }
    }

    private void peerDown(BmpMessage.PeerDown down, Instant arrival, Consumer<CanonicalEvent> out) {
        PeerHeader h = down.peer();
        Long local = sessionAs.remove(key(h));
        endOfRibSeen.removeIf(k -> k.startsWith(key(h) + "|"));
        prePolicyAnnounced.removeIf(k -> k.startsWith(key(h) + "|"));
        if (!session(h)) {
            return;
        }
        DownCause cause = down.cause();
        if (local == null && !peerState.containsKey(key(h))) {
            // not up on this connection: a router joining or rejoining reports sessions still connecting
            quirks.quirk(BmpQuirk.PEER_DOWN_WITHOUT_PEER_UP);
            cause = DownCause.COMING_UP;
        } else if (cause == DownCause.LOCAL_CLOSE) {
            quirks.quirk(BmpQuirk.LOCAL_CLOSE_WITHOUT_REASON);
        }
        state(h, BgpState.IDLE, local, "BMP peer down " + down.reason() + ": " + down.detail(), null, cause,
                arrival, out);
    }

    /** The negotiated hold time: the smaller of the two OPENs' (RFC 4271 4.2), or null when unknown. */
    private static Integer holdTime(BmpMessage.PeerUp up) {
        if (up.sent() == null || up.received() == null) {
            return null;
        }
        return Math.min(up.sent().holdTime(), up.received().holdTime());
    }

    private void state(PeerHeader h, BgpState s, Long localAs, String reason, Integer holdTime, DownCause cause,
                       Instant arrival, Consumer<CanonicalEvent> out) {
        String k = key(h);
        if (peerState.get(k) == s) {
            return;
        }
        Instant t = time(h, arrival, true);
        Instant last = peerTime.get(k);
        if (last != null && t.isBefore(last)) {
            t = last;
        }
        peerState.put(k, s);
        peerTime.put(k, t);
        out.accept(new PeerStateEvent(router, t, vrf(h), h.peer(), h.peerAs(), localAs, s, reason, holdTime, null,
                cause));
    }

    private void routeMonitoring(BmpMessage.RouteMonitoring rm, Instant arrival, Consumer<CanonicalEvent> out) {
        PeerHeader h = rm.peer();
        UpdateMessage u = rm.update();
        String rib = h.rib();
        long peerAs = h.peerAs();
        if (h.peerAs() == 0 && h.unspecifiedPeer() && routerAs != 0) {
            quirks.quirk(h.locRib() ? BmpQuirk.LOC_RIB_WITHOUT_PEER_UP : BmpQuirk.PSEUDO_PEER_ROUTES);
            peerAs = routerAs;
        }
        if (h.locRib() && sessionAs.get(key(h)) == null && locRibWarned.add(key(h))) {
            quirks.quirk(BmpQuirk.LOC_RIB_WITHOUT_PEER_UP);
        }
        Instant t = time(h, arrival, false);
        if (u.endOfRib() != null) {
            if (u.endOfRib().safi() == Prefixes.UNICAST
                    && endOfRibSeen.add(key(h) + "|" + vrf(h) + "|" + u.endOfRib().afi())) {
                out.accept(new EndOfRibEvent(router, t, vrf(h), h.peer(), peerAs, u.endOfRib().afi()));
            }
            return;
        }
        boolean pre = "adj-in-pre".equals(rib);
        for (UpdateMessage.Withdrawal w : u.withdrawals()) {
            if (w.safi() == Prefixes.LABELED_UNICAST) {
                continue;
            }
            String vrf = w.rd() != null ? w.rd() : vrf(h);
            if (pre && !prePolicyAnnounced.contains(key(h) + "|" + vrf)) {
                quirks.quirk(BmpQuirk.PRE_POLICY_WITHDRAW_WITHOUT_ANNOUNCE);
                continue;
            }
            out.accept(new BgpUpdateEvent(router, t, vrf, h.peer(), peerAs, rib, null, List.of(), w.nlri()));
        }
        for (UpdateMessage.Announce a : u.announces()) {
            if (a.safi() == Prefixes.LABELED_UNICAST) {
                continue;
            }
            String vrf = a.rd() != null ? a.rd() : vrf(h);
            if (pre) {
                prePolicyAnnounced.add(key(h) + "|" + vrf);
            }
            BgpAttributes attrs = rib.startsWith("adj-out") ? a.attributes() : withoutOwnAs(h, a.attributes());
            out.accept(new BgpUpdateEvent(router, t, vrf, h.peer(), peerAs, rib, attrs, a.nlri(), List.of()));
        }
    }

    /**
     * FRR encodes monitored routes as if it were advertising them, so AS_PATH starts with its own
     * AS; a route received from an eBGP neighbour (or in the Loc-RIB) never does. Removes it.
     */
    private BgpAttributes withoutOwnAs(PeerHeader h, BgpAttributes a) {
        Long sess = sessionAs.get(key(h));
        long own = sess != null && sess != 0 ? sess : routerAs;
        List<Object> path = a.asPath();
        if (own == 0 || path.isEmpty() || !(path.get(0) instanceof Long first) || first != own
                || !h.locRib() && h.peerAs() == own) {
            return a;
        }
        quirks.quirk(BmpQuirk.OWN_AS_PREPENDED);
        return new BgpAttributes(a.origin(), List.copyOf(path.subList(1, path.size())), a.nextHop(), a.localPref(),
                a.med(), a.communities(), a.largeCommunities(), a.extCommunities(), a.originatorId(),
                a.clusterList(), a.atomicAggregate());
    }
}
