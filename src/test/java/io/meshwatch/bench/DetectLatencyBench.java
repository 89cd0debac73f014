package io.meshwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Detection latency under load (issue 4's figure): from an event entering Kafka to the signal it
 * causes, with a background of telemetry at a fixed rate.
 *
 * <p>A fresh {@link ScratchKafka} and the packaged service (demo inventory) are started untimed.
 * One producer thread sends {@code RATE} telemetry events per second (probe rounds within the
 * circuits' thresholds and interface counters, spread over the demo's routers) and, every
 * {@code 1000 / TRIGGERS} ms, an {@code interface.state} of the ExpressRoute circuit's A end
 * ({@code cx-ash eth2}), alternately down and up, stamped with the wall clock at send. Each one
 * makes the service raise or resolve {@code CircuitDown} at once (no dwell on that rule), so the
 * signal's detection latency (decision time minus event time, both on this machine's clock) is the
 * pipeline's: produce, broker, fetch, decode, detect.
 *
 * <p>The peer in the same run is a bare {@link KafkaConsumer} on the telemetry topic with default
 * fetch settings, measuring receipt time minus the record's create time for every record.
 * After {@code WARMUP} seconds, {@code SECONDS} seconds are measured; the signals come from
 * {@code GET /api/v1/signals?status=recent}. Prints {@code RESULT} lines.
 *
 * <p>Arguments: SECONDS (default 60), RATE (10000), TRIGGERS per second (5), WARMUP (15). Environment
 * {@code DETECT_MODE}: {@code local} (default) or {@code facts} (detection through the facts topic).
 */
public final class DetectLatencyBench {

    private static final String TELEMETRY = "meshwatch.telemetry.v1";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String[] ROUTERS = {"tr-use1", "tr-euw1", "tr-apse1", "cx-ash", "cx-fra"};

