package io.meshwatch.routing;

import java.util.Arrays;

/**
 * The BGP decision process (RFC 4271 section 9.1.2.2, without IGP cost) over the paths of one
 * prefix, as a sequence of filters on a candidate set so the result does not depend on the order
 * paths arrived in. In particular MED is not a pairwise comparison: within each group of candidates
 * from the same neighbouring AS, every path whose MED is above the group minimum is removed, and
 * the remaining steps compare the survivors of all groups.
 *
 * <p>Paths are given as the RIB's packed triples {@code (peerIndex, pathId, attributeId)}. Reuses
 * scratch arrays, so one instance serves one writer thread.
 */
final class DecisionProcess {

    private final PeerRegistry peers;
    private final AttributeInterner attrs;
    private int[] cand = new int[16];
    private PathAttributes[] a = new PathAttributes[16];
    private BestPathReason reason;

    DecisionProcess(PeerRegistry peers, AttributeInterner attrs) {
        this.peers = peers;
        this.attrs = attrs;
    }

    /** Reason for the last {@link #select} result. */
    BestPathReason reason() {
        return reason;
    }

    /** Picks the best of {@code n} triples in {@code t}; returns its triple offset (3 * index). */
    int select(int[] t, int n) {
        if (n == 1) {
            reason = BestPathReason.ONLY_PATH;
            return 0;
        }
        if (cand.length < n) {
            cand = new int[n * 2];
            a = new PathAttributes[n * 2];
        }
        for (int i = 0; i < n; i++) {
            cand[i] = 3 * i;
            a[i] = attrs.get(t[3 * i + 2]);
        }
        reason = null;
        int m = n;
        // 1. highest LOCAL_PREF
        long bestLp = -1;
        for (int i = 0; i < m; i++) {
            bestLp = Math.max(bestLp, a[i].effectiveLocalPref());
        }
        int k = 0;
        for (int i = 0; i < m; i++) {
            if (a[i].effectiveLocalPref() == bestLp) {
                keep(k++, i);
            }
        }
        if ((m = settle(k, m, BestPathReason.LOCAL_PREF)) == 1) {
            return cand[0];
        }
        // 2. shortest AS path
        int bestLen = Integer.MAX_VALUE;
        for (int i = 0; i < m; i++) {
            bestLen = Math.min(bestLen, a[i].asPath().decisionLength());
        }
        k = 0;
        for (int i = 0; i < m; i++) {
            if (a[i].asPath().decisionLength() == bestLen) {
                keep(k++, i);
            }
        }
        if ((m = settle(k, m, BestPathReason.AS_PATH_LENGTH)) == 1) {
            return cand[0];
        }
        // 3. lowest origin
        int bestOrigin = Integer.MAX_VALUE;
        for (int i = 0; i < m; i++) {
            bestOrigin = Math.min(bestOrigin, a[i].origin().ordinal());
        }
        k = 0;
        for (int i = 0; i < m; i++) {
            if (a[i].origin().ordinal() == bestOrigin) {
                keep(k++, i);
            }
        }
        if ((m = settle(k, m, BestPathReason.ORIGIN)) == 1) {
            return cand[0];
        }
        // 4. MED, only against paths from the same neighbouring AS
        k = 0;
        for (int i = 0; i < m; i++) {
            int as = neighbourAs(a[i]);
            long med = a[i].med();
            boolean loses = false;
            for (int j = 0; j < m && !loses; j++) {
                loses = j != i && neighbourAs(a[j]) == as && a[j].med() < med;
            }
            if (!loses) {
                keep(k++, i);
            }
        }
        if ((m = settle(k, m, BestPathReason.MED)) == 1) {
            return cand[0];
        }
        // 5. eBGP over iBGP
        boolean anyEbgp = false;
        for (int i = 0; i < m; i++) {
            anyEbgp |= peers.isEbgp(t[cand[i]]);
        }
        if (anyEbgp) {
            k = 0;
            for (int i = 0; i < m; i++) {
                if (peers.isEbgp(t[cand[i]])) {
                    keep(k++, i);
                }
            }
            if ((m = settle(k, m, BestPathReason.EBGP_OVER_IBGP)) == 1) {
                return cand[0];
            }
        }
        // 6. lowest originator id, else peer BGP id
        long bestId = Long.MAX_VALUE;
        for (int i = 0; i < m; i++) {
            bestId = Math.min(bestId, routerId(t, i));
        }
        k = 0;
        for (int i = 0; i < m; i++) {
            if (routerId(t, i) == bestId) {
                keep(k++, i);
            }
        }
        if ((m = settle(k, m, BestPathReason.ROUTER_ID)) == 1) {
            return cand[0];
        }
        // 7. shortest cluster list
        int bestClusters = Integer.MAX_VALUE;
        for (int i = 0; i < m; i++) {
            bestClusters = Math.min(bestClusters, a[i].clusterListLength());
        }
        k = 0;
        for (int i = 0; i < m; i++) {
            if (a[i].clusterListLength() == bestClusters) {
                keep(k++, i);
            }
        }
        if ((m = settle(k, m, BestPathReason.CLUSTER_LIST_LENGTH)) == 1) {
            return cand[0];
        }
        // 8. lowest peer address (then AS, BGP id), 9. lowest path id: a total order on the rest
        int best = 0;
        boolean decidedByPeer = false;
        for (int i = 1; i < m; i++) {
            int c = peers.compare(t[cand[i]], t[cand[best]]);
            if (c != 0) {
                decidedByPeer = true;
            }
            if (c < 0 || (c == 0 && Integer.compareUnsigned(t[cand[i] + 1], t[cand[best] + 1]) < 0)) {
                best = i;
            }
        }
        int winner = cand[best];
        boolean sharesPeer = false;
        for (int i = 0; i < m; i++) {
            sharesPeer |= i != best && t[cand[i]] == t[winner];
        }
        reason = sharesPeer || !decidedByPeer ? BestPathReason.PATH_ID : BestPathReason.PEER_ADDRESS;
        Arrays.fill(a, 0, n, null);
        return winner;
    }

    private void keep(int to, int from) {
        cand[to] = cand[from];
        a[to] = a[from];
    }

    private int settle(int kept, int before, BestPathReason step) {
        if (kept == 1 && before > 1 && reason == null) {
            reason = step;
        }
        return kept;
    }

    private int neighbourAs(PathAttributes p) {
        return p.asPath().isEmpty() ? peers.localAs() : p.asPath().firstAs();
    }

    private long routerId(int[] t, int i) {
        return Integer.toUnsignedLong(a[i].hasOriginatorId() ? a[i].originatorId() : peers.bgpId(t[cand[i]]));
    }
}
