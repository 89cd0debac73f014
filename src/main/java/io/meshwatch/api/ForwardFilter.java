package io.meshwatch.api;

import io.meshwatch.cluster.Forwarder;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Routes {@code /api/v1} calls to the member that answers them, after the API key check: a router's
 * calls ({@code /api/v1/routers/{router}/...}) to the owner of its partition, detection views
 * ({@code /tunnels}, {@code /circuits}, {@code /signals}, {@code /incidents}) in facts mode to the
 * detection owner; everything else (alerts, silences, inventory, the cluster, the router list, the
 * stream) is answered here. Every answer names the instance that gave it ({@value Forwarder#ANSWERED_BY});
 * a forwarded one also the instance that forwarded it ({@value Forwarder#FORWARDED_BY}).
 */
public class ForwardFilter {

    private static final Set<String> READS = Set.of("GET", "HEAD");
    private static final Set<String> DETECTION = Set.of("tunnels", "circuits", "signals", "incidents");

    private final ClusterCalls calls;

    public ForwardFilter(ClusterCalls calls) {
        this.calls = calls;
    }

    /** Runs after {@code auth.ApiKeyFilter} (a lower priority number runs first). */
    @ServerRequestFilter(preMatching = true, priority = Priorities.USER + 100)
    public Uni<Response> forward(ContainerRequestContext request) {
        String[] s = request.getUriInfo().getPath().replaceFirst("^/+", "").split("/");
        if (!READS.contains(request.getMethod()) || s.length < 3 || !s[0].equals("api") || !s[1].equals("v1")) {
            return Uni.createFrom().nullItem();
        }
        if (s[2].equals("routers") && s.length >= 4 && !s[3].isEmpty()) {
            return calls.router(s[3], call(request));
        }
        if (DETECTION.contains(s[2]) && calls.detectionForwarded()) {
            return calls.detection(call(request));
        }
        return Uni.createFrom().nullItem();
    }

    /** Names this instance on every {@code /api/v1} answer it gives itself. */
    @ServerResponseFilter
    public void answeredBy(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getUriInfo().getPath().startsWith("/api/") && !response.getHeaders().containsKey(Forwarder.ANSWERED_BY)) {
            response.getHeaders().putSingle(Forwarder.ANSWERED_BY, calls.self());
        }
    }

    private static ClusterCalls.Call call(ContainerRequestContext request) {
        URI uri = request.getUriInfo().getRequestUri();
        String pathAndQuery = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return new ClusterCalls.Call(request.getMethod(), pathAndQuery, request.getHeaderString("Accept"),
                request.getHeaderString("Authorization"), request.getHeaderString(Forwarder.FORWARDED_BY));
    }
}
