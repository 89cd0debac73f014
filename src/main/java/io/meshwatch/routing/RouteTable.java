package io.meshwatch.routing;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The routing state of ONE router: Adj-RIB-In per VRF, family and peer (with ADD-PATH ids), the
 * computed Loc-RIB per VRF, the router-reported Loc-RIB beside it, longest-prefix match and counts.
 *
 * <p><b>Threading:</b> exactly one writer thread per table calls the mutating methods
 * ({@link #apply}, {@link #peerDown}, {@link #endOfRib}, {@link #applyLocRib}, {@link #locRibDown});
 * any number of reader threads may query at the same time. Each mutation runs under the write side
 * of a {@link StampedLock}; queries use an optimistic read (longest match) or the read lock. See
 * {@code package-info.java} for the invariants.
 *
 * <p>Every mutation reports the best-path changes it caused as {@link RouteDelta}s to a
 * caller-supplied consumer, called on the writer thread while the write lock is held (so it must
 * be quick and must not call back into this table).
 */
public final class RouteTable {

    private final int localAs;
    private final Clock clock;
    private final StampedLock lock = new StampedLock();
    private final AttributeInterner attrs = new AttributeInterner();
    private final PeerRegistry peers;
    private final DecisionProcess decision;
    private final Map<String, RibTable[]> vrfs = new ConcurrentHashMap<>();

    /**
     * @param localAs the router's own AS (unsigned in an int); peers with this AS are iBGP
     * @param clock source of the times recorded for peers and End-of-RIB
     */
    public RouteTable(int localAs, Clock clock) {
        this.localAs = localAs;
        this.clock = Prefix.require(clock, "clock");
        this.peers = new PeerRegistry(localAs);
        this.decision = new DecisionProcess(peers, attrs);
    }

    public int localAs() {
        return localAs;
    }

    // ---------------------------------------------------------------- writer side

    /** Applies one UPDATE of a peer: withdrawals first, then announcements (implicit withdraw). */
    public void apply(BgpUpdate update, Consumer<RouteDelta> sink) {
        long stamp = lock.writeLock();
        try {
            int peer = peers.register(update.peer(), clock.millis());
            String vrf = update.peer().vrf();
            for (Nlri n : update.withdrawn()) {
                RibTable rib = rib(vrf, n.prefix().afi(), false);
                if (rib != null) {
                    rib.withdraw(peer, n.pathId(), n.prefix(), sink);
                }
            }
            if (!update.announced().isEmpty()) {
                int attrId = attrs.acquire(update.attributes());
                for (Nlri n : update.announced()) {
                    rib(vrf, n.prefix().afi(), true).announce(peer, n.pathId(), attrId, n.prefix(), sink);
                }
                attrs.release(attrId);
            }
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** {@link #apply(BgpUpdate, Consumer)} collecting the deltas into a new list. */
    public List<RouteDelta> apply(BgpUpdate update) {
        List<RouteDelta> out = new ArrayList<>();
        apply(update, out::add);
        return out;
    }

    /** The session went down: flushes all its paths in both families and forgets the peer. */
    public void peerDown(Peer peer, Consumer<RouteDelta> sink) {
        long stamp = lock.writeLock();
        try {
            int idx = peers.find(peer);
            if (idx < 0) {
                return;
            }
            for (Afi afi : Afi.values()) {
                RibTable rib = rib(peer.vrf(), afi, false);
                if (rib != null) {
                    rib.flushPeer(idx, sink);
                }
            }
            peers.unregister(idx);
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** {@link #peerDown(Peer, Consumer)} collecting the deltas into a new list. */
    public List<RouteDelta> peerDown(Peer peer) {
        List<RouteDelta> out = new ArrayList<>();
        peerDown(peer, out::add);
        return out;
    }

    /** Records that the peer finished its initial table for a family (End-of-RIB marker). */
    public void endOfRib(Peer peer, Afi afi) {
        long stamp = lock.writeLock();
        try {
            long now = clock.millis();
            peers.endOfRib(peers.register(peer, now), afi, now);
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** Applies routes the router reports as its own Loc-RIB (RFC 9069) for a VRF. */
    public void applyLocRib(LocRibUpdate update, Consumer<RouteDelta> sink) {
        long stamp = lock.writeLock();
        try {
            for (Prefix p : update.withdrawn()) {
                RibTable rib = rib(update.vrf(), p.afi(), false);
                if (rib != null) {
                    rib.withdrawReported(p, sink);
                }
            }
            if (!update.announced().isEmpty()) {
                int attrId = attrs.acquire(update.attributes());
                for (Prefix p : update.announced()) {
                    rib(update.vrf(), p.afi(), true).announceReported(attrId, p, sink);
                }
                attrs.release(attrId);
            }
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** {@link #applyLocRib(LocRibUpdate, Consumer)} collecting the deltas into a new list. */
    public List<RouteDelta> applyLocRib(LocRibUpdate update) {
        List<RouteDelta> out = new ArrayList<>();
        applyLocRib(update, out::add);
        return out;
    }

    /** The router's Loc-RIB feed for a VRF went away: queries fall back to the computed best. */
    public void locRibDown(String vrf, Consumer<RouteDelta> sink) {
        long stamp = lock.writeLock();
        try {
            for (Afi afi : Afi.values()) {
                RibTable rib = rib(vrf, afi, false);
                if (rib != null) {
                    rib.flushReported(sink);
                }
            }
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    private RibTable rib(String vrf, Afi afi, boolean create) {
        RibTable[] pair = vrfs.get(vrf);
        if (pair == null) {
            if (!create) {
                return null;
            }
            pair = new RibTable[] {
                new RibTable(vrf, Afi.IPV4, peers, attrs, decision),
                new RibTable(vrf, Afi.IPV6, peers, attrs, decision)};
            vrfs.put(vrf, pair);
        }
        return pair[afi.ordinal()];
    }

    // ---------------------------------------------------------------- for RibSnapshot (no locking)

    StampedLock lock() {
        return lock;
    }

    AttributeInterner interner() {
        return attrs;
    }

    PeerRegistry registry() {
        return peers;
    }

    /** The VRF's table of a family, created when absent. Caller holds the write lock. */
    RibTable ribForImport(String vrf, Afi afi) {
        return rib(vrf, afi, true);
    }

    /** For the test-scope probe only: the raw per-family tables of a VRF (no locking). */
    RibTable[] ribsForProbe(String vrf) {
        return vrfs.get(vrf);
    }

    // ---------------------------------------------------------------- reader side

    private <T> T read(Supplier<T> query) {
        long stamp = lock.readLock();
        try {
            return query.get();
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Best path of a prefix: router-reported when present, else computed; null when none. */
    public BestRoute best(String vrf, Prefix prefix) {
        return read(() -> {
            RibTable rib = rib(vrf, prefix.afi(), false);
            int id = rib == null ? -1 : rib.index.find(prefix);
            return id < 0 ? null : rib.bestRoute(id);
        });
    }

    /** Best path chosen by the computed decision process, ignoring any router-reported one. */
    public BestRoute computedBest(String vrf, Prefix prefix) {
        return read(() -> {
            RibTable rib = rib(vrf, prefix.afi(), false);
            int id = rib == null ? -1 : rib.index.find(prefix);
            return id < 0 ? null : rib.computedBest(id);
        });
    }

    /** All paths received for a prefix (every peer and path id); empty when none. */
    public List<Path> paths(String vrf, Prefix prefix) {
        return read(() -> {
            RibTable rib = rib(vrf, prefix.afi(), false);
            int id = rib == null ? -1 : rib.index.find(prefix);
            return id < 0 ? List.of() : rib.paths(id);
        });
    }

    /** Longest-prefix match of an address; null when nothing covers it. Allocates the record. */
    public BestRoute longestMatch(String vrf, IpAddress address) {
        RouteMatch m = new RouteMatch();
        lookup(vrf, address, m);
        return m.toBestRoute();
    }

    /** Longest-prefix match of an IPv4 address given as an int; allocates the record. */
    public BestRoute longestMatchIpv4(String vrf, int address) {
        RouteMatch m = new RouteMatch();
        lookupIpv4(vrf, address, m);
        return m.toBestRoute();
    }

    /** Longest-prefix match of an IPv6 address given as two longs; allocates the record. */
    public BestRoute longestMatchIpv6(String vrf, long hi, long lo) {
        RouteMatch m = new RouteMatch();
        lookupIpv6(vrf, hi, lo, m);
        return m.toBestRoute();
    }

    /**
     * Allocation-free longest-prefix match: fills the caller's {@code out} with the covering prefix
     * and its effective best path; returns {@link RouteMatch#found()}. The hot read path of the API.
     */
    public boolean lookup(String vrf, IpAddress address, RouteMatch out) {
        return address.afi() == Afi.IPV4 ? lookupIpv4(vrf, address.ipv4Value(), out)
                : lookupIpv6(vrf, address.hi(), address.lo(), out);
    }

    /** {@link #lookup(String, IpAddress, RouteMatch)} for an IPv4 address as an int. */
    public boolean lookupIpv4(String vrf, int address, RouteMatch out) {
        return match(vrf, Afi.IPV4, 0, address & 0xFFFF_FFFFL, out);
    }

    /** {@link #lookup(String, IpAddress, RouteMatch)} for an IPv6 address as two longs. */
    public boolean lookupIpv6(String vrf, long hi, long lo, RouteMatch out) {
        return match(vrf, Afi.IPV6, hi, lo, out);
    }

    /** Optimistic read validated afterwards (no lock, no allocation); retried under the read lock. */
    private boolean match(String vrf, Afi afi, long hi, long lo, RouteMatch out) {
        out.clear(vrf, afi);
        RibTable rib = ribIfPresent(vrf, afi);
        if (rib == null) {
            return false;
        }
        long stamp = lock.tryOptimisticRead();
        if (stamp != 0) {
            try {
                boolean hit = rib.match(hi, lo, out);
                if (lock.validate(stamp)) {
                    return hit;
                }
            } catch (RuntimeException raced) {
                // a concurrent write replaced arrays under us; retry under the read lock
            }
            out.clear(vrf, afi);
        }
        stamp = lock.readLock();
        try {
            return rib.match(hi, lo, out);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /**
     * Only the longest matching prefix of an address (no path), or null: cheaper than
     * {@link #longestMatch} when the caller just needs to know which prefix covers the address.
     */
    public Prefix longestMatchingPrefix(String vrf, IpAddress address) {
        RibTable rib = ribIfPresent(vrf, address.afi());
        return rib == null ? null : optimistic(() -> {
            int id = address.afi() == Afi.IPV4 ? rib.index.longestMatchIpv4(address.ipv4Value())
                    : rib.index.longestMatchIpv6(address.hi(), address.lo());
            return id < 0 ? null : rib.index.prefix(id);
        });
    }

    private RibTable ribIfPresent(String vrf, Afi afi) {
        RibTable[] pair = vrfs.get(vrf);
        return pair == null ? null : pair[afi.ordinal()];
    }

    /** Runs a short query without locking, validating afterwards; retries under the read lock. */
    private <T> T optimistic(Supplier<T> query) {
        long stamp = lock.tryOptimisticRead();
        if (stamp != 0) {
            try {
                T r = query.get();
                if (lock.validate(stamp)) {
                    return r;
                }
            } catch (RuntimeException raced) {
                // a concurrent write replaced arrays under us; fall through to the read lock
            }
        }
        return read(query);
    }

    /** Up to {@code limit} prefixes strictly more specific than {@code prefix}, in prefix order. */
    public List<BestRoute> moreSpecifics(String vrf, Prefix prefix, int limit) {
        return read(() -> {
            List<BestRoute> out = new ArrayList<>();
            RibTable rib = rib(vrf, prefix.afi(), false);
            if (rib != null && limit > 0) {
                rib.index.forEachMoreSpecific(prefix.hi(), prefix.lo(), prefix.length(), id -> {
                    out.add(rib.bestRoute(id));
                    return out.size() < limit;
                });
            }
            return out;
        });
    }

    /** All prefixes strictly shorter than {@code prefix} that cover it, shortest first. */
    public List<BestRoute> lessSpecifics(String vrf, Prefix prefix) {
        return read(() -> {
            List<BestRoute> out = new ArrayList<>();
            RibTable rib = rib(vrf, prefix.afi(), false);
            if (rib != null) {
                rib.index.forEachCovering(prefix.hi(), prefix.lo(), prefix.length(), id -> out.add(rib.bestRoute(id)));
            }
            return out;
        });
    }

    /**
     * One page of the VRF's prefixes of a family in prefix order: up to {@code limit} routes after
     * the cursor {@code after} (exclusive; null to start at the beginning). Pass the last prefix of
     * a page as the cursor of the next; it need not exist any more.
     */
    public List<BestRoute> page(String vrf, Afi afi, Prefix after, int limit) {
        if (after != null && after.afi() != afi) {
            throw new IllegalArgumentException("cursor " + after + " is not " + afi.wireName());
        }
        return read(() -> {
            List<BestRoute> out = new ArrayList<>();
            RibTable rib = rib(vrf, afi, false);
            if (rib != null && limit > 0) {
                boolean first = after == null;
                rib.index.forEachFrom(first ? 0 : after.hi(), first ? 0 : after.lo(), first ? 0 : after.length(), first,
                        id -> {
                            out.add(rib.bestRoute(id));
                            return out.size() < limit;
                        });
            }
            return out;
        });
    }

    /** Number of prefixes (with a computed or reported best) in a VRF and family. */
    public int prefixCount(String vrf, Afi afi) {
        return read(() -> {
            RibTable rib = rib(vrf, afi, false);
            return rib == null ? 0 : rib.index.size();
        });
    }

    /** Number of received paths (all peers, all path ids) in a VRF and family. */
    public int pathCount(String vrf, Afi afi) {
        return read(() -> {
            RibTable rib = rib(vrf, afi, false);
            return rib == null ? 0 : rib.pathCount();
        });
    }

    /** Number of paths a peer currently has in a family; 0 for an unknown peer. */
    public int routeCount(Peer peer, Afi afi) {
        return read(() -> {
            int idx = peers.find(peer);
            return idx < 0 ? 0 : peers.routes(idx, afi);
        });
    }

    /** True once the peer sent End-of-RIB for the family (reset by {@link #peerDown}). */
    public boolean isEndOfRib(Peer peer, Afi afi) {
        return read(() -> {
            int idx = peers.find(peer);
            return idx >= 0 && peers.endOfRibAt(idx, afi) >= 0;
        });
    }

    /** Known peers with counts and End-of-RIB times, in peer-index order. */
    public List<PeerStatus> peers() {
        return read(() -> {
            List<PeerStatus> out = new ArrayList<>();
            for (int i : peers.indices()) {
                out.add(new PeerStatus(peers.peer(i), peers.routes(i, Afi.IPV4), peers.routes(i, Afi.IPV6),
                        Instant.ofEpochMilli(peers.upAt(i)), instant(peers.endOfRibAt(i, Afi.IPV4)),
                        instant(peers.endOfRibAt(i, Afi.IPV6))));
            }
            return out;
        });
    }

    private static Instant instant(long millis) {
        return millis < 0 ? null : Instant.ofEpochMilli(millis);
    }

    /** Names of the VRFs that have ever had a route, sorted. */
    public Set<String> vrfs() {
        return new TreeSet<>(vrfs.keySet());
    }

    /** Interning statistics: distinct attribute sets, AS paths, community sets. */
    public int[] internStats() {
        return read(() -> new int[] {attrs.distinctAttributeSets(), attrs.distinctAsPaths(), attrs.distinctCommunitySets()});
    }
}
