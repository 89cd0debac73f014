package io.meshwatch.relay;

import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.event.EventCodec;
import io.meshwatch.event.EventType;
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
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The loop shared by the line-oriented relays ({@code bin/exabgp-relay}, {@code bin/gnmi-relay}):
 * reads lines from standard input or files, maps each to canonical events, and produces them keyed
 * by router id to the BGP or telemetry topic of their type. A line the mapper refuses (an
 * {@link IllegalArgumentException}) is counted, reported with its line number (the first ten), and
 * skipped. Runs on the calling thread; only the failure counter is touched by the producer's thread.
 */
public final class LineRelay {

    /** Maps one input line; throws {@link IllegalArgumentException} (or {@link IOException}) to refuse it. */
    @FunctionalInterface
    public interface LineMapper {
        void map(String line, Consumer<CanonicalEvent> out) throws IOException;
    }

    /** What a run did. */
    public record Summary(long lines, long events, long refused, long failed) {
        Summary plus(Summary o) {
            return new Summary(lines + o.lines, events + o.events, refused + o.refused, failed + o.failed);
        }
    }

    /** Common options: {@code --bootstrap}, {@code --bgp-topic}, {@code --telemetry-topic}, files. */
    public record Options(String bootstrap, String bgpTopic, String telemetryTopic, List<Path> files) {
    }

    private final String name;
    private final String source;
    private final PrintStream err;

    /**
     * @param name   the command's name, for messages
     * @param source the envelope's {@code source} field ({@code exabgp}, {@code gnmi}, ...)
     */
    public LineRelay(String name, String source, PrintStream err) {
        this.name = name;
        this.source = source;
        this.err = err;
    }

    /** Relays with a producer for {@code options.bootstrap()}; returns the exit code (0 done, 1 failures). */
    public int run(Options options, LineMapper mapper) {
        Properties p = MrtReplay.producerConfig(options.bootstrap());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "meshwatch-" + name);
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        try (Producer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            Summary total = new Summary(0, 0, 0, 0);
            if (options.files().isEmpty()) {
                total = relay(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), "stdin",
                        options, mapper, producer);
            }
            for (Path f : options.files()) {
                try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                    total = total.plus(relay(r, f.toString(), options, mapper, producer));
                }
            }
            err.printf("%s: %d lines, %d events, %d lines refused, %d events failed%n", name, total.lines(),
                    total.events(), total.refused(), total.failed());
            return total.failed() == 0 ? 0 : 1;
        } catch (IOException e) {
            err.println(name + ": " + e.getMessage());
            return 1;
        }
    }

    /** Relays every line of {@code in}, then flushes the producer. */
    public Summary relay(BufferedReader in, String input, Options options, LineMapper mapper,
                         Producer<String, byte[]> producer) throws IOException {
        EventCodec codec = new EventCodec(new com.fasterxml.jackson.databind.ObjectMapper());
        AtomicLong failed = new AtomicLong();
        long lines = 0;
        long events = 0;
        long refused = 0;
        List<CanonicalEvent> batch = new ArrayList<>();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            lines++;
            if (line.isBlank()) {
                continue;
            }
            batch.clear();
            try {
                mapper.map(line, batch::add);
            } catch (IOException | IllegalArgumentException e) {
                if (++refused <= 10) {
                    err.printf("%s: %s line %d refused: %s%n", name, input, lines, firstLine(e.getMessage()));
                }
                continue;
            }
            for (CanonicalEvent e : batch) {
                events++;
                String topic = e.type().family() == EventType.Family.BGP ? options.bgpTopic() : options.telemetryTopic();
                producer.send(new ProducerRecord<>(topic, e.router(), codec.encode(e, source)), (md, ex) -> {
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

    /**
     * Parses the common options; {@code extra} takes a command's own options (name, value) and
     * returns false for an unknown one.
     *
     * @throws IllegalArgumentException on a bad option, with the message to print
     */
    public static Options options(String[] args, java.util.function.BiPredicate<String, String> extra) {
        String bootstrap = "localhost:9092";
        String bgp = "meshwatch.bgp.v1";
        String telemetry = "meshwatch.telemetry.v1";
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                files.add(Path.of(a));
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--bootstrap" -> bootstrap = v;
                case "--bgp-topic" -> bgp = v;
                case "--telemetry-topic" -> telemetry = v;
                default -> {
                    if (!extra.test(a, v)) {
                        throw new IllegalArgumentException("unknown option " + a);
                    }
                }
            }
        }
        return new Options(bootstrap, bgp, telemetry, List.copyOf(files));
    }
}
