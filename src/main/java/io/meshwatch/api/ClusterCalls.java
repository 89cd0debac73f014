package io.meshwatch.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.cluster.ClusterView;
import io.meshwatch.cluster.ClusterView.Answerer;
import io.meshwatch.cluster.ClusterView.Nobody;
import io.meshwatch.cluster.ClusterView.There;
import io.meshwatch.cluster.Forwarder;
import io.meshwatch.cluster.MemberStore.Member;
import io.meshwatch.cluster.Membership;
import io.meshwatch.detect.runtime.DetectConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Calls answered by the member that owns them (issue 14): a router's calls by the owner of its
 * partition, detection views (facts mode) by the detection owner, a list of routers by every member
 * for its own. Decides with {@link Membership#view()}, forwards with {@link Forwarder}, and turns
 * what cannot be answered now into 503 with {@code Retry-After}.
 */
@ApplicationScoped
public class ClusterCalls {

    private static final Logger LOG = Logger.getLogger(ClusterCalls.class);

    private final Membership membership;
    private final Forwarder forwarder;
    private final boolean factsMode;
    private final ObjectMapper json;

    public ClusterCalls(Membership membership, Forwarder forwarder, DetectConfig detect, ObjectMapper json) {
        this.membership = membership;
        this.forwarder = forwarder;
        this.factsMode = detect.mode() == DetectConfig.Mode.FACTS;
        this.json = json;
    }

    /**
     * Whether a router's call is a routing-history one (docs/history.md), which may take seconds: the
     * MRT export, a prefix's or a session's history, routes or a lookup at a past instant ({@code at=}),
     * and an incident's route changes (forwarded to the detection owner, replayed from the routers' logs).
     */
    static boolean historyCall(String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
        if (path.endsWith("/mrt") || path.endsWith("/history") || path.endsWith("/route-changes")) {
            return true;
        }
        boolean at = ("&" + query).contains("&at=");
        return at && (path.endsWith("/routes") || path.endsWith("/lookup"));
    }

    /** This instance's id, as {@value Forwarder#ANSWERED_BY} names it. */
    public String self() {
        return membership.id();
    }

    /** Whether detection runs in the elected owner (facts mode), so its views are answered there. */
    public boolean detectionForwarded() {
        return factsMode;
    }

    /**
     * The answer to a call about {@code router} when another member answers it (forwarded), or 503 when
     * none can now; {@code null} when this instance answers it.
     *
     * @param call the call; one carrying {@value Forwarder#FORWARDED_BY} is answered here or not at all
     *             (never forwarded again: the loop guard)
     */
    public Uni<Response> router(String router, Call call) {
        return decide(v -> v.router(router), call, "router '" + router + "'");
    }

    /** The same for a detection view (facts mode: the detection owner answers). */
    public Uni<Response> detection(Call call) {
        return decide(v -> v.detection(factsMode), call, "detection");
    }

    /** A call as received: method, raw path and query, the headers passed on. */
    public record Call(String method, String pathAndQuery, String accept, String authorization, String forwardedBy) {
    }

    private Uni<Response> decide(Function<ClusterView, Answerer> who, Call call, String what) {
        return view().chain(v -> {
            if (v == null) {
                return Uni.createFrom().nullItem();
            }
            Answerer a = who.apply(v);
            if (a instanceof There there) {
                if (call.forwardedBy() != null) {
                    return Uni.createFrom().item(ApiError.unavailable("forwarded here by " + call.forwardedBy()
                            + " for " + what + ", which " + v.self() + " does not own (ownership is moving); retry",
                            ClusterView.RETRY_MOVING));
                }
                return forward(there.member(), call, what);
            }
            if (a instanceof Nobody nobody) {
                return Uni.createFrom().item(ApiError.unavailable(nobody.why() + "; retry", nobody.retryAfterSeconds()));
            }
            return Uni.createFrom().nullItem();
        });
    }

    private Uni<Response> forward(Member owner, Call call, String what) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", call.accept());
        headers.put("Authorization", call.authorization());
        headers.put(Forwarder.FORWARDED_BY, self());
        boolean history = historyCall(call.pathAndQuery());
        java.time.Duration within = history ? forwarder.historyTimeout() : forwarder.timeout();
        return forwarder.send(call.method(), owner.url(), call.pathAndQuery(), headers, history)
                .map(a -> {
                    Response.ResponseBuilder b = Response.status(a.status()).entity(a.body())
                            .header(Forwarder.ANSWERED_BY, a.answeredBy() != null ? a.answeredBy() : owner.id())
                            .header(Forwarder.FORWARDED_BY, self());
                    if (a.contentType() != null) {
                        b.header("Content-Type", a.contentType());
                    }
                    if (a.retryAfter() != null) {
                        b.header("Retry-After", a.retryAfter());
                    }
                    return b.build();
                })
                .onFailure(Forwarder.Unanswered.class).recoverWithItem(e -> {
                    LOG.debugf("Forward of %s to %s failed: %s", what, owner.id(), e.getMessage());
                    return ApiError.unavailable("the owner of " + what + ", " + owner.id() + " at " + owner.url()
                            + ", did not answer within " + within.toMillis() + " ms ("
                            + e.getMessage() + "); it is being replaced, retry", ClusterView.RETRY_GONE);
                });
    }

    /**
     * A list every member contributes its own part of: the local items here when alone; else the
     * items of the routers this instance owns ({@code local} filtered by {@code owned}) and every other
     * member's (asked with {@code pathAndQuery}, as a forwarded call). Fails with 503 when a partition has
     * no live owner or a member does not answer, so every instance gives the same list or none.
     *
     * @param forwardedBy set when another member asks: then only this instance's own part
     */
    public <T> Uni<List<T>> gather(List<T> local, Function<T, String> router, String pathAndQuery,
                                   String authorization, String forwardedBy, TypeReference<List<T>> type) {
        return view().chain(v -> {
            if (v == null || (v.alone() && forwardedBy == null)) {
                return Uni.createFrom().item(local);
            }
            List<T> own = local.stream().filter(t -> v.owned().contains(v.partition(router.apply(t)))).toList();
            if (forwardedBy != null) {
                return Uni.createFrom().item(own);
            }
            if (v.partitionCount() < 1 || !v.unowned().isEmpty()) {
                return Uni.createFrom().failure(new WebApplicationException(ApiError.unavailable("partitions "
                        + v.unowned() + " of " + v.topic() + " have no live owner now (a rebalance is moving them), so "
                        + "the list would be incomplete; retry", ClusterView.RETRY_MOVING)));
            }
            List<Uni<List<T>>> parts = new ArrayList<>();
            parts.add(Uni.createFrom().item(own));
            for (Member m : v.others()) {
                parts.add(part(m, pathAndQuery, authorization, type));
            }
            return Uni.join().all(parts).andFailFast().map(all -> {
                List<T> out = new ArrayList<>();
                all.forEach(out::addAll);
                return out;
            });
        });
    }

    private <T> Uni<List<T>> part(Member m, String pathAndQuery, String authorization, TypeReference<List<T>> type) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json");
        headers.put("Authorization", authorization);
        headers.put(Forwarder.FORWARDED_BY, self());
        return forwarder.send("GET", m.url(), pathAndQuery, headers)
                .map(a -> {
                    if (a.status() != 200) {
                        throw new Forwarder.Unanswered("member " + m.id() + " answered " + a.status(), null);
                    }
                    try {
                        return json.readValue(a.body(), type);
                    } catch (IOException e) {
                        throw new Forwarder.Unanswered("member " + m.id() + " answered what is not a list: "
                                + e.getMessage(), e);
                    }
                })
                .onFailure(Forwarder.Unanswered.class).transform(e -> new WebApplicationException(ApiError.unavailable(
                        "member " + m.id() + " at " + m.url() + " did not give its part: " + e.getMessage()
                                + "; retry", ClusterView.RETRY_GONE)));
    }

    /**
     * The cluster view, or null (answered here, as a single instance would) when PostgreSQL cannot say
     * who the members are.
     */
    private Uni<ClusterView> view() {
        return membership.view().onFailure().recoverWithItem(e -> {
            LOG.debugf("Members not known (%s); answering here", e.toString());
            return null;
        });
    }
}
