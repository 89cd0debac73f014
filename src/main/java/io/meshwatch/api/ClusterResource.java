package io.meshwatch.api;

import io.meshwatch.cluster.MemberStore.Member;
import io.meshwatch.cluster.Membership;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The instances of this deployment, from the membership rows they keep in PostgreSQL. */
@Path("/api/v1/cluster")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "cluster", description = "Instances of this deployment and the input partitions each owns")
public class ClusterResource {

    private final Membership membership;

    public ClusterResource(Membership membership) {
        this.membership = membership;
    }

    /**
     * This instance's id, and the live members (heartbeat younger than
     * {@code meshwatch.cluster.member-timeout}), oldest first.
     */
    public record ClusterResponse(String self, List<MemberResponse> members) {
    }

    /**
     * One member.
     *
     * @param url            where it is reached ({@code meshwatch.cluster.advertised-url})
     * @param partitions     the input partitions it owns, per topic
     * @param detectionOwner whether it runs detection for the whole deployment
     * @param heartbeatAt    its last write, on the database's clock
     */
    public record MemberResponse(String id, String url, Map<String, List<Integer>> partitions, boolean detectionOwner,
                                 Instant startedAt, Instant heartbeatAt) {

        static MemberResponse of(Member m) {
            return new MemberResponse(m.id(), m.url(), m.partitions(), m.detectionOwner(), m.startedAt(), m.heartbeatAt());
        }
    }

    @GET
    @Operation(summary = "Members of this deployment: each one's URL, input partitions per topic, whether it owns "
            + "detection, start and last heartbeat")
    public Uni<ClusterResponse> cluster() {
        return membership.members()
                .map(ms -> new ClusterResponse(membership.id(), ms.stream().map(MemberResponse::of).toList()))
                .onFailure().transform(e -> ApiError.of(Response.Status.SERVICE_UNAVAILABLE, "unavailable",
                        "the members are kept in PostgreSQL, which did not answer: " + e.getMessage()));
    }
}
