package io.meshwatch.deploy;

import io.meshwatch.sim.SimTestProfile;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The simulator profile plus one real webhook receiver (a Vert.x HTTP server answering 200), so
 * that the alerts of the scenario are delivered and the notification metrics have data.
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
                HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
                    req.response().setStatusCode(200).end();
                })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                return Map.of("meshwatch.notify.webhooks.proof.url",
                        "http://127.0.0.1:" + server.actualPort() + "/hook");
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
