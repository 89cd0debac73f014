package io.meshwatch.api;

import io.meshwatch.api.RouteViews.RoutePage;
import io.meshwatch.api.RouteViews.RouteView;
import io.meshwatch.history.OutOfReach;
import io.meshwatch.history.PastTables;
import io.meshwatch.history.TooLarge;
import io.meshwatch.mrt.TableDumpEncoder;
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
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A router's routes: listing with exact, longer and shorter matches, and longest-prefix lookup, now or
 * at a past instant ({@code at}, rebuilt by {@link PastTables}); and the table as an MRT TABLE_DUMP_V2
 * file. Calls with {@code at} and the MRT export block (snapshot, Kafka reads, a table copy) and run on
 * a worker thread, as every method here does.
 */
@Path("/api/v1/routers/{router}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "routes", description = "Route tables of the routers")
public class RouteResource {

    static final int MAX_LIMIT = 1000;

    private final RibService rib;
    private final SessionTracker sessions;
    private final PastTables past;
    private final Clock clock;

    public RouteResource(RibService rib, SessionTracker sessions, PastTables past, Clock clock) {
        this.rib = rib;
        this.sessions = sessions;
        this.past = past;
        this.clock = clock;
    }

    @GET
    @Path("/routes")
    @Operation(summary = "List a router's routes",
            description = "Without prefix: every route of the VRF in prefix order (IPv4 first), paged. With prefix: "
                    + "match=exact the route of that prefix; match=longer its more specifics (not itself); "
                    + "match=shorter the routes covering it (not itself), shortest first.")
    @APIResponse(responseCode = "400", description = "Invalid prefix, match, limit, cursor or at (bad format, in the future)")
    @APIResponse(responseCode = "404", description = "The router is not known")
    @APIResponse(responseCode = "410", description = "at is older than the kept snapshots or the topic's retention reach")
    @APIResponse(responseCode = "413", description = "The table at that instant would pass meshwatch.rib.history bounds")
    public RoutePage routes(@PathParam("router") String router,
            @QueryParam("vrf") @DefaultValue("default") String vrf,
            @QueryParam("prefix") String prefix,
            @QueryParam("match") @DefaultValue("exact") @Parameter(description = "exact, longer or shorter") String match,
            @QueryParam("limit") @DefaultValue("100") int limit,
            @QueryParam("cursor") @Parameter(description = "the 'next' of the previous page") String cursor,
            @QueryParam("at") @Parameter(description = AT) String at) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiError.badRequest("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        if (!List.of("exact", "longer", "shorter").contains(match)) {
            throw ApiError.badRequest("match must be exact, longer or shorter, got '" + match + "'");
        }
        Prefix after = cursor == null || cursor.isEmpty() ? null : parsePrefix(cursor, "cursor");
        Prefix p = prefix == null || prefix.isEmpty() ? null : parsePrefix(prefix, "prefix");
        RouteTable table = table(router, at);
        if (table == null) {
            return new RoutePage(List.of(), null);
        }
        String v = EventMapping.vrf(vrf);
        Instant stale = at == null || at.isEmpty() ? sessions.state().staleSince(router) : null;
        if (p == null) {
            return all(table, v, after, limit).stale(stale);
        }
        RoutePage page = switch (match) {
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
        return page.stale(stale);
    }

    @GET
    @Path("/lookup")
    @Operation(summary = "Longest-prefix match", description = "The most specific route covering an address, "
            + "with its best path and the alternatives.")
    @APIResponse(responseCode = "400", description = "Invalid address")
    @APIResponse(responseCode = "404", description = "Unknown router, or no route covers the address")
    @APIResponse(responseCode = "410", description = "at is older than the kept snapshots or the topic's retention reach")
    public RouteView lookup(@PathParam("router") String router, @QueryParam("ip") String ip,
            @QueryParam("vrf") @DefaultValue("default") String vrf,
            @QueryParam("at") @Parameter(description = AT) String at) {
        if (ip == null || ip.isEmpty()) {
            throw ApiError.badRequest("query parameter 'ip' is required, e.g. ?ip=10.20.1.7");
        }
        IpAddress address;
        try {
            address = IpAddress.parse(ip);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("ip: " + e.getMessage());
        }
        RouteTable table = table(router, at);
        BestRoute best = table == null ? null : table.longestMatch(EventMapping.vrf(vrf), address);
        if (best == null) {
            throw ApiError.notFound("no route of router '" + router + "' in VRF '" + vrf + "' covers " + ip);
        }
        return view(table, best);
    }

    static final String AT = "an RFC 3339 time, e.g. 2026-12-07T03:12:00Z: the table as it was then (rebuilt from "
            + "the nearest kept snapshot and the BGP topic); absent: now";

    @GET
    @Path("/mrt")
    @Produces("application/octet-stream")
    @Operation(summary = "The route table as an MRT file",
            description = "The VRF's table, now or at a past instant (at), as MRT TABLE_DUMP_V2 (RFC 6396): a "
                    + "PEER_INDEX_TABLE, then one RIB_IPV4_UNICAST / RIB_IPV6_UNICAST record per prefix with the best "
                    + "path first (RFC 8050 ADDPATH subtypes for a prefix with several paths of one peer). Readable by "
                    + "bgpdump and by GoBGP's 'gobgp mrt inject global'. Router-reported Loc-RIB paths are left out.")
    @APIResponse(responseCode = "400", description = "Invalid at (bad format, in the future)")
    @APIResponse(responseCode = "404", description = "The router is not known")
    @APIResponse(responseCode = "410", description = "at is older than the kept snapshots or the topic's retention reach")
    @APIResponse(responseCode = "413", description = "The table would pass meshwatch.rib.history.max-paths")
    public Response mrt(@PathParam("router") String router, @QueryParam("vrf") @DefaultValue("default") String vrf,
            @QueryParam("at") @Parameter(description = AT) String at) {
        Instant time = at == null || at.isEmpty() ? clock.instant() : null;
        RouteTable table;
        if (time == null) {
            time = parseAt(at);
            table = table(router, at);
        } else {
            if (rib.table(router).isEmpty() && !sessions.state().knowsRouter(router)) {
                throw ApiError.unknownRouter(router);
            }
            try {
                table = past.copyOfNow(router);
            } catch (TooLarge e) {
                throw ApiError.of(Response.Status.REQUEST_ENTITY_TOO_LARGE, "too_large", e.getMessage());
            }
        }
        RouteTable dump = table == null ? new RouteTable(0, clock) : table;
        Instant stamp = time;
        String v = EventMapping.vrf(vrf);
        StreamingOutput body = out -> {
            OutputStream buffered = new BufferedOutputStream(out, 1 << 16);
            TableDumpEncoder.write(dump, v, router, stamp, buffered);
            buffered.flush();
        };
        String file = router.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + stamp.getEpochSecond() + ".mrt";
        return Response.ok(body, "application/octet-stream")
                .header("Content-Disposition", "attachment; filename=\"" + file + "\"").build();
    }

    /** The live table (at absent) or the one rebuilt at {@code at}; null when the router has none. */
    private RouteTable table(String router, String at) {
        if (at == null || at.isEmpty()) {
            RouteTable table = rib.table(router).orElse(null);
            if (table == null && !sessions.state().knowsRouter(router)) {
                throw ApiError.unknownRouter(router);
            }
            return table;
        }
        Instant when = parseAt(at);
        PastTables.Past p;
        try {
            p = past.at(router, when);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        } catch (OutOfReach e) {
            throw ApiError.of(Response.Status.GONE, "out_of_reach", e.getMessage());
        } catch (TooLarge e) {
            throw ApiError.of(Response.Status.REQUEST_ENTITY_TOO_LARGE, "too_large", e.getMessage());
        } catch (io.meshwatch.history.Unavailable e) {
            throw new jakarta.ws.rs.WebApplicationException(e.getMessage(), ApiError.unavailable(e.getMessage()
                    + "; retry", 5));
        }
        if (p.table() == null && rib.table(router).isEmpty() && !sessions.state().knowsRouter(router)) {
            throw ApiError.unknownRouter(router);
        }
        return p.table();
    }

    /** An RFC 3339 time, not in the future. */
    static Instant parseAt(String at) {
        Instant when;
        try {
            when = OffsetDateTime.parse(at).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiError.badRequest("at must be an RFC 3339 time such as 2026-12-07T03:12:00Z, got '" + at + "'");
        }
        return when;
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
