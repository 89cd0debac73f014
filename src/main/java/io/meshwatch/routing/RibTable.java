package io.meshwatch.routing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Adj-RIB-In and Loc-RIB of one VRF and address family of one router.
 *
 * <p>Per prefix id (from {@link PrefixIndex}) it keeps: the received paths of all peers as one
 * exactly-sized {@code int[]} of triples {@code (peerIndex, pathId, attributeId)}, the offset of
 * the computed best triple and its {@link BestPathReason}, and the attribute id of the
 * router-reported Loc-RIB best (0 = none). A prefix is in the index while it has a path or a
 * reported best. With two peers that is ~40 bytes of path storage per prefix besides the index.
 *
 * <p>For the longest-match hot path it also keeps, per prefix id, a precomputed handle of the
 * effective best (two longs side by side: attribute id and path id; peer index, reason and prefix
 * length), refreshed whenever a prefix changes, so a lookup reads one small slot instead of walking
 * reported / best offset / path triple / prefix arrays one dependent load after another.
 * Not thread-safe; {@link RouteTable} serialises writers and guards readers.
 */
final class RibTable {

    private static final int NONE = 0;
    private static final int COMPUTED = 1;
    private static final int REPORTED = 2;
    private static final BestPathReason[] REASONS = BestPathReason.values();

    final String vrf;
    final PrefixIndex index;
    private final PeerRegistry peers;
    private final AttributeInterner attrs;
    private final DecisionProcess decision;
    private int[][] paths = new int[64][];
    private int[] best = new int[64];
    private byte[] reasons = new byte[64];
    private int[] reported = new int[64];
    /** Per id at [2*id]: attrId | pathId << 32; at [2*id+1]: (peer+1) | reason << 24 | length << 32. 0 = none. */
    private long[] handles = new long[128];
    private int pathCount;
    private int reportedCount;

    private int oldKind;
    private int oldPeer;
    private int oldPathId;
    private PathAttributes oldAttrs;

    RibTable(String vrf, Afi afi, PeerRegistry peers, AttributeInterner attrs, DecisionProcess decision) {
        this.vrf = vrf;
        this.index = new PrefixIndex(afi);
        this.peers = peers;
        this.attrs = attrs;
        this.decision = decision;
    }

    int pathCount() {
        return pathCount;
    }

    int reportedCount() {
        return reportedCount;
    }

    /** The packed (peer, path id, attribute id) triples of a live prefix id, or null; not a copy. */
    int[] triplesOf(int id) {
        return paths[id];
    }

    /** The attribute id of the router-reported best of a live prefix id, 0 when none. */
    int reportedOf(int id) {
        return reported[id];
    }

    /** Adds or replaces (implicit withdraw) the path of a peer and path id; retains {@code attrId}. */
    void announce(int peer, int pathId, int attrId, Prefix p, Consumer<RouteDelta> sink) {
        int id = index.find(p);
        if (id < 0) {
            id = addPrefix(p);
        }
        int[] t = paths[id];
        int k = indexOf(t, peer, pathId);
        if (k >= 0 && t[k + 2] == attrId) {
            return; // duplicate announcement
        }
        snapshot(id);
        attrs.retain(attrId);
        if (k >= 0) {
            attrs.release(t[k + 2]);
            t[k + 2] = attrId;
        } else {
            int n = t == null ? 0 : t.length;
            t = t == null ? new int[3] : Arrays.copyOf(t, n + 3);
            t[n] = peer;
            t[n + 1] = pathId;
            t[n + 2] = attrId;
            paths[id] = t;
            pathCount++;
            peers.addRoutes(peer, index.afi(), 1);
        }
        recompute(id);
        emitIfChanged(id, sink);
    }

    /** Removes the path of a peer and path id; no-op when unknown. */
    void withdraw(int peer, int pathId, Prefix p, Consumer<RouteDelta> sink) {
        int id = index.find(p);
        if (id < 0) {
            return;
        }
        int k = indexOf(paths[id], peer, pathId);
        if (k < 0) {
            return;
        }
        snapshot(id);
        removeTriple(id, k);
        recompute(id);
        finish(id, sink);
    }

    /** Removes every path of a peer. */
    void flushPeer(int peer, Consumer<RouteDelta> sink) {
        if (peers.routes(peer, index.afi()) == 0) {
            return;
        }
        for (int id = 0, limit = index.idLimit(); id < limit; id++) {
            int[] t = paths[id];
            if (t == null || !index.isLive(id) || indexOfPeer(t, peer) < 0) {
                continue;
            }
            snapshot(id);
            for (int k; paths[id] != null && (k = indexOfPeer(paths[id], peer)) >= 0; ) {
                removeTriple(id, k);
            }
            recompute(id);
            finish(id, sink);
        }
    }

