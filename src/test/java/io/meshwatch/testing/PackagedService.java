package io.meshwatch.testing;

import io.meshwatch.dev.EmbeddedKafka;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service ({@code target/quarkus-app/quarkus-run.jar}, so Failsafe tests and benchmarks)
 * run as a process of its own: launched on a free HTTP port with an admin API key
 * ({@link #API_KEY}) and the given JVM options and environment, its output in a log file; asked
 * over HTTP; stopped with SIGTERM ({@link #stop}) or killed with SIGKILL ({@link #kill}).
 *
 * <p>The environment is inherited, then {@code QUARKUS_HTTP_PORT} (the free port) and
 * {@code MESHWATCH_BMP_PORT=0} are set, then {@code env} is added (and wins).
 */
public final class PackagedService implements AutoCloseable {

    public static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    /** The key every launched service accepts, as admin (the production profile has no keys). */
    public static final String API_KEY = "packaged-" + UUID.randomUUID();

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final Path log;
    private final int port;
    private final long launched;

    private PackagedService(String name, Process process, Path log, int port, long launched) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.port = port;
        this.launched = launched;
    }

    /** Starts the jar on a free port and returns at once; {@link #awaitReady} waits for it. */
    public static PackagedService launch(String name, Path log, List<String> jvmOptions, Map<String, String> env)
            throws IOException {
        return launch(name, log, EmbeddedKafka.freePort(), jvmOptions, env);
    }

    /** Starts the jar on {@code port} and returns at once; {@link #awaitReady} waits for it. */
    public static PackagedService launch(String name, Path log, int port, List<String> jvmOptions,
                                         Map<String, String> env) throws IOException {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR + " is missing: ./mvnw -q package -DskipTests");
        }
        Files.createDirectories(log.toAbsolutePath().getParent());
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dmeshwatch.auth.keys.packaged-test.key=" + API_KEY, "-Dmeshwatch.auth.keys.packaged-test.role=admin"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", JAR.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        pb.environment().put("MESHWATCH_BMP_PORT", "0");
        pb.environment().putAll(env);
        long launched = System.nanoTime();
        return new PackagedService(name, pb.start(), log, port, launched);
    }

    /**
     * Waits until {@code /q/health/ready} answers 200; fails (killing the process) when it exits first
     * or is not ready within {@code wait}.
     */
    public PackagedService awaitReady(Duration wait) throws InterruptedException {
        long deadline = launched + wait.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before it was ready; "
                        + "see " + log);
            }
            try {
                if (get("/q/health/ready").statusCode() == 200) {
                    return this;
                }
            } catch (IOException notListeningYet) {
                // starting
            }
            if (System.nanoTime() > deadline) {
                kill();
                throw new IllegalStateException(name + " not ready within " + wait.toSeconds() + " s; see " + log);
            }
            Thread.sleep(50);
        }
    }

    /** GET with the API key; any status. */
    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", "Bearer " + API_KEY)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POST of a JSON body with the API key; any status. */
    public HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", "Bearer " + API_KEY)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GET with the API key; the body, or an {@link IOException} for any answer but 200. */
    public String body(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = get(path);
        if (r.statusCode() != 200) {
            throw new IOException(name + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /**
     * The first sample of {@code /q/metrics} whose series starts with {@code series} (a metric name, or
     * a name and the start of its labels, as printed); NaN when there is none.
     */
    public double metric(String series) throws IOException, InterruptedException {
        for (String line : body("/q/metrics").split("\n")) {
            if (line.startsWith(series + " ") || line.startsWith(series + "{")
                    || series.contains("{") && line.startsWith(series)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Double.NaN;
    }

    public String name() {
        return name;
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String base() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** {@code running}, or {@code exited with <code>} (143: SIGTERM, 137: SIGKILL), for messages. */
    public String state() {
        return process.isAlive() ? "running" : "exited with " + process.exitValue();
    }

    /** When it was launched ({@link System#nanoTime()}). */
    public long launched() {
        return launched;
    }

    /** SIGKILL: no clean shutdown; waits until the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, a normal shutdown; SIGKILL when it has not ended within {@code wait}. */
    public void stop(Duration wait) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
        }
    }

    /** Kills it if it still runs. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + ", " + base() + ")";
    }
}
