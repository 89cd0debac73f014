package io.meshwatch.api;

import io.meshwatch.api.RouteViews.RoutePage;
import io.meshwatch.api.RouteViews.RouteView;
import io.meshwatch.network.SessionTracker;
import io.meshwatch.rib.EventMapping;
import io.meshwatch.rib.RibService;
import io.meshwatch.routing.Afi;
import io.meshwatch.routing.BestRoute;
import io.meshwatch.routing.IpAddress;
import io.meshwatch.routing.Prefix;
import io.meshwatch.routing.RouteTable;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A router's routes: listing with exact, longer and shorter matches, and longest-prefix lookup. */
@Path("/api/v1/routers/{router}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "routes", description = "Route tables of the routers")
public class RouteResource {

    static final int MAX_LIMIT = 1000;

    private final RibService rib;
    private final SessionTracker sessions;

    public RouteResource(RibService rib, SessionTracker sessions) {
        this.rib = rib;
        this.sessions = sessions;
    }

    @GET
    @Path("/routes")
    @Operation(summary = "List a router's routes",
            description = "Without prefix: every route of the VRF in prefix order (IPv4 first), paged. With prefix: "
                    + "match=exact the route of that prefix; match=longer its more specifics (not itself); "
                    + "match=shorter the routes covering it (not itself), shortest first.")
    @APIResponse(responseCode = "400", description = "Invalid prefix, match, limit or cursor")
    @APIResponse(responseCode = "404", description = "The router is not known")
    public RoutePage routes(@PathParam("router") String router,
            @QueryParam("vrf") @DefaultValue("default") String vrf,
            @QueryParam("prefix") String prefix,
            @QueryParam("match") @DefaultValue("exact") @Parameter(description = "exact, longer or shorter") String match,
            @QueryParam("limit") @DefaultValue("100") int limit,
            @QueryParam("cursor") @Parameter(description = "the 'next' of the previous page") String cursor) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiError.badRequest("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        if (!List.of("exact", "longer", "shorter").contains(match)) {
            throw ApiError.badRequest("match must be exact, longer or shorter, got '" + match + "'");
        }
        Prefix after = cursor == null || cursor.isEmpty() ? null : parsePrefix(cursor, "cursor");
        Prefix p = prefix == null || prefix.isEmpty() ? null : parsePrefix(prefix, "prefix");
        RouteTable table = table(router);
        if (table == null) {
            return new RoutePage(List.of(), null);
        }
        String v = EventMapping.vrf(vrf);
        if (p == null) {
            return all(table, v, after, limit);
        }
        return switch (match) {
            case "exact" -> {
                BestRoute best = table.best(v, p);
                yield new RoutePage(best == null ? List.of() : List.of(view(table, best)), null);
            }
            case "longer" -> longer(table, v, p, after, limit);
            default -> {
                List<RouteView> out = new ArrayList<>();
                for (BestRoute b : table.lessSpecifics(v, p)) {
                    out.add(view(table, b));
                }
                yield new RoutePage(out, null);
            }
        };
    }

    @GET
    @Path("/lookup")
    @Operation(summary = "Longest-prefix match", description = "The most specific route covering an address, "
            + "with its best path and the alternatives.")
    @APIResponse(responseCode = "400", description = "Invalid address")
    @APIResponse(responseCode = "404", description = "Unknown router, or no route covers the address")
    public RouteView lookup(@PathParam("router") String router, @QueryParam("ip") String ip,
            @QueryParam("vrf") @DefaultValue("default") String vrf) {
        if (ip == null || ip.isEmpty()) {
            throw ApiError.badRequest("query parameter 'ip' is required, e.g. ?ip=10.20.1.7");
        }
        IpAddress address;
        try {
            address = IpAddress.parse(ip);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("ip: " + e.getMessage());
        }
        RouteTable table = table(router);
        BestRoute best = table == null ? null : table.longestMatch(EventMapping.vrf(vrf), address);
        if (best == null) {
            throw ApiError.notFound("no route of router '" + router + "' in VRF '" + vrf + "' covers " + ip);
        }
        return view(table, best);
    }

    private RouteTable table(String router) {
        RouteTable table = rib.table(router).orElse(null);
        if (table == null && !sessions.state().knowsRouter(router)) {
            throw ApiError.unknownRouter(router);
        }
        return table;
    }

    private static RoutePage all(RouteTable table, String vrf, Prefix after, int limit) {
        List<RouteView> out = new ArrayList<>(limit);
        Afi start = after == null ? Afi.IPV4 : after.afi();
        for (Afi afi : Afi.values()) {
            if (afi.compareTo(start) < 0) {
                continue;
            }
            for (BestRoute b : table.page(vrf, afi, afi == start ? after : null, limit - out.size())) {
                out.add(view(table, b));
            }
            if (out.size() == limit) {
                break;
            }
        }
        return new RoutePage(out, out.size() == limit ? out.get(out.size() - 1).prefix() : null);
    }

    private static RoutePage longer(RouteTable table, String vrf, Prefix p, Prefix after, int limit) {
        List<RouteView> out = new ArrayList<>(limit);
        Prefix from = after == null ? p : after;
        // More specifics of p follow p contiguously in prefix order; stop at the first one outside it.
        for (BestRoute b : table.page(vrf, p.afi(), from, limit)) {
            if (!p.covers(b.prefix())) {
                return new RoutePage(out, null);
            }
            out.add(view(table, b));
        }
        return new RoutePage(out, out.size() == limit ? out.get(out.size() - 1).prefix() : null);
    }

    private static RouteView view(RouteTable table, BestRoute best) {
        return RouteView.of(best, table.paths(best.vrf(), best.prefix()));
    }

    private static Prefix parsePrefix(String text, String param) {
        try {
            return Prefix.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(param + ": " + e.getMessage());
        }
    }
}
