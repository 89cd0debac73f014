package io.meshwatch.api;

import io.meshwatch.network.BgpSession;
import io.meshwatch.network.NetworkState;
import io.meshwatch.network.RouterSummary;
import io.meshwatch.network.SessionTracker;
import io.meshwatch.rib.EventMapping;
import io.meshwatch.rib.PartitionSnapshot;
import io.meshwatch.rib.RibService;
import io.meshwatch.routing.Afi;
import io.meshwatch.routing.PeerStatus;
import io.meshwatch.routing.RibSnapshot;
import io.meshwatch.routing.RouteTable;
import com.fasterxml.jackson.core.type.TypeReference;
import io.meshwatch.cluster.Forwarder;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Routers and their BGP sessions, as the network state knows them now. */
@Path("/api/v1/routers")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "routers", description = "Routers and BGP sessions")
public class RouterResource {

    private static final TypeReference<List<RouterView>> LIST = new TypeReference<>() {
    };

    private final NetworkState state;
    private final RibService rib;
    private final Clock clock;
    private final ClusterCalls cluster;

    public RouterResource(SessionTracker tracker, RibService rib, Clock clock, ClusterCalls cluster) {
        this.state = tracker.state();
        this.rib = rib;
        this.clock = clock;
        this.cluster = cluster;
    }

    /** Prefixes (with a best path) and paths a router holds in one VRF and family. */
    public record RouteCount(String vrf, String afi, int prefixes, int paths) {
    }

    /**
     * A router with the roll-up of its sessions and its route counts.
     *
     * @param feed       its collector feed's last state ({@code up}, {@code ended}, {@code lost}), or null
     *                   when no collector reported one
     * @param staleSince when its feed was lost: its sessions and routes are as last reported; null when not
     */
    public record RouterView(String id, int sessions, int established, int down, List<RouteCount> routes,
                             String feed, Instant staleSince) {
    }

    /**
     * One BGP session.
     *
     * @param since        when it entered {@code state} (router time)
     * @param sinceSeconds seconds in that state, by Meshwatch's clock
     * @param flaps        how often it left {@code established}
     * @param state        the BGP state, or {@code unknown} for a peer known only from its routes
     * @param staleSince   when the router's feed was lost (this is its last report), else null
     */
    public record PeerView(String vrf, String peer, long peerAs, Long localAs, String state, Instant since,
                           long sinceSeconds, long flaps, String lastReason, Instant lastEvent, int ipv4Routes,
                           int ipv6Routes, Instant ipv4EndOfRib, Instant ipv6EndOfRib, Instant staleSince) {

        PeerView stale(Instant since) {
            return since == null ? this : new PeerView(vrf, peer, peerAs, localAs, state, this.since, sinceSeconds,
                    flaps, lastReason, lastEvent, ipv4Routes, ipv6Routes, ipv4EndOfRib, ipv6EndOfRib, since);
        }

        static PeerView withoutSession(PeerStatus p) {
            return new PeerView(EventMapping.canonicalVrf(p.peer().vrf()), p.peer().address().toString(),
                    Integer.toUnsignedLong(p.peer().peerAs()), null, "unknown", null, 0, 0, null, null,
                    p.ipv4Routes(), p.ipv6Routes(), p.ipv4EndOfRib(), p.ipv6EndOfRib(), null);
        }

        static PeerView of(BgpSession s, Instant now, PeerStatus routes) {
            long secs = Math.max(0, Duration.between(s.since(), now).getSeconds());
            return new PeerView(s.vrf(), s.peer(), s.peerAs(), s.localAs(), s.state().wire(), s.since(), secs,
                    s.flaps(), s.lastReason(), s.lastEvent(), routes == null ? 0 : routes.ipv4Routes(),
                    routes == null ? 0 : routes.ipv6Routes(), routes == null ? null : routes.ipv4EndOfRib(),
                    routes == null ? null : routes.ipv6EndOfRib(), null);
        }
    }