    /** Sets the router-reported Loc-RIB best of a prefix; retains {@code attrId}. */
    void announceReported(int attrId, Prefix p, Consumer<RouteDelta> sink) {
        int id = index.find(p);
        if (id < 0) {
            id = addPrefix(p);
        }
        if (reported[id] == attrId) {
            return;
        }
        snapshot(id);
        attrs.retain(attrId);
        if (reported[id] != 0) {
            attrs.release(reported[id]);
        } else {
            reportedCount++;
        }
        reported[id] = attrId;
        emitIfChanged(id, sink);
    }

    /** Clears the router-reported best of a prefix; no-op when none. */
    void withdrawReported(Prefix p, Consumer<RouteDelta> sink) {
        int id = index.find(p);
        if (id < 0 || reported[id] == 0) {
            return;
        }
        snapshot(id);
        clearReported(id);
        finish(id, sink);
    }

    /** Clears all router-reported bests (the Loc-RIB feed went away). */
    void flushReported(Consumer<RouteDelta> sink) {
        for (int id = 0, limit = index.idLimit(); id < limit && reportedCount > 0; id++) {
            if (index.isLive(id) && reported[id] != 0) {
                snapshot(id);
                clearReported(id);
                finish(id, sink);
            }
        }
    }

    private void clearReported(int id) {
        attrs.release(reported[id]);
        reported[id] = 0;
        reportedCount--;
    }

    private int addPrefix(Prefix p) {
        int id = index.add(p);
        if (id >= paths.length) {
            int n = Math.max(id + 1, paths.length + (paths.length >> 1));
            paths = Arrays.copyOf(paths, n);
            best = Arrays.copyOf(best, n);
            reasons = Arrays.copyOf(reasons, n);
            reported = Arrays.copyOf(reported, n);
            handles = Arrays.copyOf(handles, 2 * n);
        }
        handles[2 * id] = 0;
        handles[2 * id + 1] = 0;
        paths[id] = null;
        best[id] = -1;
        reported[id] = 0;
        return id;
    }

    private void removeTriple(int id, int k) {
        int[] t = paths[id];
        int peer = t[k];
        attrs.release(t[k + 2]);
        if (t.length == 3) {
            paths[id] = null;
        } else {
            int[] r = new int[t.length - 3];
            System.arraycopy(t, 0, r, 0, k);
            System.arraycopy(t, k + 3, r, k, t.length - k - 3);
            paths[id] = r;
        }
        pathCount--;
        peers.addRoutes(peer, index.afi(), -1);
    }

    private void recompute(int id) {
        int[] t = paths[id];
        if (t == null) {
            best[id] = -1;
            return;
        }
        best[id] = decision.select(t, t.length / 3);
        reasons[id] = (byte) decision.reason().ordinal();
    }

    private void finish(int id, Consumer<RouteDelta> sink) {
        emitIfChanged(id, sink);
        if (paths[id] == null && reported[id] == 0) {
            index.remove(id);
        }
    }

    private void snapshot(int id) {
        if (reported[id] != 0) {
            oldKind = REPORTED;
            oldAttrs = attrs.get(reported[id]);
        } else if (best[id] >= 0) {
            int[] t = paths[id];
            oldKind = COMPUTED;
            oldPeer = t[best[id]];
            oldPathId = t[best[id] + 1];
            oldAttrs = attrs.get(t[best[id] + 2]);
        } else {
            oldKind = NONE;
            oldAttrs = null;
        }
    }

    private void emitIfChanged(int id, Consumer<RouteDelta> sink) {
        refreshHandle(id);
        int kind = reported[id] != 0 ? REPORTED : best[id] >= 0 ? COMPUTED : NONE;
        int[] t = paths[id];
        PathAttributes now = kind == REPORTED ? attrs.get(reported[id])
                : kind == COMPUTED ? attrs.get(t[best[id] + 2]) : null;
        boolean same = kind == oldKind && (kind == NONE || now.equals(oldAttrs))
                && (kind != COMPUTED || (t[best[id]] == oldPeer && t[best[id] + 1] == oldPathId));
        if (!same) {
            Path before = oldKind == NONE ? null
                    : new Path(oldKind == REPORTED ? null : peers.peer(oldPeer), oldKind == REPORTED ? 0 : oldPathId, oldAttrs);
            sink.accept(new RouteDelta(vrf, index.prefix(id), before, pathOf(id), reasonOf(id)));
        }
        oldAttrs = null;
    }

