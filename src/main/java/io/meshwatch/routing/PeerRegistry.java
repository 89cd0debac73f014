package io.meshwatch.routing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The peers of one router, each given a small int index that paths store instead of a reference.
 * Holds what the decision process needs per peer (eBGP or iBGP, BGP id, address order) and the
 * per-peer state the API reports: route counts per family and End-of-RIB time per family.
 * Not thread-safe; guarded by the owning {@link RouteTable}'s lock.
 */
final class PeerRegistry {

    private static final int FAMILIES = Afi.values().length;

    private final int localAs;
    private final Map<Peer, Integer> index = new HashMap<>();
    private Peer[] peers = new Peer[8];
    private boolean[] ebgp = new boolean[8];
    private int[] routes = new int[8 * FAMILIES];
    private long[] endOfRibAt = new long[8 * FAMILIES];
    private long[] upAt = new long[8];
    private int[] freeIdx = new int[8];
    private int freeCount;
    private int next;

    PeerRegistry(int localAs) {
        this.localAs = localAs;
    }

    int localAs() {
        return localAs;
    }

    /** Index of a known peer, or -1. */
    int find(Peer p) {
        Integer i = index.get(p);
        return i == null ? -1 : i;
    }

    /** Index of the peer, registering it (seen at {@code nowMillis}) when new. */
    int register(Peer p, long nowMillis) {
        Integer known = index.get(p);
        if (known != null) {
            return known;
        }
        int i = freeCount > 0 ? freeIdx[--freeCount] : next++;
        if (i >= peers.length) {
            int n = peers.length * 2;
            peers = Arrays.copyOf(peers, n);
            ebgp = Arrays.copyOf(ebgp, n);
            upAt = Arrays.copyOf(upAt, n);
            routes = Arrays.copyOf(routes, n * FAMILIES);
            endOfRibAt = Arrays.copyOf(endOfRibAt, n * FAMILIES);
        }
        peers[i] = p;
        ebgp[i] = !p.isIbgp(localAs);
        upAt[i] = nowMillis;
        for (int f = 0; f < FAMILIES; f++) {
            routes[i * FAMILIES + f] = 0;
            endOfRibAt[i * FAMILIES + f] = -1;
        }
        index.put(p, i);
        return i;
    }

    /** Forgets a peer whose paths have all been removed; its index may be reused. */
    void unregister(int i) {
        index.remove(peers[i]);
        peers[i] = null;
        if (freeCount == freeIdx.length) {
            freeIdx = Arrays.copyOf(freeIdx, freeCount * 2);
        }
        freeIdx[freeCount++] = i;
    }

    Peer peer(int i) {
        return peers[i];
    }

    boolean isEbgp(int i) {
        return ebgp[i];
    }

    int bgpId(int i) {
        return peers[i].bgpId();
    }

    /** Order of peers for the final tiebreaks: address, then AS, then BGP id (all unsigned). */
    int compare(int a, int b) {
        if (a == b) {
            return 0;
        }
        Peer x = peers[a];
        Peer y = peers[b];
        int c = x.address().compareTo(y.address());
        if (c != 0) {
            return c;
        }
        c = Integer.compareUnsigned(x.peerAs(), y.peerAs());
        return c != 0 ? c : Integer.compareUnsigned(x.bgpId(), y.bgpId());
    }

    void addRoutes(int i, Afi afi, int delta) {
        routes[i * FAMILIES + afi.ordinal()] += delta;
    }

    int routes(int i, Afi afi) {
        return routes[i * FAMILIES + afi.ordinal()];
    }

    void endOfRib(int i, Afi afi, long nowMillis) {
        endOfRibAt[i * FAMILIES + afi.ordinal()] = nowMillis;
    }

    /** Time End-of-RIB was received for the family, or -1. */
    long endOfRibAt(int i, Afi afi) {
        return endOfRibAt[i * FAMILIES + afi.ordinal()];
    }

    long upAt(int i) {
        return upAt[i];
    }

    List<Integer> indices() {
        List<Integer> out = new ArrayList<>(index.values());
        out.sort(Integer::compare);
        return out;
    }
}
