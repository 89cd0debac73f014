package io.meshwatch.api;

import io.meshwatch.api.DetectionViews.IncidentResponse;
import io.meshwatch.api.DetectionViews.SignalResponse;
import io.meshwatch.api.HistoryResource.PrefixChangeView;
import io.meshwatch.history.OutOfReach;
import io.meshwatch.history.PastTables;
import io.meshwatch.history.PrefixHistory;
import io.meshwatch.history.Rebuild;
import io.meshwatch.history.TooLarge;
import io.meshwatch.history.Unavailable;
import io.meshwatch.rib.EventMapping;
import io.meshwatch.routing.Prefix;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/v1/incidents/{id}/route-changes}: the route changes in an incident's blast radius
 * during its lifetime, so the on-call engineer sees which prefixes moved where and when. The blast
 * radius is every prefix that a signal of the incident names (with its router and VRF:
 * PrefixUnreachable, BestPathOnBackup, the route policy signals); the lifetime runs from the
 * earliest start among its signals, less a lead-in, to its resolution plus the same (or now). Each
 * router's log is replayed once ({@link PastTables#replay}) with one {@link PrefixHistory} per
 * prefix. Blocking (Kafka reads); a worker thread. A router whose history is out of reach is listed
 * with the reason, the others are answered.
 */
@Path("/api/v1/incidents/{id}/route-changes")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "incidents", description = "Incidents and detection signals")
public class IncidentRouteChangesResource {

    /** How long before the earliest signal, and after the resolution, the window reaches. */
    static final Duration LEAD = Duration.ofMinutes(1);
    /** The longest window answered: an incident open for days would replay days of a router's log. */
    static final Duration LONGEST = Duration.ofHours(6);

    /**
     * The changes of one prefix on one router in the window, oldest first.
     *
     * @param truncated true when there were more than {@code limit} (the first are listed)
     */
    public record PrefixChanges(String router, String vrf, String prefix, List<PrefixChangeView> changes,
                                boolean truncated) {
    }

    /** A router whose log could not be replayed for the window, and why. */
    public record Unanswered(String router, String error, String message) {
    }

    /**
     * The route changes of an incident.
     *
     * @param prefixes   every prefix of the blast radius, by router then prefix
     * @param unanswered routers whose history could not be read
     * @param clipped    true when the lifetime was longer than {@code LONGEST} and only its start is covered
     */
    public record RouteChangesView(String incident, Instant from, Instant to, List<PrefixChanges> prefixes,
                                   List<Unanswered> unanswered, boolean clipped) {
    }

    private final IncidentResource incidents;
    private final PastTables past;
    private final Clock clock;

    public IncidentRouteChangesResource(IncidentResource incidents, PastTables past, Clock clock) {
        this.incidents = incidents;
        this.past = past;
        this.clock = clock;
    }

    @GET
    @Operation(summary = "The route changes in an incident's blast radius during its lifetime",
            description = "For every prefix a signal of the incident names (with its router), every announcement, "
                    + "withdrawal and best-path change (with the decision step) from one minute before the earliest "
                    + "signal's start to one minute after the incident resolved (or now), replayed from the router's "
                    + "log as GET /routers/{router}/history does; at most 6 hours from the start.")
    @APIResponse(responseCode = "400", description = "limit out of range")
    @APIResponse(responseCode = "404", description = "The incident is not known")
    public RouteChangesView routeChanges(@PathParam("id") String id,
            @QueryParam("limit") @DefaultValue("200") @Parameter(description = "changes per prefix, 1..20000")
            int limit) {
        if (limit < 1 || limit > HistoryResource.MAX_LIMIT) {
            throw ApiError.badRequest("limit must be between 1 and " + HistoryResource.MAX_LIMIT + ", got " + limit);
        }
        IncidentResponse incident = incidents.incident(id).await().atMost(Duration.ofSeconds(10));
        List<SignalResponse> signals = new ArrayList<>();
        if (incident.root() != null) {
            signals.add(incident.root());
        }
        signals.addAll(incident.children());
        Instant now = clock.instant();
        Instant earliest = incident.openedAt();
        Map<String, Map<String, String>> radius = new TreeMap<>(); // router -> prefix -> vrf
        for (SignalResponse s : signals) {
            if (s.startedAt() != null && (earliest == null || s.startedAt().isBefore(earliest))) {
                earliest = s.startedAt();
            }
            String router = s.labels().get("router");
            String prefix = s.labels().get("prefix");
            if (router != null && prefix != null) {
                radius.computeIfAbsent(router, r -> new TreeMap<>()).put(prefix, s.labels().getOrDefault("vrf",
                        "default"));
            }
        }
        Instant from = (earliest == null ? now : earliest).minus(LEAD);
        Instant to = incident.resolvedAt() == null ? now : incident.resolvedAt().plus(LEAD);
        boolean clipped = false;
        if (to.isAfter(now)) {
            to = now;
        }
        if (Duration.between(from, to).compareTo(LONGEST) > 0) {
            to = from.plus(LONGEST);
            clipped = true;
        }
        if (from.isAfter(to)) {
            from = to;
        }
        List<PrefixChanges> out = new ArrayList<>();
        List<Unanswered> unanswered = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> r : radius.entrySet()) {
            List<PrefixHistory> histories = new ArrayList<>();
            for (Map.Entry<String, String> p : r.getValue().entrySet()) {
                histories.add(new PrefixHistory(r.getKey(), EventMapping.vrf(p.getValue()), Prefix.parse(p.getKey()),
                        limit));
            }
            try {
                past.replay(r.getKey(), from, to, (Rebuild rb) -> histories.forEach(h -> h.attach(rb)),
                        e -> histories.forEach(h -> h.event(e)));
            } catch (OutOfReach e) {
                unanswered.add(new Unanswered(r.getKey(), "out_of_reach", e.getMessage()));
                continue;
            } catch (TooLarge e) {
                unanswered.add(new Unanswered(r.getKey(), "too_large", e.getMessage()));
                continue;
            } catch (Unavailable e) {
                unanswered.add(new Unanswered(r.getKey(), "unavailable", e.getMessage()));
                continue;
            }
            int i = 0;
            for (Map.Entry<String, String> p : r.getValue().entrySet()) {
                PrefixHistory h = histories.get(i++);
                out.add(new PrefixChanges(r.getKey(), p.getValue(), p.getKey(),
                        h.changes().stream().map(HistoryResource::view).toList(), h.truncated()));
            }
        }
        return new RouteChangesView(incident.id(), from, to, out, unanswered, clipped);
    }
}
