package io.meshwatch.platform;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.meshwatch.testing.TcpProxy;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Readiness covers the database: the service reaches the real PostgreSQL through a TCP proxy the
 * test can cut. With the database gone readiness is DOWN (and names the datasource check); when
 * it comes back readiness is UP again. Kafka's own checks are part of the same readiness answer.
 */
@QuarkusTest
@TestProfile(ReadinessTest.ThroughProxy.class)
class ReadinessTest {

    static TcpProxy proxy;

    /** Points the datasource at a proxy in front of the real PostgreSQL. */
    public static class ThroughProxy implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ProxyResource.class));
        }
    }

    /** Starts the proxy before Quarkus boots and hands its port to the datasource. */
    public static class ProxyResource implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            try {
                proxy = new TcpProxy(5432);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("meshwatch.db.port", Integer.toString(proxy.port()));
        }

        @Override
        public void stop() {
            try {
                proxy.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void readinessFollowsTheDatabase() throws IOException {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/q/health/ready")
                .then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem("Reactive PostgreSQL connections health check"))
                .body("checks.find { it.name == 'SmallRye Reactive Messaging - readiness check' }.data.'events-in'",
                        equalTo("[OK]")));

        proxy.cut();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready")
                .then().statusCode(503).body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'Reactive PostgreSQL connections health check' }.status",
                        equalTo("DOWN")));
        // liveness is about the process, not its dependencies: no restart loop while the database is away
        given().get("/q/health/live").then().statusCode(200);

        proxy.restore();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready")
                .then().statusCode(200).body("status", equalTo("UP")));
    }
}
