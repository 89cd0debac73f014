package io.meshwatch.api;

import io.meshwatch.rib.EventMapping;
import io.meshwatch.routing.Addresses;
import io.meshwatch.routing.BestRoute;
import io.meshwatch.routing.Communities;
import io.meshwatch.routing.Path;
import io.meshwatch.routing.PathAttributes;
import java.util.ArrayList;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** Response records of the routes and lookup endpoints, built from route-table types. */
public final class RouteViews {

    private RouteViews() {
    }

    /**
     * One path to a prefix.
     *
     * @param peer   the neighbour that sent it; null for a path the router reported as its own best
     * @param asPath AS path text, AS_SETs in braces: {@code 64512 3356 {65001,65002}}
     */
    public record PathView(String peer, Long peerAs, long pathId, String nextHop, String asPath, String origin,
                           Long localPref, Long med, List<String> communities, List<String> largeCommunities,
                           List<String> extCommunities, String originatorId, List<String> clusterList,
                           boolean atomicAggregate) {

        static PathView of(Path p) {
            PathAttributes a = p.attributes();
            Communities c = a.communities();
            List<String> std = new ArrayList<>();
            for (int v : c.standard()) {
                std.add((v >>> 16) + ":" + (v & 0xFFFF));
            }
            List<String> large = new ArrayList<>();
            int[] l = c.large();
            for (int i = 0; i < l.length; i += 3) {
                large.add(Integer.toUnsignedString(l[i]) + ":" + Integer.toUnsignedString(l[i + 1]) + ":"
                        + Integer.toUnsignedString(l[i + 2]));
            }
            List<String> ext = new ArrayList<>();
            for (long e : c.extended()) {
                ext.add(String.format("0x%016x", e));
            }
            List<String> clusters = new ArrayList<>();
            for (int id : a.clusterList()) {
                clusters.add(Addresses.formatIpv4(id));
            }
            return new PathView(p.peer() == null ? null : p.peer().address().toString(),
                    p.peer() == null ? null : Integer.toUnsignedLong(p.peer().peerAs()), Integer.toUnsignedLong(p.pathId()),
                    a.nextHop().toString(), a.asPath().toString(), a.origin().name().toLowerCase(Locale.ROOT),
                    a.hasLocalPref() ? a.localPref() : null, a.hasMed() ? a.med() : null, std, large, ext,
                    a.hasOriginatorId() ? Addresses.formatIpv4(a.originatorId()) : null, clusters,
                    a.atomicAggregate());
        }
    }

    /**
     * A prefix with its best path and every other path the router holds for it.
     *
     * @param reason   the decision-process step that chose the best path ({@code only_path},
     *                 {@code local_pref}, ..., or {@code router_reported})
     * @param reported true when the best path is the router's own Loc-RIB report (RFC 9069)
     */
    public record RouteView(String prefix, String vrf, PathView best, String reason, boolean reported,
                            List<PathView> others) {

        static RouteView of(BestRoute best, List<Path> all) {
            List<PathView> others = new ArrayList<>();
            for (Path p : all) {
                if (!p.equals(best.path())) {
                    others.add(PathView.of(p));
                }
            }
            return new RouteView(best.prefix().toString(), EventMapping.canonicalVrf(best.vrf()),
                    PathView.of(best.path()), best.reason().name().toLowerCase(Locale.ROOT), best.reported(), others);
        }
    }

    /**
     * A page of routes.
     *
     * @param next       cursor for the next page (pass it as {@code cursor}), null on the last page
     * @param staleSince when the router's feed was lost (the routes are as last reported), else null
     */
    public record RoutePage(List<RouteView> routes, String next, Instant staleSince) {

        public RoutePage(List<RouteView> routes, String next) {
            this(routes, next, null);
        }

        /** The same page, marked stale since the router's feed was lost (null: not stale). */
        public RoutePage stale(Instant since) {
            return since == null ? this : new RoutePage(routes, next, since);
        }
    }
}
