package io.meshwatch.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Test helpers that talk to the test broker with plain Kafka clients, as an outside producer would. */
public final class Events {

    private Events() {
    }

    /** A router id unique to this test run, so tests never see each other's state. */
    public static String uniqueRouter(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static String peerState(String router, String peer, long peerAs, String state, Instant time) {
        return """
                {"version":1,"type":"bgp.peer_state","router":"%s","time":"%s","source":"test",
                 "payload":{"vrf":"default","peer":"%s","peer_as":%d,"local_as":64500,"state":"%s"}}"""
                .formatted(router, time, peer, peerAs, state);
    }

    public static RecordMetadata send(String topic, String key, byte[] value) {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(producerProps())) {
            return p.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("send to " + topic + " failed", e);
        }
    }

    public static RecordMetadata send(String topic, String key, String value) {
        return send(topic, key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads the topic from the beginning until {@code count} records matching {@code filter} have
     * been seen or {@code wait} has passed, and returns the matching ones.
     */
    public static List<ConsumerRecord<String, byte[]>> await(String topic,
            java.util.function.Predicate<ConsumerRecord<String, byte[]>> filter, int count, Duration wait) {
        Properties props = new Properties();
        props.put("bootstrap.servers", KafkaBroker.bootstrap());
        props.put("group.id", "test-reader-" + UUID.randomUUID());
        props.put("auto.offset.reset", "earliest");
        props.put("enable.auto.commit", "false");
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + wait.toNanos();
            while (System.nanoTime() < deadline && out.size() < count) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (filter.test(r)) {
                        out.add(r);
                    }
                }
            }
        }
        return out;
    }

    private static Properties producerProps() {
        Properties props = new Properties();
        props.put("bootstrap.servers", KafkaBroker.bootstrap());
        props.put("key.serializer", StringSerializer.class.getName());
        props.put("value.serializer", ByteArraySerializer.class.getName());
        props.put("acks", "all");
        props.put("max.request.size", Integer.toString(4 * 1024 * 1024));
        return props;
    }
}
