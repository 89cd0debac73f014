package io.meshwatch.api;

import io.meshwatch.network.BgpSession;
import io.meshwatch.network.NetworkState;
import io.meshwatch.network.RouterSummary;
import io.meshwatch.network.SessionTracker;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Routers and their BGP sessions, as the network state knows them now. */
@Path("/api/v1/routers")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "routers", description = "Routers and BGP sessions")
public class RouterResource {

    private final NetworkState state;
    private final Clock clock;

    public RouterResource(SessionTracker tracker, Clock clock) {
        this.state = tracker.state();
        this.clock = clock;
    }

    /** A router with the roll-up of its sessions. */
    public record RouterView(String id, int sessions, int established, int down) {
        static RouterView of(RouterSummary s) {
            return new RouterView(s.router(), s.sessions(), s.established(), s.sessions() - s.established());
        }
    }

    /**
     * One BGP session.
     *
     * @param since        when it entered {@code state} (router time)
     * @param sinceSeconds seconds in that state, by Meshwatch's clock
     * @param flaps        how often it left {@code established}
     */
    public record PeerView(String vrf, String peer, long peerAs, Long localAs, String state, Instant since,
                           long sinceSeconds, long flaps, String lastReason, Instant lastEvent) {
        static PeerView of(BgpSession s, Instant now) {
            long secs = Math.max(0, Duration.between(s.since(), now).getSeconds());
            return new PeerView(s.vrf(), s.peer(), s.peerAs(), s.localAs(), s.state().wire(), s.since(), secs,
                    s.flaps(), s.lastReason(), s.lastEvent());
        }
    }

    @GET
    @Operation(summary = "List routers", description = "Every router with at least one known BGP session.")
    public List<RouterView> routers() {
        return state.routers().stream().map(RouterView::of).toList();
    }

    @GET
    @Path("/{router}/peers")
    @Operation(summary = "List a router's BGP sessions", description = "Sorted by VRF and peer address.")
    @APIResponse(responseCode = "404", description = "The router is not known")
    public List<PeerView> peers(@PathParam("router") String router) {
        Instant now = clock.instant();
        return state.sessions(router)
                .orElseThrow(() -> ApiError.notFound("router '" + router + "' is not known; GET /api/v1/routers "
                        + "lists the routers Meshwatch has heard from"))
                .stream().map(s -> PeerView.of(s, now)).toList();
    }
}
