package io.meshwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.dev.EmbeddedKafka;
import io.meshwatch.event.BgpUpdateEvent;
import io.meshwatch.event.EventCodec;
import io.meshwatch.event.EventType;
import io.meshwatch.sim.SyntheticTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka decode ceilings, printed as {@code RESULT name value} lines for {@code bin/bench}. Starts the
 * in-process broker ({@link EmbeddedKafka}, 4 partitions), produces the synthetic table as canonical
 * {@code bgp.update} records (untimed), then times ONE plain {@link KafkaConsumer} thread reading
 * all of them from the beginning:
 * <ul>
 * <li>{@code raw_decode_prefixes_per_s}: each value only parsed with Jackson {@code readTree}.</li>
 * <li>{@code codec_decode_prefixes_per_s}: each value decoded with {@link EventCodec} (full validation).</li>
 * </ul>
 * After one untimed warm-up pass of each, the passes alternate, RUNS of each; medians reported. Broker and consumer share the JVM and the
 * machine's cores.
 */
public final class DecodeBench {

    private static final String TOPIC = ScratchKafka.TOPIC;

    private DecodeBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        ObjectMapper mapper = new ObjectMapper();
        EventCodec codec = new EventCodec(mapper);
        try (ScratchKafka kafka = ScratchKafka.start()) {
            EmbeddedKafka broker = kafka.broker();
            long[] counts = produce(broker, codec);
            long records = counts[0];
            long prefixes = counts[1];
            consume(broker, records, prefixes, v -> mapper.readTree(v).get("payload").get("announce").size(), "warm-up raw");
            consume(broker, records, prefixes, v -> ((BgpUpdateEvent) codec.decode(v, EventType.Family.BGP)).announce().size(),
                    "warm-up codec");
            double[] raw = new double[runs];
            double[] full = new double[runs];
            for (int r = 0; r < runs; r++) {
                raw[r] = consume(broker, records, prefixes, v -> {
                    JsonNode n = mapper.readTree(v);
                    return n.get("payload").get("announce").size();
                }, "raw");
                full[r] = consume(broker, records, prefixes, v -> {
                    BgpUpdateEvent e = (BgpUpdateEvent) codec.decode(v, EventType.Family.BGP);
                    return e.announce().size();
                }, "codec");
            }
            double rawMedian = TableBench.median(raw);
            double codecMedian = TableBench.median(full);
            System.out.printf(Locale.ROOT, "RESULT raw_decode_prefixes_per_s %.0f%n", rawMedian);
            System.out.printf(Locale.ROOT, "RESULT codec_decode_prefixes_per_s %.0f%n", codecMedian);
            System.out.printf(Locale.ROOT, "RESULT codec_vs_raw %.3f%n", codecMedian / rawMedian);
        }
    }

    private static long[] produce(EmbeddedKafka broker, EventCodec codec) throws Exception {
        SyntheticTable t = SyntheticTable.fullTable();
        long prefixes = 0;
        long t0 = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", broker.bootstrapServers(), "linger.ms", 20, "batch.size", 1 << 20,
                "compression.type", "none", "acks", "1"), new StringSerializer(), new ByteArraySerializer())) {
            for (int u = 0; u < t.updateCount(); u++) {
                BgpUpdateEvent e = t.event(u);
                prefixes += e.announce().size();
                // keyed by peer so the updates of a peer stay in order on one partition
                producer.send(new ProducerRecord<>(TOPIC, e.router() + "/" + e.peer(), codec.encode(e, "bmp")));
            }
            producer.flush();
        }
        System.out.printf(Locale.ROOT, "produced %d records, %d prefixes in %.1f s (untimed)%n", t.updateCount(),
                prefixes, (System.nanoTime() - t0) / 1e9);
        return new long[] {t.updateCount(), prefixes};
    }

    interface Decoder {
        int decode(byte[] value) throws Exception;
    }

    private static double consume(EmbeddedKafka broker, long records, long prefixes, Decoder decoder, String what)
            throws Exception {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", broker.bootstrapServers(), "enable.auto.commit", false,
                "max.poll.records", 2000, "fetch.max.bytes", 64 << 20, "max.partition.fetch.bytes", 16 << 20),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            consumer.partitionsFor(TOPIC).forEach(p -> parts.add(new TopicPartition(TOPIC, p.partition())));
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long seen = 0;
            long decoded = 0;
            long t0 = System.nanoTime();
            while (seen < records) {
                ConsumerRecords<String, byte[]> batch = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, byte[]> rec : batch) {
                    decoded += decoder.decode(rec.value());
                }
                seen += batch.count();
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            if (decoded != prefixes) {
                throw new IllegalStateException(what + " decoded " + decoded + " prefixes, expected " + prefixes);
            }
            double rate = decoded / secs;
            System.out.printf(Locale.ROOT, "%s pass: %d records, %d prefixes in %.2f s = %.0f prefixes/s%n", what,
                    seen, decoded, secs, rate);
            return rate;
        }
    }
}
