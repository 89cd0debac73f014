package io.meshwatch.api;

import io.meshwatch.api.DetectionViews.CircuitResponse;
import io.meshwatch.api.DetectionViews.TunnelGroupResponse;
import io.meshwatch.detect.runtime.DetectionService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** IPSec tunnel groups and circuits of the inventory with their live state. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "network", description = "Tunnel groups and circuits")
public class NetworkResource {

    private final DetectionService detection;

    public NetworkResource(DetectionService detection) {
        this.detection = detection;
    }

    @GET
    @Path("/tunnels")
    @Operation(summary = "Tunnel groups: which tunnel carries traffic, each tunnel's state, last failover and failback")
    public List<TunnelGroupResponse> tunnels() {
        return detection.read(e -> e.tunnelGroups()).stream().map(TunnelGroupResponse::of).toList();
    }

    @GET
    @Path("/tunnels/{group}")
    @Operation(summary = "One tunnel group")
    public TunnelGroupResponse tunnel(@PathParam("group") String group) {
        return detection.read(e -> e.tunnelGroup(group)).map(TunnelGroupResponse::of)
                .orElseThrow(() -> ApiError.notFound("tunnel group '" + group + "' is not in the inventory; "
                        + "GET /api/v1/tunnels lists them"));
    }

    @GET
    @Path("/circuits")
    @Operation(summary = "Circuits: state (up, degraded, down, unknown), why, latest probe and retransmit figures")
    public List<CircuitResponse> circuits() {
        return detection.read(e -> e.circuits()).stream().map(CircuitResponse::of).toList();
    }

    @GET
    @Path("/circuits/{circuit}")
    @Operation(summary = "One circuit")
    public CircuitResponse circuit(@PathParam("circuit") String circuit) {
        return detection.read(e -> e.circuit(circuit)).map(CircuitResponse::of)
                .orElseThrow(() -> ApiError.notFound("circuit '" + circuit + "' is not in the inventory; "
                        + "GET /api/v1/circuits lists them"));
    }
}
