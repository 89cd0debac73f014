package io.meshwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.testing.PackagedService;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service ({@code target/quarkus-app/quarkus-run.jar}) launched as its own JVM for a
 * benchmark, and what the harness asks it over HTTP.
 *
 * <p>It runs ({@link PackagedService}) with {@code -Xmx6g}, {@code KAFKA_BOOTSTRAP_SERVERS} of the given
 * broker, a free {@code QUARKUS_HTTP_PORT}, a fresh {@code KAFKA_GROUP_ID} (so it reads its topics from the
 * beginning) and {@code MESHWATCH_DB_NAME} {@code meshwatch_bench} (or {@code E2E_DB_NAME}); the rest
 * of the environment is inherited. {@code E2E_SERVICE_JVM_ARGS} adds JVM options ({@code {run}} is
 * replaced by the run name). Output goes to {@code target/bench/<log>-<run>.log}.
 */
final class ServiceProcess implements AutoCloseable {

    static final Path JAR = PackagedService.JAR;
    static final Path LOGS = Path.of("target/bench");
    /** Polling interval of {@link #awaitAnnounced}. */
    static final long POLL_MS = 50;

    private static final String ANNOUNCED = "meshwatch_rib_prefixes_applied_total";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * Poll times ({@link System#nanoTime()}) of the announce counter: the last poll that saw 0, the
     * first that saw more, the first that saw the expected count.
     */
    record Progress(long lastZero, long firstSeen, long done) {
    }

    private final PackagedService service;
    private final long ready;

    private ServiceProcess(PackagedService service, long ready) {
        this.service = service;
        this.ready = ready;
    }

    /** Fails early, before any untimed set-up, when the application is not packaged. */
    static void requireJar() throws IOException {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR + " is missing: ./mvnw -o -q package -DskipTests");
        }
        Files.createDirectories(LOGS);
    }

    /** Launches the service against {@code bootstrap} and waits (up to 120 s) until it is ready. */
    static ServiceProcess start(String bootstrap, String logPrefix, String run) throws Exception {
        return start(bootstrap, logPrefix, run, Map.of());
    }

    /** As {@link #start(String, String, String)}, with extra environment variables for the service. */
    static ServiceProcess start(String bootstrap, String logPrefix, String run, Map<String, String> extraEnv)
            throws Exception {
        requireJar();
        List<String> jvm = new ArrayList<>(List.of("-Xmx6g"));
        String extra = System.getenv("E2E_SERVICE_JVM_ARGS");
        if (extra != null && !extra.isBlank()) {
            for (String a : extra.trim().split("\\s+")) {
                jvm.add(a.replace("{run}", run));
            }
        }
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("KAFKA_GROUP_ID", "meshwatch-bench-" + UUID.randomUUID());
        env.put("MESHWATCH_DB_NAME", System.getenv().getOrDefault("E2E_DB_NAME", "meshwatch_bench"));
        env.putAll(extraEnv);
        PackagedService service = PackagedService.launch(logPrefix, LOGS.resolve(logPrefix + "-" + run + ".log"), jvm,
                env);
        try {
            service.awaitReady(Duration.ofSeconds(120));
        } catch (Exception | Error e) {
            service.stop(Duration.ofSeconds(30));
            throw e;
        }
        return new ServiceProcess(service, System.nanoTime());
    }

    /** GET of a path of the service's API ({@code /api/v1/...}), as text; fails on a non-200 answer. */
    String api(String path) throws IOException, InterruptedException {
        return service.body(path);
    }

    /** POST of a JSON body to a path of the service's API; the answer's status and body. */
    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return service.post(path, json);
    }

    /** The sum of a Prometheus metric's series (every label set), 0 when it has none. */
    double metric(String name) throws IOException, InterruptedException {
        double sum = 0;
        for (String line : service.body("/q/metrics").split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** When it was launched ({@link System#nanoTime()}). */
    long launched() {
        return service.launched();
    }

    /** When it first answered ready. */
    long ready() {
        return ready;
    }

    /**
     * Polls the announce counter every {@value #POLL_MS} ms until it reaches {@code expected}
     * (more is an error), for at most {@code timeoutSeconds}. {@code check} runs on every poll and
     * may throw to stop the wait (e.g. when the producer failed).
     */
    Progress awaitAnnounced(long expected, long timeoutSeconds, Check check) throws Exception {
        long lastZero = System.nanoTime();
        long firstSeen = -1;
        long deadline = lastZero + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (true) {
            long now = System.nanoTime();
            double seen = announced();
            if (seen == 0) {
                lastZero = now;
            } else if (firstSeen < 0) {
                firstSeen = now;
            }
            if (seen >= expected) {
                if (seen != expected) {
                    throw new IllegalStateException("announce counter is " + seen + ", expected " + expected);
                }
                return new Progress(lastZero, firstSeen, now);
            }
            if (!service.alive()) {
                throw new IllegalStateException("service exited at " + seen + " of " + expected + "; see "
                        + service.log());
            }
            check.run();
            if (now > deadline) {
                throw new IllegalStateException("only " + seen + " of " + expected + " prefixes after "
                        + timeoutSeconds + " s; see " + service.log());
            }
            long sleep = now + TimeUnit.MILLISECONDS.toNanos(POLL_MS) - System.nanoTime();
            if (sleep > 0) {
                Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
            }
        }
    }

    /** A check run on every poll of {@link #awaitAnnounced}. */
    @FunctionalInterface
    interface Check {
        void run() throws Exception;
    }

    /** {@code meshwatch_rib_prefixes_applied_total{op="announce"}}, 0 while the series does not exist yet. */
    double announced() throws IOException, InterruptedException {
        for (String line : service.body("/q/metrics").split("\n")) {
            if (line.startsWith(ANNOUNCED + "{") && line.contains("op=\"announce\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    /** The paths {@code GET /api/v1/routers} reports for a router, over its VRFs and families. */
    long pathsHeld(String router) throws IOException, InterruptedException {
        JsonNode routers = MAPPER.readTree(service.body("/api/v1/routers"));
        for (JsonNode r : routers) {
            if (r.path("id").asText().equals(router)) {
                long paths = 0;
                for (JsonNode c : r.path("routes")) {
                    paths += c.path("paths").asLong();
                }
                return paths;
            }
        }
        throw new IllegalStateException("GET /api/v1/routers does not list " + router);
    }

    /** Fails unless the router holds exactly {@code expected} paths; returns them. */
    long requirePaths(String router, long expected) throws IOException, InterruptedException {
        long held = pathsHeld(router);
        if (held != expected) {
            throw new IllegalStateException("router " + router + " holds " + held + " paths, expected " + expected);
        }
        return held;
    }

    @Override
    public void close() throws InterruptedException {
        service.stop(Duration.ofSeconds(30));
    }
}
