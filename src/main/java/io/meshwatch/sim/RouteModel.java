package io.meshwatch.sim;

import io.meshwatch.routing.IpAddress;
import io.meshwatch.sim.SimNetwork.Node;
import io.meshwatch.sim.SimNetwork.Session;
import io.meshwatch.sim.SimNetwork.SessionKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small path-vector computation over the simulated network: given which sessions are up, what
 * each router receives over each session for each prefix group once BGP has converged (its
 * Adj-RIB-In after import policy). Prefix groups stand for all their prefixes, so the cost does not
 * depend on table size.
 *
 * <p>Rules: a speaker prefers its own origin, then the shortest AS path, then eBGP over iBGP, then
 * the lowest neighbour address. It advertises its best path to every neighbour except the one it
 * came from; over eBGP it prepends its AS (once, plus the session's extra prepends) and a receiver
 * drops a path that already holds its AS; iBGP-learned paths are not passed to iBGP neighbours.
 * Clouds and internet providers advertise only what they originate. Transit sessions (full table)
 * are outside the model.
 *
 * <p>Plain Java, stateless; the result is immutable.
 */
final class RouteModel {

    /** What a router receives for one prefix group over one session. */
    record Adv(List<Long> asPath, String nextHop, Long localPref, List<String> communities) {
    }

    /** A speaker's best path to a group: over {@code session}, or its own origin when that is -1. */
    record Best(int session, List<Long> asPath, boolean ibgp, IpAddress neighbour) {
        boolean origin() {
            return session < 0;
        }
    }

    /**
     * The converged state.
     *
     * @param received by receiving end ({@link #key}), the groups received with their attributes
     * @param best     by node index, each group's best path
     */
    record Result(Map<Integer, Map<Integer, Adv>> received, List<Map<Integer, Best>> best) {
        Map<Integer, Adv> received(int key) {
            return received.getOrDefault(key, Map.of());
        }
    }

    private RouteModel() {
    }

    /** The receiving end of {@code session} at {@code node}, as a key of {@link Result#received}. */
    static int key(Session session, int node) {
        return session.index() * 2 + (session.a().node() == node ? 0 : 1);
    }

    static Result compute(SimNetwork net, boolean[] up) {
        Map<Integer, Map<Integer, Adv>> received = new HashMap<>();
        List<Map<Integer, Best>> best = List.of();
        for (int iteration = 0; iteration < 4 * net.nodes().size() + 10; iteration++) {
            best = bestPaths(net, up, received);
            Map<Integer, Map<Integer, Adv>> next = advertise(net, up, best);
            if (next.equals(received)) {
                return new Result(Collections.unmodifiableMap(received), best);
            }
            received = next;
        }
        throw new IllegalStateException("BGP model did not converge; the inventory's topology has a policy loop");
    }

    private static List<Map<Integer, Best>> bestPaths(SimNetwork net, boolean[] up,
            Map<Integer, Map<Integer, Adv>> received) {
        List<Map<Integer, Best>> out = new ArrayList<>(net.nodes().size());
        for (Node n : net.nodes()) {
            Map<Integer, Best> b = new HashMap<>();
            for (int g : n.origins()) {
                b.put(g, new Best(-1, List.of(), false, null));
            }
            if (n.reports()) {
                for (Session s : net.sessions()) {
                    if (!up[s.index()] || s.kind() == SessionKind.TRANSIT
                            || (s.a().node() != n.index() && s.b().node() != n.index())) {
                        continue;
                    }
                    IpAddress neighbour = IpAddress.parse(s.other(n.index()).address());
                    for (Map.Entry<Integer, Adv> e : received.getOrDefault(key(s, n.index()), Map.of()).entrySet()) {
                        Best cand = new Best(s.index(), e.getValue().asPath(), s.ibgp(), neighbour);
                        Best old = b.get(e.getKey());
                        if (old == null || better(cand, old)) {
                            b.put(e.getKey(), cand);
                        }
                    }
                }
            }
            out.add(b);
        }
        return out;
    }

    static boolean better(Best a, Best b) {
        if (a.origin() != b.origin()) {
            return a.origin();
        }
        if (a.asPath().size() != b.asPath().size()) {
            return a.asPath().size() < b.asPath().size();
        }
        if (a.ibgp() != b.ibgp()) {
            return !a.ibgp();
        }
        return a.neighbour().compareTo(b.neighbour()) < 0;
    }

    private static Map<Integer, Map<Integer, Adv>> advertise(SimNetwork net, boolean[] up, List<Map<Integer, Best>> best) {
        Map<Integer, Map<Integer, Adv>> out = new HashMap<>();
        for (Session s : net.sessions()) {
            if (!up[s.index()] || s.kind() == SessionKind.TRANSIT) {
                continue;
            }
            for (int receiver : new int[] {s.a().node(), s.b().node()}) {
                Node r = net.node(receiver);
                if (!r.reports()) {
                    continue;
                }
                Node q = net.node(s.other(receiver).node());
                Map<Integer, Adv> adv = new HashMap<>();
                for (Map.Entry<Integer, Best> e : best.get(q.index()).entrySet()) {
                    Best b = e.getValue();
                    if ((!q.reports() && !b.origin()) || b.session() == s.index() || (s.ibgp() && b.ibgp())) {
                        continue;
                    }
                    List<Long> path;
                    if (s.ibgp()) {
                        path = b.asPath();
                    } else {
                        List<Long> p = new ArrayList<>(b.asPath().size() + 1 + s.prepend());
                        for (int i = 0; i <= s.prepend(); i++) {
                            p.add(q.asn());
                        }
                        p.addAll(b.asPath());
                        if (p.contains(r.asn())) {
                            continue; // the receiver's loop check drops it
                        }
                        path = List.copyOf(p);
                    }
                    adv.put(e.getKey(), new Adv(path, s.other(receiver).address(), s.ibgp() ? 100L : null,
                            net.prefixGroup(e.getKey()).communities()));
                }
                out.put(key(s, receiver), adv);
            }
        }
        return out;
    }
}
