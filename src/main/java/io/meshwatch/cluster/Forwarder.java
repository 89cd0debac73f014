package io.meshwatch.cluster;

import io.meshwatch.platform.MeshwatchConfig;
import io.meshwatch.platform.StartupFailure;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientResponse;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Sends a call on to the member that answers it, over one pooled, non-blocking Vert.x HTTP client,
 * within {@code meshwatch.cluster.forward-timeout} (connecting, sending and reading the whole answer).
 *
 * <p>Threading: calls may come from any thread; the answer completes on a Vert.x event loop.
 */
@ApplicationScoped
public class Forwarder {

    /**
     * Request header of a forwarded call, naming the instance that forwarded it: a call carrying it is
     * never forwarded again (the loop guard). On an answer: the instance that forwarded it.
     */
    public static final String FORWARDED_BY = "X-Meshwatch-Forwarded-By";
    /** Response header of every {@code /api/v1} answer: the id of the instance that answered. */
    public static final String ANSWERED_BY = "X-Meshwatch-Answered-By";
    /** Connections kept per member (calls beyond wait for one). */
    static final int POOL = 32;

    private final HttpClient client;
    private final HttpClient slowClient;
    private final Duration timeout;
    private final Duration slowTimeout;

    public Forwarder(Vertx vertx, MeshwatchConfig config) {
        this.timeout = config.cluster().forwardTimeout();
        if (timeout.isNegative() || timeout.isZero()) {
            throw new StartupFailure("meshwatch.cluster.forward-timeout must be positive, not "
                    + timeout);
        }
        this.slowTimeout = config.cluster().forwardHistoryTimeout();
        if (slowTimeout.compareTo(timeout) < 0) {
            throw new StartupFailure("meshwatch.cluster.forward-history-timeout (" + slowTimeout
                    + ") must not be shorter than meshwatch.cluster.forward-timeout (" + timeout + ")");
        }
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) timeout.toMillis())
                .setIdleTimeout((int) Math.max(1, timeout.toSeconds() + 1)).setMaxPoolSize(POOL).setKeepAlive(true));
        // the routing-history calls: the same connect timeout, a connection idle time as long as their answer may take
        this.slowClient = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) timeout.toMillis())
                .setIdleTimeout((int) Math.max(1, slowTimeout.toSeconds() + 1)).setMaxPoolSize(4).setKeepAlive(true));
    }

    /** The time a routing-history call may take ({@code meshwatch.cluster.forward-history-timeout}). */
    public Duration historyTimeout() {
        return slowTimeout;
    }

    /**
     * An owner's answer, whatever its status.
     *
     * @param answeredBy the owner's {@value #ANSWERED_BY} header, or null
     * @param retryAfter the owner's {@code Retry-After} header, or null
     */
    public record Answer(int status, String contentType, String answeredBy, String retryAfter, byte[] body) {
    }

    /** The call could not be made or not answered in time; the message says which and where. */
    public static final class Unanswered extends RuntimeException {
        public Unanswered(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public Duration timeout() {
        return timeout;
    }

    /**
     * Sends {@code method pathAndQuery} (no body) to {@code baseUrl} with the given headers; fails with
     * {@link Unanswered} when the member cannot be reached or does not answer within the timeout.
     */
    public Uni<Answer> send(String method, String baseUrl, String pathAndQuery, Map<String, String> headers) {
        return send(method, baseUrl, pathAndQuery, headers, false);
    }

    /**
     * {@link #send(String, String, String, Map)}; a {@code history} call may take
     * {@link #historyTimeout()} to answer (connecting stays within {@code meshwatch.cluster.forward-timeout}):
     * a table at a past instant, a prefix's history, an MRT export.
     */
    public Uni<Answer> send(String method, String baseUrl, String pathAndQuery, Map<String, String> headers,
                            boolean history) {
        Duration timeout = history ? slowTimeout : this.timeout;
        HttpClient client = history ? slowClient : this.client;
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.valueOf(method))
                .setAbsoluteURI(base + pathAndQuery).setIdleTimeout(timeout.toMillis());
        headers.forEach((k, v) -> {
            if (v != null) {
                options.putHeader(k, v);
            }
        });
        return client.request(options)
                .chain(req -> req.send())
                .chain(resp -> resp.body().map(body -> answer(resp, body)))
                .ifNoItem().after(timeout).failWith(() -> new TimeoutException("no answer within " + timeout))
                .onFailure().transform(e -> new Unanswered(base + " did not answer " + method + " " + pathAndQuery
                        + ": " + describe(e), e));
    }

    private static Answer answer(HttpClientResponse resp, Buffer body) {
        return new Answer(resp.statusCode(), resp.getHeader("Content-Type"), resp.getHeader(ANSWERED_BY),
                resp.getHeader("Retry-After"), body.getBytes());
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    @PreDestroy
    void close() {
        client.closeAndForget();
        slowClient.closeAndForget();
    }
}
