package io.meshwatch.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.event.BgpState;
import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.event.EventCodec;
import io.meshwatch.event.EventType;
import io.meshwatch.event.PeerStateEvent;
import io.meshwatch.event.RejectedRecordException;
import io.meshwatch.testing.Events;
import io.meshwatch.testing.KafkaBroker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/sim run} as an operator runs it, from the packaged application ({@code target/quarkus-app},
 * so Failsafe): it plays the network into the in-process broker, {@code bin/sim} drives a scenario on
 * its port unchanged, it reports progress, and SIGTERM flushes and exits 0.
 */
class StandaloneSimulatorIT {

    @Test
    void binSimRunPlaysTheNetworkServesBinSimAndStopsCleanlyOnSigterm() throws Exception {
        assertTrue(new ProcessBuilder("sh", "-c", "command -v curl").start().waitFor() == 0,
                "bin/sim needs curl, which is not installed (Debian package curl; bin/test installs it)");
        String bgp = "standalone-it-bgp-" + UUID.randomUUID();
        String telemetry = "standalone-it-telemetry-" + UUID.randomUUID();
        KafkaBroker.get().createTopics(List.of(bgp, telemetry), 4);
        Process sim = new ProcessBuilder("bin/sim", "run", "--bootstrap", KafkaBroker.bootstrap(), "--port", "0",
                "--bgp-topic", bgp, "--telemetry-topic", telemetry, "--extra-prefixes", "20", "--rate", "5",
                "--hold-time", "2s", "--dpd-timeout", "1s").start();
        Lines out = new Lines(sim.getInputStream());
        Lines err = new Lines(sim.getErrorStream());
        try {
            String first = out.await(l -> l.contains("scenario API at"), Duration.ofSeconds(60));
            Matcher m = Pattern.compile("scenario API at (http://127\\.0\\.0\\.1:\\d+)/api/v1/sim/scenarios").matcher(first);
            assertTrue(m.find(), first);
            String url = m.group(1);

            Result list = sim(url, "list");
            assertEquals(0, list.code(), list.out());
            assertTrue(list.out().contains("circuit-cut") && list.out().contains("classpath:inventory/demo.yaml"),
                    list.out());
            Result cut = sim(url, "circuit-cut", "--circuit", "dx-ash-use1", "--duration", "3s", "--wait");
            assertEquals(0, cut.code(), "bin/sim starts and follows a run on the simulator alone: " + cut.out());
            assertTrue(cut.out().contains("resolved"), cut.out());
            assertEquals(2, sim(url, "circuit-cut", "--circuit", "dx-nowhere").code(), "a 400 is exit 2 as ever");

            EventCodec codec = new EventCodec(new ObjectMapper());
            List<String> dropped = new ArrayList<>();
            for (var r : Events.await(bgp, r -> r.key().equals("cx-ash"), Integer.MAX_VALUE, Duration.ofSeconds(5))) {
                CanonicalEvent e = decode(codec, r.value());
                if (e instanceof PeerStateEvent p && p.state() == BgpState.IDLE) {
                    dropped.add(p.peer());
                }
            }
            assertEquals(List.of("169.254.10.2"), dropped, "the cut circuit's session dropped after the hold time");

            String progress = out.await(l -> l.contains("scenario runs: 1"), Duration.ofSeconds(30));
            assertTrue(progress.matches("sim run: \\d+ events sent \\(\\d+ BGP, \\d+ telemetry, \\d+ prefixes\\), \\d+ "
                    + "events/s; \\d+ acknowledged, 0 failed; scenario runs: 1"), progress);
        } finally {
            // SIGTERM through kill: Process.destroy() sends it too, but closes our ends of the pipes first
            assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(sim.pid())).start().waitFor());
        }
        assertTrue(sim.waitFor(30, TimeUnit.SECONDS), "it stops on SIGTERM");
        out.join();
        err.join();
        assertEquals(0, sim.exitValue(), "SIGTERM is a normal stop: " + out.text() + err.text());
        assertTrue(out.text().contains("Simulator stopped after"), out.text());
        Matcher stopped = Pattern.compile("stopped after \\d+ s: (\\d+) events sent .*, (\\d+) acknowledged, 0 failed")
                .matcher(out.text());
        assertTrue(stopped.find(), out.text());
        assertEquals(stopped.group(1), stopped.group(2), "flushed: everything sent was acknowledged");
        assertEquals("", err.text(), "nothing on stderr, kafka-clients' log included");
    }

    private static CanonicalEvent decode(EventCodec codec, byte[] value) {
        try {
            return codec.decode(value, EventType.Family.BGP);
        } catch (RejectedRecordException e) {
            throw new AssertionError(e);
        }
    }

    private record Result(int code, String out) {
    }

    private static Result sim(String url, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bin/sim"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--url", url));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("bin/sim " + String.join(" ", args) + " did not end: " + text);
        }
        return new Result(p.exitValue(), text);
    }

    /** A process's output, read line by line on its own thread. */
    private static final class Lines extends Thread {
        private final BufferedReader in;
        private final List<String> lines = new ArrayList<>();

        Lines(InputStream stream) {
            this.in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
            setDaemon(true);
            start();
        }

        @Override
        public void run() {
            try {
                for (String l = in.readLine(); l != null; l = in.readLine()) {
                    synchronized (this) {
                        lines.add(l);
                        notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }

        synchronized String await(java.util.function.Predicate<String> match, Duration wait)
                throws InterruptedException {
            long deadline = System.nanoTime() + wait.toNanos();
            while (true) {
                for (String l : lines) {
                    if (match.test(l)) {
                        return l;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !isAlive()) {
                    throw new AssertionError("no such line within " + wait + ":\n" + String.join("\n", lines));
                }
                wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }

        synchronized String text() {
            return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
        }
    }
}