    private DetectLatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int triggers = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 15;
        ServiceProcess.requireJar();
        try (ScratchKafka kafka = ScratchKafka.start();
             ServiceProcess service = ServiceProcess.start(kafka.bootstrapServers(), "detect", "latency",
                     Map.of("MESHWATCH_INVENTORY_FILE", "classpath:inventory/demo.yaml",
                             "MESHWATCH_DB_NAME", System.getenv().getOrDefault("E2E_DB_NAME", "meshwatch_bench"),
                             // local: detection in process; facts: through the facts topic and the owner (ADR 0003)
                             "MESHWATCH_DETECT_MODE", System.getenv().getOrDefault("DETECT_MODE", "local"),
                             // every trigger must raise or resolve at once: no resolve hold-down
                             "MESHWATCH_DETECT_RESOLVE_HOLD_DOWN", "0s"))) {
            System.out.println("detection mode: " + System.getenv().getOrDefault("DETECT_MODE", "local"));
            AtomicBoolean stop = new AtomicBoolean();
            List<Long> peerMicros = new ArrayList<>();
            long measureFrom = System.currentTimeMillis() + warmup * 1000L;
            Thread peer = new Thread(() -> peer(kafka.bootstrapServers(), stop, measureFrom, peerMicros), "peer");
            peer.start();
            long[] sent = produce(kafka.bootstrapServers(), rate, triggers, warmup + seconds);
            Thread.sleep(2000);
            stop.set(true);
            peer.join();
            double achieved = sent[0] / (double) (warmup + seconds);
            System.out.printf(Locale.ROOT, "produced %d background events (%.0f/s) and %d triggers%n", sent[0],
                    achieved, sent[1]);

            JsonNode signals = MAPPER.readTree(service.api("/api/v1/signals?status=recent&limit=1000"));
            List<Long> micros = new ArrayList<>();
            for (JsonNode s : signals) {
                boolean firing = s.path("status").asText().equals("firing");
                String at = firing ? s.path("startedAt").asText() : s.path("endedAt").asText();
                if (s.path("name").asText().equals("CircuitDown")
                        && s.path("labels").path("circuit").asText().equals("er-ash-azure")
                        && Instant.parse(at).toEpochMilli() >= measureFrom) {
                    micros.add(Math.round(s.path("detectionLatencySeconds").asDouble() * 1_000_000));
                }
            }
            long expected = (long) seconds * triggers;
            System.out.printf(Locale.ROOT, "signals measured: %d of about %d triggers%n", micros.size(), expected);
            if (micros.size() < expected * 9 / 10) {
                throw new IllegalStateException("only " + micros.size() + " CircuitDown transitions seen for about "
                        + expected + " triggers; see " + ServiceProcess.LOGS);
            }
            report("detect_latency", micros);
            report("kafka_consumer_latency", peerMicros);
            // where the time goes, from the service's own histograms (warm-up included)
            String metrics = service.api("/q/metrics");
            stage(metrics, "meshwatch_ingest_processing_latency_seconds", "topic=\"meshwatch.telemetry.v1\"");
            stage(metrics, "meshwatch_detect_facts_publish_seconds", "");
            stage(metrics, "meshwatch_detect_facts_delay_seconds", "");
            System.out.printf(Locale.ROOT, "RESULT detect_background_events_per_s %.0f%n", achieved);
        }
    }

    /**
     * Prints p50 and p99 of a Prometheus histogram from its cumulative buckets (the upper bound of
     * the bucket the quantile falls in), for series whose labels contain {@code labels}; nothing when
     * the histogram is absent or empty (local mode has no facts).
     */
    static void stage(String metrics, String name, String labels) {
        java.util.TreeMap<Double, Double> buckets = new java.util.TreeMap<>();
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + "_bucket{") && line.contains(labels)) {
                int le = line.indexOf("le=\"") + 4;
                String bound = line.substring(le, line.indexOf('"', le));
                double at = bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
                buckets.merge(at, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
            }
        }
        if (buckets.isEmpty()) {
            return;
        }
        double total = buckets.lastEntry().getValue();
        if (total == 0) {
            return;
        }
        StringBuilder out = new StringBuilder("stage " + name + " (" + (long) total + " samples):");
        for (double q : new double[] {0.5, 0.99}) {
            for (var e : buckets.entrySet()) {
                if (e.getValue() >= q * total) {
                    out.append(String.format(Locale.ROOT, " p%.0f <= %.1f ms", q * 100, e.getKey() * 1000));
                    break;
                }
            }
        }
        System.out.println(out);
    }

    static void report(String name, List<Long> micros) {
        long[] v = micros.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "RESULT %s_p50_ms %.1f%n", name, pct(v, 0.50) / 1000.0);
        System.out.printf(Locale.ROOT, "RESULT %s_p99_ms %.1f%n", name, pct(v, 0.99) / 1000.0);
        System.out.printf(Locale.ROOT, "RESULT %s_max_ms %.1f%n", name, v[v.length - 1] / 1000.0);
        System.out.printf(Locale.ROOT, "RESULT %s_samples %d%n", name, v.length);
    }

    static long pct(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    /** Background at {@code rate} per second plus triggers; returns {background, triggers} sent. */
    static long[] produce(String bootstrap, int rate, int triggers, int seconds) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("linger.ms", "0");
        p.put("acks", "1");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            long start = System.nanoTime();
            long end = start + Duration.ofSeconds(seconds).toNanos();
            long triggerEvery = 1_000_000_000L / triggers;
            long nextTrigger = start + triggerEvery;
            long background = 0;
            long fired = 0;
            boolean down = true;
            while (true) {
                long now = System.nanoTime();
                if (now >= end) {
                    break;
                }
                if (now >= nextTrigger) {
                    String json = """
                            {"version":1,"type":"interface.state","router":"cx-ash","time":"%s","source":"bench",
                             "payload":{"interface":"eth2","oper_status":"%s","admin_status":"up"}}"""
                            .formatted(Instant.now(), down ? "down" : "up");
                    producer.send(new ProducerRecord<>(TELEMETRY, "cx-ash", json.getBytes(StandardCharsets.UTF_8)));
                    down = !down;
                    fired++;
                    nextTrigger += triggerEvery;
                }
                long due = (now - start) * rate / 1_000_000_000L;
                while (background < due) {
                    String router = ROUTERS[(int) (background % ROUTERS.length)];
                    producer.send(new ProducerRecord<>(TELEMETRY, router, background(router, background)));
                    background++;
                }
                Thread.onSpinWait();
            }
            producer.flush();
            return new long[] {background, fired};
        }
    }

    private static byte[] background(String router, long n) {
        String json;
        if (n % 2 == 0) {
            json = """
                    {"version":1,"type":"probe.result","router":"%s","time":"%s","source":"bench",
                     "payload":{"target":"10.1.0.10","circuit":"dx-ash-use1","latency_ms":%.2f,"jitter_ms":0.3,
                      "loss_pct":0.0,"sent":20,"received":20}}""".formatted(router, Instant.now(), 2.0 + (n % 7) / 10.0);
        } else {
            json = """
                    {"version":1,"type":"interface.counters","router":"%s","time":"%s","source":"bench",
                     "payload":{"interface":"eth9","in_octets":%d,"out_octets":%d}}"""
                    .formatted(router, Instant.now(), n * 1500, n * 1400);
        }
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static void peer(String bootstrap, AtomicBoolean stop, long measureFrom, List<Long> micros) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("group.id", "bench-peer-" + UUID.randomUUID());
        p.put("auto.offset.reset", "latest");
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            c.subscribe(List.of(TELEMETRY));
            while (!stop.get()) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
                    long now = System.currentTimeMillis();
                    if (r.timestamp() >= measureFrom) {
                        micros.add((now - r.timestamp()) * 1000);
                    }
                }
            }
        }
    }

    static String fmt(double[] v) {
        return Arrays.toString(v);
    }
}
