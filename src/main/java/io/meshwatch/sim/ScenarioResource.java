package io.meshwatch.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.sim.ScenarioApi.Catalogue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Triggers and follows the simulator's scenarios (see {@code docs/simulator.md}; {@code bin/sim} calls it):
 * {@link ScenarioApi} served by JAX-RS, its refusals as the API's error body.
 */
@Path(ScenarioApi.BASE)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "simulator", description = "Scenarios of the built-in network simulator")
public class ScenarioResource {

    private final ScenarioApi api;

    public ScenarioResource(SimulatorService service, ObjectMapper mapper) {
        this.api = new ScenarioApi(service, mapper);
    }

    @GET
    @Operation(summary = "List scenarios and runs", description = "Every scenario with its description, the kind "
            + "of target it takes, its default and valid targets, and the runs of this service, newest first.")
    public Catalogue list() {
        return api.list();
    }

    @POST
    @Path("/{name}")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
    @Operation(summary = "Start a scenario", description = "Optional JSON body or query parameters: target (or "
            + "circuit, group, session as router/peer, router, by scenario), duration (30s, 2m, PT30S or seconds), "
            + "flaps (session-flap), count (withdrawal-storm), ipv4 and ipv6 (full-table). Answers 202 with the "
            + "timeline.")
    @APIResponse(responseCode = "202", description = "Accepted: the run id and its timeline")
    @APIResponse(responseCode = "400", description = "Unknown target or invalid option; the message lists valid targets")
    @APIResponse(responseCode = "404", description = "Unknown scenario; the message lists the scenarios")
    @APIResponse(responseCode = "409", description = "The simulator is disabled, or a run on the same target is going")
    public Response start(@PathParam("name") String name, @Context UriInfo uri, String body) {
        ScenarioApi.Accepted accepted;
        try {
            accepted = api.start(name, body, uri.getQueryParameters());
        } catch (ScenarioApi.Refused e) {
            throw refused(e);
        }
        return Response.accepted(accepted).location(URI.create(accepted.status())).build();
    }

    @GET
    @Path("/runs/{id}")
    @Operation(summary = "A run's status", description = "Its timeline with the steps done so far; state scheduled, "
            + "running or resolved.")
    @APIResponse(responseCode = "404", description = "No such run (runs are kept in memory, the latest 100)")
    public ScenarioRuns.RunView run(@PathParam("id") String id) {
        try {
            return api.run(id);
        } catch (ScenarioApi.Refused e) {
            throw refused(e);
        }
    }

    /** The refusal as the API answers errors: its status, and the same error body fields as {@code api.ApiError}. */
    private static WebApplicationException refused(ScenarioApi.Refused e) {
        ScenarioApi.ErrorBody error = e.error();
        return new WebApplicationException(error.message(), Response.status(error.status())
                .type(jakarta.ws.rs.core.MediaType.APPLICATION_JSON).entity(error).build());
    }
}