    @GET
    @Operation(summary = "List routers", description = "Every router with at least one known BGP session or a "
            + "route table. With several instances, each lists the routers of the partitions it owns and the one "
            + "asked merges them, so every instance gives the same list (or 503 while a partition has no owner "
            + "or a member does not answer).")
    @APIResponse(responseCode = "503", description = "A partition has no live owner now, or a member did not answer")
    public Uni<List<RouterView>> routers(@HeaderParam("Authorization") @Parameter(hidden = true) String authorization,
                                         @HeaderParam(Forwarder.FORWARDED_BY) @Parameter(hidden = true)
                                         String forwardedBy) {
        return cluster.gather(local(), RouterView::id, "/api/v1/routers", authorization, forwardedBy, LIST)
                .map(all -> {
                    Map<String, RouterView> byId = new TreeMap<>();
                    all.forEach(r -> byId.putIfAbsent(r.id(), r));
                    return List.copyOf(byId.values());
                });
    }

    /** The routers this instance knows, sorted by id. */
    private List<RouterView> local() {
        Map<String, RouterSummary> bySessions = new TreeMap<>();
        state.routers().forEach(r -> bySessions.put(r.router(), r));
        Set<String> ids = new TreeSet<>(bySessions.keySet());
        ids.addAll(rib.routers());
        List<RouterView> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            RouterSummary s = bySessions.getOrDefault(id, new RouterSummary(id, 0, 0));
            out.add(new RouterView(id, s.sessions(), s.established(), s.sessions() - s.established(), counts(id),
                    state.feed(id).map(f -> f.state()).orElse(null), state.staleSince(id)));
        }
        return out;
    }

    private List<RouteCount> counts(String router) {
        RouteTable table = rib.table(router).orElse(null);
        if (table == null) {
            return List.of();
        }
        List<RouteCount> out = new ArrayList<>();
        for (String vrf : table.vrfs()) {
            for (Afi afi : Afi.values()) {
                int paths = table.pathCount(vrf, afi);
                if (paths > 0) {
                    out.add(new RouteCount(EventMapping.canonicalVrf(vrf), afi.wireName(),
                            table.prefixCount(vrf, afi), paths));
                }
            }
        }
        return out;
    }

    /**
     * A fingerprint of a router's whole route table.
     *
     * @param digest SHA-256 (hex) over every received path, every best path and every peer's counts
     */
    public record DigestView(String router, String digest, long paths) {
    }

    @GET
    @Path("/{router}/digest")
    @Operation(summary = "Fingerprint of a router's route table", description = "SHA-256 over the sorted "
            + "(VRF, prefix, peer, path id, attributes) of every received path, the effective and computed best "
            + "path of every prefix and each peer's route counts and End-of-RIB flags; times are left out. Two "
            + "tables built from the same events have the same digest, so it compares instances or a restarted "
            + "service with a reference.")
    @APIResponse(responseCode = "404", description = "The router has no route table")
    public DigestView digest(@PathParam("router") String router) {
        RouteTable t = rib.table(router).orElseThrow(() -> ApiError.notFound("router '" + router
                + "' has no route table; GET /api/v1/routers lists the routers Meshwatch has heard from"));
        return new DigestView(router, RibSnapshot.digest(t), PartitionSnapshot.paths(t));
    }

    @GET
    @Path("/{router}/peers")
    @Operation(summary = "List a router's BGP sessions", description = "Sorted by VRF and peer address.")
    @APIResponse(responseCode = "404", description = "The router is not known")
    public List<PeerView> peers(@PathParam("router") String router) {
        Instant now = clock.instant();
        Map<String, PeerStatus> routes = new HashMap<>();
        rib.table(router).ifPresent(t -> t.peers().forEach(p -> routes.put(
                EventMapping.canonicalVrf(p.peer().vrf()) + "\n" + p.peer().address(), p)));
        List<BgpSession> sessions = state.sessions(router).orElse(null);
        if (sessions == null && routes.isEmpty()) {
            throw ApiError.unknownRouter(router);
        }
        if (sessions == null) {
            sessions = List.of();
        }
        List<PeerView> out = new ArrayList<>();
        Instant stale = state.staleSince(router);
        for (BgpSession s : sessions) {
            out.add(PeerView.of(s, now, routes.remove(s.vrf() + "\n" + s.peer())).stale(stale));
        }
        // peers whose routes arrived without any session event (an MRT replay, a BMP feed joined late)
        routes.values().forEach(p -> out.add(PeerView.withoutSession(p).stale(stale)));
        return out;
    }
}