    /** Recomputes the lookup handle of a prefix id from its reported / computed best. */
    private void refreshHandle(int id) {
        long len = (long) index.lenOf(id) << 32;
        if (reported[id] != 0) {
            handles[2 * id] = reported[id] & 0xFFFF_FFFFL;
            handles[2 * id + 1] = len | (long) BestPathReason.ROUTER_REPORTED.ordinal() << 24;
        } else if (best[id] >= 0) {
            int[] t = paths[id];
            int b = best[id];
            handles[2 * id] = (t[b + 2] & 0xFFFF_FFFFL) | (long) t[b + 1] << 32;
            handles[2 * id + 1] = len | (long) (reasons[id] & 0xFF) << 24 | ((t[b] + 1) & 0xFF_FFFFL);
        } else {
            handles[2 * id] = 0;
            handles[2 * id + 1] = 0;
        }
    }

    /** Longest match of an address key (as in {@link Prefix}) into {@code out}; false when none. */
    boolean match(long hi, long lo, RouteMatch out) {
        int id = index.afi() == Afi.IPV4 ? index.longestMatchIpv4((int) lo) : index.longestMatchIpv6(hi, lo);
        return id >= 0 && fill(id, hi, lo, out);
    }

    /** Fills {@code out} from the handle of prefix id {@code id}, which covers the given address key. */
    private boolean fill(int id, long hi, long lo, RouteMatch out) {
        long[] h = handles;
        long a = h[2 * id];
        long b = h[2 * id + 1];
        int attrId = (int) a;
        if (attrId == 0) {
            return false;
        }
        int len = (int) (b >>> 32) & 0xFF;
        int peer = ((int) b & 0xFF_FFFF) - 1;
        long pHi;
        long pLo;
        if (index.afi() == Afi.IPV4) {
            pHi = 0;
            pLo = lo & Prefix.mask32(len) & 0xFFFF_FFFFL;
        } else {
            pHi = hi & Prefix.mask64(len);
            pLo = lo & Prefix.mask64(len - 64);
        }
        out.set(pHi, pLo, len, peer < 0 ? null : peers.peer(peer), (int) (a >>> 32), attrs.get(attrId),
                (int) (b >>> 24) & 0xFF);
        return true;
    }

    private Path pathOf(int id) {
        if (reported[id] != 0) {
            return new Path(null, 0, attrs.get(reported[id]));
        }
        if (best[id] < 0) {
            return null;
        }
        int[] t = paths[id];
        return new Path(peers.peer(t[best[id]]), t[best[id] + 1], attrs.get(t[best[id] + 2]));
    }

    private BestPathReason reasonOf(int id) {
        return reported[id] != 0 ? BestPathReason.ROUTER_REPORTED
                : best[id] < 0 ? BestPathReason.NO_PATH : REASONS[reasons[id]];
    }

    /** The effective best of a live prefix id, or null. */
    BestRoute bestRoute(int id) {
        Path p = pathOf(id);
        return p == null ? null : new BestRoute(vrf, index.prefix(id), p, reasonOf(id), p.isReported());
    }

    /** The computed (not reported) best, or null. */
    BestRoute computedBest(int id) {
        if (best[id] < 0) {
            return null;
        }
        int[] t = paths[id];
        Path p = new Path(peers.peer(t[best[id]]), t[best[id] + 1], attrs.get(t[best[id] + 2]));
        return new BestRoute(vrf, index.prefix(id), p, REASONS[reasons[id]], false);
    }

    /** All received paths of a live prefix id (Adj-RIB-In of every peer). */
    List<Path> paths(int id) {
        int[] t = paths[id];
        List<Path> out = new ArrayList<>(t == null ? 0 : t.length / 3);
        for (int k = 0; t != null && k < t.length; k += 3) {
            out.add(new Path(peers.peer(t[k]), t[k + 1], attrs.get(t[k + 2])));
        }
        return out;
    }

    private static int indexOf(int[] t, int peer, int pathId) {
        for (int k = 0; t != null && k < t.length; k += 3) {
            if (t[k] == peer && t[k + 1] == pathId) {
                return k;
            }
        }
        return -1;
    }

    private static int indexOfPeer(int[] t, int peer) {
        for (int k = 0; k < t.length; k += 3) {
            if (t[k] == peer) {
                return k;
            }
        }
        return -1;
    }
}
