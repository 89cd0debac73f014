package io.meshwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.dev.EmbeddedKafka;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Event-to-webhook latency under load (issue 5's figure): from the canonical event entering Kafka
 * (the producer's send time, which is also the event's {@code time}) to the webhook request for the
 * alert it raises or resolves arriving at a Vert.x receiver on loopback, with a background of valid
 * telemetry at a fixed rate on the same topic.
 *
 * <p>A fresh {@link ScratchKafka} (plus the alerts topic) and the packaged service (demo inventory,
 * one webhook receiver {@code bench} pointing at this JVM) are started untimed. The load is
 * {@link DetectLatencyBench#produce}'s: {@code RATE} background events per second and, every
 * {@code 1000 / TRIGGERS} ms, the ExpressRoute circuit's A end alternately down and up, each raising
 * or resolving {@code CircuitDown} at once. The receiver takes each POST's arrival time minus the
 * alert's {@code startsAt} (firing) or {@code endsAt} (resolved), which are that event's time.
 *
 * <p>The peer in the same run is the bare detection latency of the same transitions (decision time
 * minus event time, from {@code GET /api/v1/signals?status=recent}): the difference is what the
 * alert store, the outbox and the HTTP delivery add. After {@code WARMUP} seconds, {@code SECONDS}
 * seconds are measured. Prints {@code RESULT} lines.
 *
 * <p>Arguments: SECONDS (default 40), RATE (1000), TRIGGERS per second (5), WARMUP (15).
 */
public final class AlertLatencyBench {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AlertLatencyBench() {
    }

    private static double sample(String metrics, String name) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).strip());
            }
        }
        return 0;
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int triggers = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 15;
        ServiceProcess.requireJar();
        Vertx vertx = Vertx.vertx();
        List<long[]> arrivals = new CopyOnWriteArrayList<>(); // {arrival ms, event ms}
        int hookPort = EmbeddedKafka.freePort();
        vertx.createHttpServer().requestHandler(req -> {
            long at = System.currentTimeMillis();
            req.body().onSuccess(b -> {
                JsonObject alert = new JsonObject(b.toString()).getJsonArray("alerts").getJsonObject(0);
                boolean firing = "firing".equals(alert.getString("status"));
                if ("er-ash-azure".equals(alert.getJsonObject("labels").getString("circuit"))) {
                    long event = Instant.parse(firing ? alert.getString("startsAt") : alert.getString("endsAt"))
                            .toEpochMilli();
                    arrivals.add(new long[] {at, event});
                }
                req.response().end();
            });
        }).listen(hookPort, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        try (ScratchKafka kafka = ScratchKafka.start()) {
            kafka.broker().createTopics(List.of("meshwatch.alerts.v1"), 4);
            try (ServiceProcess service = ServiceProcess.start(kafka.bootstrapServers(), "alerts", "latency",
                    Map.of("MESHWATCH_INVENTORY_FILE", "classpath:inventory/demo.yaml",
                            "MESHWATCH_DB_NAME", System.getenv().getOrDefault("E2E_DB_NAME", "meshwatch_bench"),
                            "MESHWATCH_NOTIFY_WEBHOOKS__BENCH__URL", "http://127.0.0.1:" + hookPort + "/hook",
                            // every trigger must raise or resolve at once: no resolve hold-down
                            "MESHWATCH_DETECT_RESOLVE_HOLD_DOWN", "0s"))) {
                long measureFrom = System.currentTimeMillis() + warmup * 1000L;
                long[] sent = DetectLatencyBench.produce(kafka.bootstrapServers(), rate, triggers, warmup + seconds);
                Thread.sleep(3000);
                double achieved = sent[0] / (double) (warmup + seconds);
                System.out.printf(Locale.ROOT, "produced %d background events (%.0f/s) and %d triggers%n", sent[0],
                        achieved, sent[1]);

                List<Long> webhook = new ArrayList<>();
                StringBuilder series = new StringBuilder();
                for (long[] a : arrivals) {
                    if (a[1] >= measureFrom) {
                        webhook.add((a[0] - a[1]) * 1000);
                        series.append(a[0] - a[1]).append(' ');
                    }
                }
                // in arrival order: a backlog shows as a ramp, a stall as a step
                System.out.println("series_ms " + series.toString().strip());
                List<Long> detect = new ArrayList<>();
                JsonNode signals = MAPPER.readTree(service.api("/api/v1/signals?status=recent&limit=1000"));
                for (JsonNode s : signals) {
                    boolean firing = s.path("status").asText().equals("firing");
                    String at = firing ? s.path("startedAt").asText() : s.path("endedAt").asText();
                    if (s.path("name").asText().equals("CircuitDown")
                            && s.path("labels").path("circuit").asText().equals("er-ash-azure")
                            && Instant.parse(at).toEpochMilli() >= measureFrom) {
                        detect.add(Math.round(s.path("detectionLatencySeconds").asDouble() * 1_000_000));
                    }
                }
                long expected = (long) seconds * triggers;
                System.out.printf(Locale.ROOT, "webhooks measured: %d, signals: %d, of about %d triggers%n",
                        webhook.size(), detect.size(), expected);
                if (webhook.size() < expected * 9 / 10) {
                    throw new IllegalStateException("only " + webhook.size() + " webhooks for about " + expected
                            + " triggers; see " + ServiceProcess.LOGS);
                }
                // the service's own view of the outbox part: row written (in the alert's transaction) to 2xx/ack
                String metrics = service.api("/q/metrics");
                for (String receiver : List.of("bench", "kafka")) {
                    double sum = sample(metrics, "meshwatch_notify_latency_seconds_sum{receiver=\"" + receiver + "\"}");
                    double count = sample(metrics, "meshwatch_notify_latency_seconds_count{receiver=\"" + receiver + "\"}");
                    System.out.printf(Locale.ROOT, "RESULT outbox_to_%s_mean_ms %.1f (%d rows, whole run)%n", receiver,
                            count == 0 ? 0 : sum / count * 1000, (long) count);
                }
                DetectLatencyBench.report("event_to_webhook", webhook);
                DetectLatencyBench.report("detect_latency", detect);
                System.out.printf(Locale.ROOT, "RESULT alerts_background_events_per_s %.0f%n", achieved);
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
