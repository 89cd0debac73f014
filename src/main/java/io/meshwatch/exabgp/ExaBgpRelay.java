package io.meshwatch.exabgp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.event.EventCodec;
import io.meshwatch.mrt.MrtReplay;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Relays ExaBGP's JSON API to Kafka as canonical events:
 * {@code ExaBgpRelay [--bootstrap host:port] [--topic meshwatch.bgp.v1] [--router ID] [FILE...]}.
 * Without files it reads standard input, so ExaBGP can run it as an API process
 * ({@code encoder json}); with files it replays recorded API output.
 *
 * <p>Each event is a record keyed by the router id. A line that is not an ExaBGP message is
 * counted, reported on stderr with its line number (the first ten), and skipped. Exit codes: 0 done,
 * 1 Kafka refused events or a file could not be read, 2 bad arguments. Runs on the calling thread.
 */
public final class ExaBgpRelay {

    static final String USAGE = "usage: exabgp-relay [--bootstrap host:port] [--topic meshwatch.bgp.v1] "
            + "[--router ID] [FILE...]";

    /** What a run did. */
    public record Summary(long lines, long events, long refused, long failed) {
    }

    private ExaBgpRelay() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.err));
    }

    /** The command; returns the exit code. */
    public static int run(String[] args, PrintStream err) {
        String bootstrap = "localhost:9092";
        String topic = "meshwatch.bgp.v1";
        String router = null;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--") && i + 1 >= args.length) {
                err.println("exabgp-relay: " + a + " needs a value");
                err.println(USAGE);
                return 2;
            }
            switch (a) {
                case "--bootstrap" -> bootstrap = args[++i];
                case "--topic" -> topic = args[++i];
                case "--router" -> router = args[++i];
                default -> {
                    if (a.startsWith("--")) {
                        err.println("exabgp-relay: unknown option " + a);
                        err.println(USAGE);
                        return 2;
                    }
                    files.add(Path.of(a));
                }
            }
        }
        Properties p = MrtReplay.producerConfig(bootstrap);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "meshwatch-exabgp-relay");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        try (Producer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            Summary total = new Summary(0, 0, 0, 0);
            if (files.isEmpty()) {
                total = relay(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), "stdin",
                        router, topic, producer, err);
            }
            for (Path f : files) {
                try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                    Summary s = relay(r, f.toString(), router, topic, producer, err);
                    total = new Summary(total.lines() + s.lines(), total.events() + s.events(),
                            total.refused() + s.refused(), total.failed() + s.failed());
                }
            }
            err.printf("exabgp-relay: %d lines, %d events, %d lines refused, %d events failed%n", total.lines(),
                    total.events(), total.refused(), total.failed());
            return total.failed() == 0 ? 0 : 1;
        } catch (IOException e) {
            err.println("exabgp-relay: " + e.getMessage());
            return 1;
        }
    }

    /** Relays every line of {@code in}, then flushes the producer. */
    public static Summary relay(BufferedReader in, String name, String router, String topic,
                                Producer<String, byte[]> producer, PrintStream err) throws IOException {
        ObjectMapper json = new ObjectMapper();
        EventCodec codec = new EventCodec(json);
        ExaBgpMapper mapper = new ExaBgpMapper(router);
        AtomicLong failed = new AtomicLong();
        long lines = 0;
        long events = 0;
        long refused = 0;
        List<io.meshwatch.event.CanonicalEvent> batch = new ArrayList<>();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            lines++;
            if (line.isBlank()) {
                continue;
            }
            batch.clear();
            try {
                mapper.map(json.readTree(line), batch::add);
            } catch (IOException | IllegalArgumentException e) {
                if (++refused <= 10) {
                    err.printf("exabgp-relay: %s line %d refused: %s%n", name, lines, firstLine(e.getMessage()));
                }
                continue;
            }
            for (io.meshwatch.event.CanonicalEvent e : batch) {
                events++;
                producer.send(new ProducerRecord<>(topic, e.router(), codec.encode(e, "exabgp")), (md, ex) -> {
                    if (ex != null) {
                        failed.incrementAndGet();
                    }
                });
            }
        }
        producer.flush();
        return new Summary(lines, events, refused, failed.get());
    }

    private static String firstLine(String s) {
        String m = String.valueOf(s);
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
