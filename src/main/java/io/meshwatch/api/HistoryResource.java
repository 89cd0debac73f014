package io.meshwatch.api;

import io.meshwatch.api.RouteViews.PathView;
import io.meshwatch.history.OutOfReach;
import io.meshwatch.history.PastTables;
import io.meshwatch.history.PrefixHistory;
import io.meshwatch.history.SessionHistory;
import io.meshwatch.history.TooLarge;
import io.meshwatch.network.SessionTracker;
import io.meshwatch.rib.EventMapping;
import io.meshwatch.rib.RibService;
import io.meshwatch.routing.IpAddress;
import io.meshwatch.routing.Path;
import io.meshwatch.routing.Peer;
import io.meshwatch.routing.Prefix;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A router's history: the changes of one prefix (replayed from the kept snapshots and the BGP topic
 * by {@link PastTables}) and the state changes of one BGP session (from {@link SessionHistory}).
 * Blocking (Kafka reads, database); runs on a worker thread.
 */
@jakarta.ws.rs.Path("/api/v1/routers/{router}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "history", description = "Routing history of a router")
public class HistoryResource {

    static final int MAX_LIMIT = 20_000;

    /**
     * One change of a prefix.
     *
     * @param kind     {@code announce}, {@code withdraw} or {@code best_change}
     * @param peer     who announced or withdrew it (null for the router's own Loc-RIB report and for best_change)
     * @param path     the announced path, or the new best path (null when the prefix is gone)
     * @param previous the best path before (best_change only; null for a new prefix)
     * @param reason   the decision step that chose the new best path (best_change), or why it was
     *                 withdrawn ({@code withdrawn}, {@code session down: <state>})
     */
    public record PrefixChangeView(Instant time, String kind, String vrf, String peer, Long peerAs, String rib,
                                   Long pathId, PathView path, PathView previous, String reason) {
    }

    /**
     * The changes of a prefix in a window, oldest first.
     *
     * @param truncated       true when there were more than {@code limit} changes (the first ones are listed)
     * @param snapshotTakenAt the snapshot the replay started from (null: the start of the partition)
     * @param records         records of the router's partition read to answer
     */
    public record PrefixHistoryView(String router, String prefix, Instant from, Instant to,
                                    List<PrefixChangeView> changes, boolean truncated, Instant snapshotTakenAt,
                                    long records, long millis) {
    }

    /** One state change of a BGP session, as the router timed it ({@code at}). */
    public record SessionChangeView(Instant at, String vrf, String state, String previous, long peerAs,
                                    String reason, String cause, long flaps, Instant observedAt) {
    }

    private final PastTables past;
    private final SessionHistory sessionHistory;
    private final RibService rib;
    private final SessionTracker sessions;
    private final Clock clock;

    public HistoryResource(PastTables past, SessionHistory sessionHistory, RibService rib, SessionTracker sessions,
                           Clock clock) {
        this.past = past;
        this.sessionHistory = sessionHistory;
        this.rib = rib;
        this.sessions = sessions;
        this.clock = clock;
    }

    @GET
    @jakarta.ws.rs.Path("/history")
    @Operation(summary = "The history of a prefix on a router",
            description = "Every announcement and withdrawal of the prefix (by a peer, or by a session going down) and "
                    + "every change of its best path with the decision step that chose it, between from and to, "
                    + "replayed from the nearest kept snapshot at or before from and the router's records in the BGP "
                    + "topic. At most limit changes; truncated says there were more.")
    @APIResponse(responseCode = "400", description = "Missing or invalid prefix, from, to or limit; from after to; to in the future")
    @APIResponse(responseCode = "404", description = "The router is not known")
    @APIResponse(responseCode = "410", description = "from is older than the kept snapshots or the topic's retention reach")
    @APIResponse(responseCode = "413", description = "The replay would pass meshwatch.rib.history bounds")
    public PrefixHistoryView prefixHistory(@PathParam("router") String router, @QueryParam("prefix") String prefix,
            @QueryParam("from") @Parameter(description = "RFC 3339; default: 1 hour before to") String from,
            @QueryParam("to") @Parameter(description = "RFC 3339; default: now") String to,
            @QueryParam("vrf") @DefaultValue("default") String vrf,
            @QueryParam("limit") @DefaultValue("1000") int limit) {
        if (prefix == null || prefix.isEmpty()) {
            throw ApiError.badRequest("query parameter 'prefix' is required, e.g. ?prefix=10.20.0.0/16");
        }
        Prefix p;
        try {
            p = Prefix.parse(prefix);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("prefix: " + e.getMessage());
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiError.badRequest("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        Instant end = to == null || to.isEmpty() ? clock.instant() : RouteResource.parseAt(to);
        Instant start = from == null || from.isEmpty() ? end.minus(Duration.ofHours(1)) : RouteResource.parseAt(from);
        knownRouter(router);
        PrefixHistory history = new PrefixHistory(router, EventMapping.vrf(vrf), p, limit);
        PastTables.Past replay;
        try {
            replay = past.replay(router, start, end, history::attach, history::event);
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
        List<PrefixChangeView> out = new ArrayList<>(history.changes().size());
        for (PrefixHistory.Change c : history.changes()) {
            out.add(view(c));
        }
        return new PrefixHistoryView(router, p.toString(), start, end, out, history.truncated(),
                replay.snapshotTakenAt(), replay.records(), replay.millis());
    }

    @GET
    @jakarta.ws.rs.Path("/peers/{peer}/history")
    @Operation(summary = "The state changes of a BGP session",
            description = "Every state the session entered between from and to (by the router's time), oldest first, "
                    + "with the state before, the reason and cause the source gave and the flap count; kept for "
                    + "meshwatch.rib.history.sessions-keep-for.")
    @APIResponse(responseCode = "400", description = "Invalid peer, from, to or limit")
    @APIResponse(responseCode = "404", description = "The router is not known")
    public List<SessionChangeView> sessionHistory(@PathParam("router") String router, @PathParam("peer") String peer,
            @QueryParam("from") @Parameter(description = "RFC 3339; default: 30 days before to") String from,
            @QueryParam("to") @Parameter(description = "RFC 3339; default: now") String to,
            @QueryParam("vrf") @Parameter(description = "only this VRF; default: every VRF") String vrf,
            @QueryParam("limit") @DefaultValue("1000") int limit) {
        try {
            IpAddress.parse(peer);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("peer: " + e.getMessage());
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiError.badRequest("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        Instant end = to == null || to.isEmpty() ? clock.instant().plus(Duration.ofDays(1)) : RouteResource.parseAt(to);
        Instant start = from == null || from.isEmpty() ? end.minus(Duration.ofDays(31)) : RouteResource.parseAt(from);
        if (start.isAfter(end)) {
            throw ApiError.badRequest("from " + start + " is after to " + end);
        }
        knownRouter(router);
        List<SessionChangeView> out = new ArrayList<>();
        for (SessionHistory.Entry e : sessionHistory.of(router, vrf, peer, start, end, limit)) {
            out.add(new SessionChangeView(e.at(), e.vrf(), e.state(), e.previous(), e.peerAs(), e.reason(), e.cause(),
                    e.flaps(), e.observedAt()));
        }
        return out;
    }

    private void knownRouter(String router) {
        if (rib.table(router).isEmpty() && !sessions.state().knowsRouter(router)) {
            throw ApiError.unknownRouter(router);
        }
    }

    static PrefixChangeView view(PrefixHistory.Change c) {
        if (c instanceof PrefixHistory.Announced a) {
            Peer from = a.peer() == null ? null : peer(a.vrf(), a.peer(), a.peerAs());
            return new PrefixChangeView(a.time(), "announce", EventMapping.canonicalVrf(a.vrf()), a.peer(),
                    a.peer() == null ? null : a.peerAs(), a.rib(), a.pathId(),
                    PathView.of(new Path(from, (int) a.pathId(), a.attributes())), null, null);
        }
        if (c instanceof PrefixHistory.Withdrawn w) {
            return new PrefixChangeView(w.time(), "withdraw", EventMapping.canonicalVrf(w.vrf()), w.peer(),
                    w.peer() == null ? null : w.peerAs(), w.rib(), w.pathId(), null, null, w.cause());
        }
        PrefixHistory.BestChanged b = (PrefixHistory.BestChanged) c;
        return new PrefixChangeView(b.time(), "best_change", EventMapping.canonicalVrf(b.vrf()), null, null, null, null,
                b.after() == null ? null : PathView.of(b.after()), b.before() == null ? null : PathView.of(b.before()),
                b.reason().name().toLowerCase(Locale.ROOT));
    }

    private static Peer peer(String vrf, String address, long peerAs) {
        return new Peer(vrf, IpAddress.parse(address), (int) peerAs, 0);
    }
}
