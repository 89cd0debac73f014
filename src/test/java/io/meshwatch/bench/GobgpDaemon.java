package io.meshwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.dev.EmbeddedKafka;
import io.meshwatch.sim.SyntheticTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code gobgpd} (Debian's package, GoBGP 3.10) for the MRT load comparison, driven through its
 * {@code gobgp} client.
 *
 * <p>Minimal configuration: router id and local AS, no neighbours, BGP listening off
 * ({@code port = -1}), the gRPC API on a free loopback port, pprof off. Its log goes to
 * {@code target/bench/<name>.log}. Closing it ends the daemon.
 */
final class GobgpDaemon implements AutoCloseable {

    /** Paths of the global RIB per family. */
    record Held(long ipv4, long ipv6) {
        long total() {
            return ipv4 + ipv6;
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int LOCAL_AS = SyntheticTable.LOCAL_AS;

    private final Process proc;
    private final int port;
    private final Path log;

    private GobgpDaemon(Process proc, int port, Path log) {
        this.proc = proc;
        this.port = port;
        this.log = log;
    }

    /** Fails early when gobgpd or gobgp is not on the PATH. */
    static void requireInstalled() throws Exception {
        for (String tool : List.of("gobgpd", "gobgp")) {
            Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0) {
                throw new IllegalStateException(tool + " --version failed: " + out);
            }
            System.out.println(out);
        }
    }

    /** Starts a daemon with its configuration in {@code dir}; returns once its API answers (30 s at most). */
    static GobgpDaemon start(Path dir, String name) throws Exception {
        Path config = dir.resolve(name + ".toml");
        Files.writeString(config, "[global.config]\n  as = " + LOCAL_AS + "\n  router-id = \"10.0.0.254\"\n"
                + "  port = -1\n");
        int port = EmbeddedKafka.freePort();
        Path log = ServiceProcess.LOGS.resolve(name + ".log");
        Process proc = new ProcessBuilder("gobgpd", "-f", config.toString(), "--api-hosts", "127.0.0.1:" + port,
                "--pprof-disable", "--log-plain").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        GobgpDaemon d = new GobgpDaemon(proc, port, log);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (d.client(log.resolveSibling(name + "-probe.log"), "global") != 0) {
                if (!proc.isAlive()) {
                    throw new IllegalStateException("gobgpd exited with " + proc.exitValue() + "; see " + log);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("gobgpd API not up within 30 s; see " + log);
                }
                Thread.sleep(100);
            }
            Files.deleteIfExists(log.resolveSibling(name + "-probe.log"));
            return d;
        } catch (Exception | Error e) {
            d.close();
            throw e;
        }
    }

    /**
     * Runs {@code gobgp mrt inject global FILE} and returns the seconds from its launch to its exit.
     * Fails when the client exits non-zero.
     */
    double inject(Path file, Path clientLog) throws Exception {
        long t0 = System.nanoTime();
        int rc = client(clientLog, "mrt", "inject", "global", file.toString());
        double secs = (System.nanoTime() - t0) / 1e9;
        if (rc != 0) {
            throw new IllegalStateException("gobgp mrt inject exited with " + rc + "; see " + clientLog);
        }
        return secs;
    }

    /** The paths in the global RIB now ({@code gobgp global rib summary -a ipv4|ipv6 -j}). */
    Held held() throws Exception {
        return new Held(count("ipv4"), count("ipv6"));
    }

    /**
     * The paths once the count stops changing: polled every 200 ms until two polls agree (30 s at
     * most), since the daemon may still be applying what the client sent before it exited.
     */
    Held settled() throws Exception {
        Held last = held();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Thread.sleep(200);
            Held now = held();
            if (now.equals(last)) {
                return now;
            }
            last = now;
        }
        throw new IllegalStateException("gobgpd's path count still changing after 30 s: " + last);
    }

    @Override
    public void close() throws InterruptedException {
        proc.destroy();
        if (!proc.waitFor(15, TimeUnit.SECONDS)) {
            proc.destroyForcibly();
            proc.waitFor();
        }
    }

    private long count(String family) throws Exception {
        Path out = Files.createTempFile("gobgp-summary", ".json");
        try {
            int rc = client(out, "global", "rib", "summary", "-a", family, "-j");
            String json = Files.readString(out);
            if (rc != 0) {
                throw new IllegalStateException("gobgp global rib summary -a " + family + " exited with " + rc + ": "
                        + json);
            }
            JsonNode summary = MAPPER.readTree(json);
            if (summary == null || !summary.isObject()) {
                throw new IllegalStateException("gobgp global rib summary -a " + family + " -j printed " + json);
            }
            return summary.path("num_path").asLong(); // left out when 0

        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Runs the {@code gobgp} client against this daemon, output to {@code out}; returns its exit code. */
    private int client(Path out, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("gobgp", "-p", Integer.toString(port)));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(600, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor();
            throw new IllegalStateException(String.join(" ", cmd) + " did not end within 600 s; see " + log);
        }
        return p.exitValue();
    }
}
