package io.meshwatch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.event.EventCodec;
import io.meshwatch.event.EventType;
import io.meshwatch.ingest.IngestMetrics;
import io.meshwatch.platform.MeshwatchConfig;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the per-record processing-latency histogram costs on the ingest path: {@link #applied}
 * is {@link IngestMetrics#applied} over one batch of 2000 records (the real Prometheus registry);
 * its peers in the same run are {@link #timestampsOnly} (the same loop without the histogram) and
 * {@link #decodeProbe} (decoding one probe.result record, work every record does anyway). Scores
 * are per record. Not run by the build: see docs/benchmarks.md for the command.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class IngestMetricsBench {

    private static final int BATCH = 2000;
    private IngestMetrics metrics;
    private List<KafkaRecord<String, byte[]>> records;
    private EventCodec codec;
    private byte[] probe;

    @Setup
    public void setUp() throws Exception {
        MeshwatchConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withConverter(java.time.Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .withSources(new PropertiesConfigSource(Path.of("src/main/resources/application.properties").toUri()
                        .toURL(), 250))
                .withMapping(MeshwatchConfig.class).withValidateUnknown(false).build()
                .getConfigMapping(MeshwatchConfig.class);
        metrics = new IngestMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC(), config);
        probe = Files.readAllBytes(Path.of("src/main/resources/schemas/examples/probe.result.v1.json"));
        records = new ArrayList<>(BATCH);
        Instant now = Instant.now();
        for (int i = 0; i < BATCH; i++) {
            records.add(KafkaRecord.of("meshwatch.telemetry.v1", "r" + (i % 50), probe, now.minusMillis(i % 700), i % 4));
        }
        codec = new EventCodec(new ObjectMapper());
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void applied() {
        metrics.applied("meshwatch.telemetry.v1", records);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long timestampsOnly() {
        long sum = 0;
        long now = System.currentTimeMillis();
        for (KafkaRecord<String, byte[]> r : records) {
            sum += Math.max(0, now - r.getTimestamp().toEpochMilli());
        }
        return sum;
    }

    @Benchmark
    public Object decodeProbe() throws Exception {
        return codec.decode(probe, EventType.Family.TELEMETRY);
    }
}
