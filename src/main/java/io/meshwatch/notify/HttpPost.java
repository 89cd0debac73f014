package io.meshwatch.notify;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * One JSON POST with a timeout, as an {@link Attempt}: what the webhook and Alertmanager sinks and
 * the receivers API's ad-hoc test share. Never fails: errors and timeouts are {@link Attempt#retry}.
 */
public final class HttpPost {

    private final HttpClient http;
    private final Duration timeout;

    public HttpPost(Vertx vertx, Duration timeout) {
        this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) timeout.toMillis())
                .setKeepAlive(true));
        this.timeout = timeout;
    }

    /** POSTs {@code body} as {@code application/json} with these extra headers. */
    public Uni<Attempt> send(URI url, byte[] body, Map<String, String> headers) {
        RequestOptions req = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url.toString())
                .setIdleTimeout(timeout.toMillis())
                .putHeader("Content-Type", "application/json")
                .putHeader("User-Agent", "Meshwatch");
        headers.forEach(req::putHeader);
        return Uni.createFrom().completionStage(() -> http.request(req)
                        .compose(q -> q.send(Buffer.buffer(body)))
                        .compose(resp -> resp.body().map(b -> Attempt.ofHttp(resp.statusCode(), b.toString())))
                        .toCompletionStage())
                .ifNoItem().after(timeout.plusSeconds(1)).fail()
                .onFailure().recoverWithItem(Attempt::retry);
    }
}
