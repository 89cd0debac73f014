package io.meshwatch.bmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.dev.EmbeddedKafka;
import io.meshwatch.event.EventCodec;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Manual interop harness, not a test: the collector (with an in-process broker) listening on
 * {@code 0.0.0.0:PORT} for {@code SECONDS}, for real routers to connect to, e.g. the lab's
 * {@code COLLECTOR_LINK=1 BMP_TARGET=:PORT run-lab.sh}. Then prints the events per router and type,
 * and the collector's counters. Usage: {@code LiveLabCollector PORT SECONDS}.
 */
public final class LiveLabCollector {

    private LiveLabCollector() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int seconds = Integer.parseInt(args[1]);
        Path dir = Files.createTempDirectory("live-bmp-kafka");
        String topic = "meshwatch.bgp.v1";
        try (EmbeddedKafka kafka = EmbeddedKafka.start(0, dir, 1)) {
            kafka.createTopics(List.of(topic), 1);
            Vertx vertx = Vertx.vertx();
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            BmpProducer producer = new BmpProducer(Map.of("bootstrap.servers", kafka.bootstrapServers()), topic);
            BmpServer server = new BmpServer(vertx, new BmpServer.Settings("0.0.0.0", port,
                    Map.of("198.18.98.2", "lab-gobgp"), Duration.ofHours(1), 1 << 20, 20000), producer,
                    new EventCodec(new ObjectMapper()), Clock.systemUTC(), new BmpMetrics(registry));
            System.out.println("listening on " + server.listen().toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS));
            Thread.sleep(seconds * 1000L);
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            producer.close();
            vertx.close();
            Map<String, Integer> counts = new TreeMap<>();
            ObjectMapper json = new ObjectMapper();
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of("bootstrap.servers",
                    kafka.bootstrapServers(), "group.id", "live", "auto.offset.reset", "earliest"),
                    new StringDeserializer(), new ByteArrayDeserializer())) {
                c.subscribe(List.of(topic));
                long end = System.nanoTime() + 10_000_000_000L;
                while (System.nanoTime() < end) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                        JsonNode n = json.readTree(r.value());
                        JsonNode p = n.get("payload");
                        String what = n.get("type").asText() + (p.has("rib") ? " " + p.get("rib").asText() : "")
                                + (p.has("state") ? " " + p.get("state").asText() : "");
                        counts.merge(r.key() + " " + what, 1, Integer::sum);
                    }
                }
            }
            counts.forEach((k, v) -> System.out.println("EVENTS " + k + " = " + v));
            for (Meter m : registry.getMeters()) {
                m.measure().forEach(ms -> {
                    if (ms.getValue() != 0) {
                        System.out.println("METER " + m.getId().getName() + m.getId().getTags() + " = " + ms.getValue());
                    }
                });
            }
        }
        System.exit(0);
    }
}
