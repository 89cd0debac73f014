package io.meshwatch.deploy;

import io.meshwatch.sim.SimTestProfile;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The simulator profile plus three real webhook receivers on one Vert.x HTTP server, so that the
 * scenario's notifications give every delivery outcome: {@code proof} answers 200 (delivered),
 * {@code flaky} answers 503 to the first attempt of each notification and 200 to the next (retry,
 * then delivered), {@code broken} answers 400 (failed for good).
 */
public class ProofProfile extends SimTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return new HashMap<>(super.getConfigOverrides());
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Receiver.class));
    }

    /** Starts the receiver before Quarkus boots and names it in the configuration. */
    public static class Receiver implements QuarkusTestResourceLifecycleManager {
        private Vertx vertx;

        @Override
        public Map<String, String> start() {
            vertx = Vertx.vertx();
            try {
                Set<String> seen = ConcurrentHashMap.newKeySet();
                HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
                    int status = switch (req.path()) {
                        case "/flaky" -> seen.add(String.valueOf(req.getHeader("Idempotency-Key"))) ? 503 : 200;
                        case "/broken" -> 400;
                        default -> 200;
                    };
                    req.response().setStatusCode(status).end();
                })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                String base = "http://127.0.0.1:" + server.actualPort();
                return Map.of("meshwatch.notify.webhooks.proof.url", base + "/proof",
                        "meshwatch.notify.webhooks.flaky.url", base + "/flaky",
                        "meshwatch.notify.webhooks.broken.url", base + "/broken");
            } catch (Exception e) {
                throw new IllegalStateException("webhook receiver did not start", e);
            }
        }

        @Override
        public void stop() {
            vertx.close();
        }
    }
}
