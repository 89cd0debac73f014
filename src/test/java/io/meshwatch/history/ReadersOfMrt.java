package io.meshwatch.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.dev.EmbeddedKafka;
import io.meshwatch.testing.ExternalProgram;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The two real MRT readers the export is checked with: bgpdump ({@code bgpdump -m}, one line per
 * RIB entry) and GoBGP ({@code gobgp mrt inject global FILE} into a fresh {@code gobgpd}, then its
 * global RIB as JSON). Both fail the test with their Debian package's name when missing.
 *
 * <p>GoBGP 3.10's inject client exits without waiting for its sending goroutine, so the paths it has
 * queued when it reads the end of the file are lost (docs/benchmarks.md, "MRT load"). The file is
 * therefore handed to it through a named pipe that carries the export's bytes unchanged and closes two
 * seconds after the last byte: the client has sent everything before it sees the end. The exports
 * given to it stay below the pipe's 64 KiB buffer, so its reads of a header or a body are never short.
 */
final class ReadersOfMrt {

    /** One RIB entry as GoBGP holds it. */
    record GobgpPath(String prefix, boolean best, String sourceId, String nextHop, String asPath, Long localPref,
                     Long med) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReadersOfMrt() {
    }

    /** {@code bgpdump -m FILE}: one line per RIB entry, in file order. */
    static List<String> bgpdump(Path file) throws Exception {
        Path bgpdump = ExternalProgram.require("bgpdump", "bgpdump");
        Path out = Files.createTempFile("bgpdump", ".txt");
        try {
            Process p = new ProcessBuilder(bgpdump.toString(), "-m", file.toString())
                    .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("bgpdump did not end within 300 s");
            }
            if (p.exitValue() != 0) {
                throw new AssertionError("bgpdump -m " + file + " exited with " + p.exitValue());
            }
            return Files.readAllLines(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /**
     * Injects {@code mrt} (at most 60 KiB) into a fresh gobgpd and returns its global RIB, by prefix,
     * every path of it.
     *
     * @param onlyBest {@code --only-best}: GoBGP injects only the first entry of each RIB record
     */
    static Map<String, List<GobgpPath>> gobgp(byte[] mrt, Path parent, boolean onlyBest) throws Exception {
        Path dir = Files.createTempDirectory(parent, "gobgp");
        if (mrt.length > 60 * 1024) {
            throw new IllegalArgumentException("export of " + mrt.length + " bytes is too big for the pipe");
        }
        Path gobgpd = ExternalProgram.require("gobgpd", "gobgpd");
        Path gobgp = ExternalProgram.require("gobgp", "gobgpd");
        Path config = dir.resolve("gobgpd.toml");
        Files.writeString(config, "[global.config]\n  as = 65000\n  router-id = \"10.0.0.254\"\n  port = -1\n");
        int port = EmbeddedKafka.freePort();
        Path log = dir.resolve("gobgpd.log");
        Process daemon = new ProcessBuilder(gobgpd.toString(), "-f", config.toString(), "--api-hosts",
                "127.0.0.1:" + port, "--pprof-disable", "--log-plain").redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (client(gobgp, port, dir.resolve("probe.txt"), "global") != 0) {
                if (!daemon.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("gobgpd did not start; its log: " + Files.readString(log));
                }
                Thread.sleep(100);
            }
            Path fifo = dir.resolve("export.mrt");
            Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
            if (mk.waitFor() != 0) {
                throw new AssertionError("mkfifo failed");
            }
            Thread writer = new Thread(() -> {
                try (OutputStream o = Files.newOutputStream(fifo)) {
                    o.write(mrt);
                    o.flush();
                    Thread.sleep(2000);
                } catch (IOException | InterruptedException e) {
                    // the reader went away; its exit code tells
                }
            }, "fifo-writer");
            writer.start();
            Path injectLog = dir.resolve("inject.txt");
            int rc = onlyBest ? client(gobgp, port, injectLog, "mrt", "inject", "global", "--only-best", fifo.toString())
                    : client(gobgp, port, injectLog, "mrt", "inject", "global", fifo.toString());
            writer.join();
            String injected = Files.readString(injectLog);
            if (rc != 0 || !injected.isBlank()) {
                throw new AssertionError("gobgp mrt inject global exited with " + rc + ": " + injected);
            }
            Map<String, List<GobgpPath>> rib = new TreeMap<>();
            for (String family : List.of("ipv4", "ipv6")) {
                Path out = dir.resolve("rib-" + family + ".json");
                if (client(gobgp, port, out, "global", "rib", "-a", family, "-j") != 0) {
                    throw new AssertionError("gobgp global rib failed: " + Files.readString(out));
                }
                JsonNode root = JSON.readTree(Files.readString(out));
                for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    List<GobgpPath> paths = new ArrayList<>();
                    for (JsonNode p : e.getValue()) {
                        paths.add(path(e.getKey(), p));
                    }
                    rib.put(e.getKey(), paths);
                }
            }
            return rib;
        } finally {
            daemon.destroy();
            if (!daemon.waitFor(15, TimeUnit.SECONDS)) {
                daemon.destroyForcibly();
            }
        }
    }

    private static GobgpPath path(String prefix, JsonNode p) {
        String nextHop = null;
        StringBuilder asPath = new StringBuilder();
        Long localPref = null;
        Long med = null;
        for (JsonNode a : p.path("attrs")) {
            switch (a.path("type").asInt()) {
                case 2 -> {
                    for (JsonNode seg : a.path("as_paths")) {
                        List<String> asns = new ArrayList<>();
                        seg.path("asns").forEach(n -> asns.add(n.asText()));
                        if (!asPath.isEmpty()) {
                            asPath.append(' ');
                        }
                        asPath.append(seg.path("segment_type").asInt() == 1 ? "{" + String.join(",", asns) + "}"
                                : String.join(" ", asns));
                    }
                }
                case 3 -> nextHop = a.path("nexthop").asText();
                case 4 -> med = a.path("metric").asLong();
                case 5 -> localPref = a.path("value").asLong();
                case 14 -> nextHop = a.path("nexthop").asText();
                default -> {
                }
            }
        }
        return new GobgpPath(prefix, p.path("best").asBoolean(), p.path("source-id").asText(), nextHop,
                asPath.toString(), localPref, med);
    }

    private static int client(Path gobgp, int port, Path out, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(gobgp.toString(), "-p", Integer.toString(port)));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " did not end within 120 s");
        }
        return p.exitValue();
    }
}
