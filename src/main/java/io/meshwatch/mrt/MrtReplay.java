package io.meshwatch.mrt;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.event.EventCodec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Replays MRT files to Kafka as canonical events:
 * {@code MrtReplay [--bootstrap host:port] [--topic meshwatch.bgp.v1] [--router ID] [--rate N/s] FILE...}.
 *
 * <p>Each event is a record keyed by the router id (so one router's events stay in order on one
 * partition) whose value is {@link EventCodec#encode} with source {@code mrt}. Progress goes to
 * stderr every second, a summary at the end. Exit codes: 0 done, 1 Kafka refused events or a file
 * could not be opened, 2 bad arguments. Runs on the calling thread; the producer's own I/O thread
 * reports acknowledgements.
 */
public final class MrtReplay {

    /** What a replay did. */
    public record Summary(long records, long events, long prefixes, long acknowledged, long failed,
                          Map<SkipReason, Long> skipped, double seconds) {
    }

    private final ReplayOptions options;
    private final Producer<String, byte[]> producer;
    private final PrintStream err;
    private final EventCodec codec = new EventCodec(new ObjectMapper());
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
    private final Map<SkipReason, Long> skipped = new EnumMap<>(SkipReason.class);
    private long records;
    private long sent;
    private long start;

    private MrtReplay(ReplayOptions options, Producer<String, byte[]> producer, PrintStream err) {
        this.options = options;
        this.producer = producer;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.err));
    }

    /** The command: parses {@code args}, replays, prints to {@code err}; returns the exit code. */
    public static int run(String[] args, PrintStream err) {
        ReplayOptions options;
        try {
            options = ReplayOptions.parse(args);
        } catch (ReplayOptions.UsageException e) {
            err.println("mrt-replay: " + e.getMessage());
            err.println(ReplayOptions.USAGE);
            return 2;
        }
        try {
            Summary s = replay(options, err);
            return s.failed() == 0 ? 0 : 1;
        } catch (IOException e) {
            err.println("mrt-replay: " + e.getMessage());
            return 1;
        }
    }

    /**
     * Replays with a producer made from {@link #producerConfig(String)}, closed at the end.
     *
     * @throws IOException when a file cannot be read or Kafka cannot be reached within
     *                     {@code max.block.ms} (the topic's partitions are looked up first)
     */
    public static Summary replay(ReplayOptions options, PrintStream err) throws IOException {
        try (Producer<String, byte[]> producer = new KafkaProducer<>(producerConfig(options.bootstrap()),
                new StringSerializer(), new ByteArraySerializer())) {
            try {
                producer.partitionsFor(options.topic());
            } catch (KafkaException e) {
                throw new IOException("cannot reach Kafka at " + options.bootstrap() + " for topic "
                        + options.topic() + ": " + e.getMessage(), e);
            }
            return replay(options, producer, err);
        }
    }

    /** Replays into the given producer (flushed, not closed). */
    public static Summary replay(ReplayOptions options, Producer<String, byte[]> producer, PrintStream err)
            throws IOException {
        return new MrtReplay(options, producer, err).replayAll();
    }

    /** Producer settings: idempotent, acks=all, large lingering batches, lz4. */
    public static Properties producerConfig(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "50");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(512 * 1024));
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(128L * 1024 * 1024));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "meshwatch-mrt-replay");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        return p;
    }

    private Summary replayAll() throws IOException {
        start = System.nanoTime();
        long prefixes = 0;
        long events = 0;
        for (Path file : options.files()) {
            MrtEventMapper mapper = new MrtEventMapper(options.router(), this::send);
            replayFile(file, mapper);
            prefixes += mapper.prefixes();
            events += mapper.events();
        }
        producer.flush();
        double seconds = (System.nanoTime() - start) / 1e9;
        Summary s = new Summary(records, events, prefixes, acked.get(), failed.get(), Map.copyOf(skipped), seconds);
        err.printf("mrt-replay: done: %d records, %d events (%d acknowledged, %d failed), %d prefixes in %.1f s,"
                + " %.0f records/s, %.0f events/s%n", s.records(), s.events(), s.acknowledged(), s.failed(),
                s.prefixes(), seconds, s.records() / Math.max(seconds, 1e-9), s.events() / Math.max(seconds, 1e-9));
        if (firstFailure.get() != null) {
            err.println("mrt-replay: first Kafka failure: " + firstFailure.get());
        }
        return s;
    }

    private void replayFile(Path file, MrtEventMapper mapper) throws IOException {
        long size = Math.max(1, Files.size(file));
        long fileStart = System.nanoTime();
        long lastReport = fileStart;
        long recordsBefore = records;
        try (MrtReader reader = MrtReader.open(file)) {
            while (reader.hasNext() && firstFailure.get() == null) {
                mapper.accept(reader.next());
                records = recordsBefore + reader.stats().records();
                long now = System.nanoTime();
                if (now - lastReport >= 1_000_000_000L) {
                    lastReport = now;
                    progress(file, reader, size, fileStart, now, mapper);
                }
            }
            mapper.flush();
            records = recordsBefore + reader.stats().records();
            MrtStats stats = reader.stats();
            stats.skipped().forEach((reason, n) -> skipped.merge(reason, n, Long::sum));
            double secs = (System.nanoTime() - fileStart) / 1e9;
            err.printf("mrt-replay: %s: %d records, %d events, %d prefixes in %.1f s (%.0f records/s); %d records "
                    + "skipped%n", file.getFileName(), stats.records(), mapper.events(), mapper.prefixes(), secs,
                    stats.records() / Math.max(secs, 1e-9), stats.recordsSkipped());
            if (!stats.skipped().isEmpty()) {
                err.print(stats.describeSkips());
            }
        }
    }

    private void progress(Path file, MrtReader reader, long size, long fileStart, long now, MrtEventMapper mapper) {
        double fraction = Math.min(1.0, reader.sourceBytesRead() / (double) size);
        double elapsed = (now - fileStart) / 1e9;
        long eta = fraction > 0 ? Math.round(elapsed * (1 - fraction) / fraction) : -1;
        err.printf("mrt-replay: %s %5.1f%% records=%d events=%d prefixes=%d acked=%d %.0f records/s ETA %s%n",
                file.getFileName(), fraction * 100, reader.stats().records(), mapper.events(), mapper.prefixes(),
                acked.get(), reader.stats().records() / Math.max(elapsed, 1e-9),
                eta < 0 ? "?" : String.format("%d:%02d", eta / 60, eta % 60));
    }

    private void send(CanonicalEvent e) {
        pace();
        sent++;
        producer.send(new ProducerRecord<>(options.topic(), e.router(), codec.encode(e, "mrt")), (md, ex) -> {
            if (ex == null) {
                acked.incrementAndGet();
            } else {
                failed.incrementAndGet();
                firstFailure.compareAndSet(null, ex);
            }
        });
    }

    /** Sleeps while more events were sent than {@code --rate} allows since the start. */
    private void pace() {
        if (options.rate() <= 0) {
            return;
        }
        long due = start + (long) (sent / options.rate() * 1e9);
        long wait = due - System.nanoTime();
        if (wait > 1_000_000) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
