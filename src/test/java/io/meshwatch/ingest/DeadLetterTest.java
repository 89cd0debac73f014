package io.meshwatch.ingest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.testing.Events;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/**
 * Every class of bad record lands in the dead-letter topic with its reason, source topic, partition
 * and offset, is counted, and a valid record produced after all of them is still processed.
 */
@QuarkusTest
class DeadLetterTest {

    static final String BGP = "meshwatch.bgp.v1";
    static final String TELEMETRY = "meshwatch.telemetry.v1";
    static final String DLQ = "meshwatch.dlq.v1";
    static final String NOT_UTF8 = "not UTF-8";

    @Test
    void badRecordsGoToDeadLetterTopicAndPipelineGoesOn() {
        String router = Events.uniqueRouter("dlq");
        Instant t = Instant.parse("2026-11-26T08:00:00Z");
        String good = Events.peerState(router, "192.0.2.1", 64512, "established", t);
        Map<String, String[]> bad = new LinkedHashMap<>();
        // case name -> {topic, value, expected reason, expected words in the cause}
        bad.put("not json", new String[] {BGP, "this is not json {", "not_json", "not JSON"});
        bad.put("json array", new String[] {BGP, "[1,2,3]", "not_json", "not an object"});
        bad.put("unknown type", new String[] {BGP, good.replace("bgp.peer_state", "bgp.gossip"), "unknown_type",
            "bgp.gossip"});
        bad.put("telemetry type on bgp topic", new String[] {BGP,
            good.replace("\"type\":\"bgp.peer_state\"", "\"type\":\"interface.state\""), "unknown_type",
            "telemetry topic"});
        bad.put("bgp type on telemetry topic", new String[] {TELEMETRY, good, "unknown_type", "bgp topic"});
        bad.put("future version", new String[] {BGP, good.replace("\"version\":1", "\"version\":2"),
            "unsupported_version", "version 2"});
        bad.put("missing peer", new String[] {BGP, good.replace("\"peer\":\"192.0.2.1\",", ""), "missing_field",
            "payload.peer"});
        bad.put("peer_as as string", new String[] {BGP, good.replace("\"peer_as\":64512", "\"peer_as\":\"64512\""),
            "wrong_type", "payload.peer_as"});
        bad.put("AS out of range", new String[] {BGP, good.replace("\"peer_as\":64512", "\"peer_as\":4294967296"),
            "invalid_value", "payload.peer_as"});
        bad.put("bad peer address", new String[] {BGP, good.replace("192.0.2.1", "192.0.2.300"), "invalid_value",
            "payload.peer"});
        bad.put("bad prefix", new String[] {BGP, update(router, "10.1.0.0/33"), "invalid_value", "10.1.0.0/33"});
        bad.put("host bits in prefix", new String[] {BGP, update(router, "10.1.0.1/16"), "invalid_value",
            "host bits"});
        bad.put("bad state", new String[] {BGP, good.replace("\"established\"", "\"happy\""), "invalid_value",
            "payload.state"});
        bad.put("bad timestamp", new String[] {BGP, good.replace(t.toString(), "yesterday"), "invalid_value",
            "time"});
        bad.put("deeply nested", new String[] {BGP, good.replace("\"source\":\"test\"",
            "\"source\":\"test\",\"extra\":" + "[".repeat(5000) + "]".repeat(5000)), "not_json", "depth"});
        // sent as ISO-8859-1 bytes (NOT_UTF8 below): 'é' is the single byte 0xE9, which is no UTF-8
        bad.put(NOT_UTF8, new String[] {BGP, good.replace("\"source\":\"test\"", "\"source\":\"caf\u00e9\""),
            "not_json", "UTF-8"});
        bad.put("too large", new String[] {BGP, good.replace("\"source\":\"test\"",
            "\"source\":\"" + "x".repeat(1_100_000) + "\""), "too_large", "larger than"});

        Map<String, String[]> bySource = new LinkedHashMap<>();
        for (Map.Entry<String, String[]> c : bad.entrySet()) {
            String[] v = c.getValue();
            RecordMetadata md = c.getKey().equals(NOT_UTF8)
                    ? Events.send(v[0], router, v[1].getBytes(StandardCharsets.ISO_8859_1))
                    : Events.send(v[0], router, v[1]);
            bySource.put(md.topic() + "/" + md.partition() + "/" + md.offset(),
                    new String[] {c.getKey(), v[0], v[2], v[3]});
        }
        Events.send(BGP, router, good);

        // the valid record produced after every bad one is processed
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/v1/routers/{r}/peers", router)
                .then().statusCode(200).body("$", hasSize(1)).body("[0].state", equalTo("established")));

        List<ConsumerRecord<String, byte[]>> dead = Events.await(DLQ, r -> router.equals(r.key()), bad.size(),
                Duration.ofSeconds(30));
        assertEquals(bad.size(), dead.size(), "one dead letter per bad record");
        for (ConsumerRecord<String, byte[]> r : dead) {
            String topic = header(r, "dead-letter-topic");
            String source = topic + "/" + header(r, "dead-letter-partition") + "/" + header(r, "dead-letter-offset");
            String[] expected = bySource.remove(source);
            assertTrue(expected != null, "dead letter points at a record we sent, once: " + source);
            assertEquals(expected[1], topic, expected[0]);
            assertEquals(expected[2], header(r, "dead-letter-reason"), expected[0]);
            assertTrue(header(r, "dead-letter-cause").contains(expected[3]),
                    expected[0] + ": cause '" + header(r, "dead-letter-cause") + "' names " + expected[3]);
            if (expected[2].equals("too_large")) {
                assertEquals(DeadLetters.TRUNCATE_AT, r.value().length);
                assertTrue(Integer.parseInt(header(r, "dead-letter-original-size")) > 1_100_000);
            } else if (expected[0].equals(NOT_UTF8)) {
                assertArrayEquals(bad.get(expected[0])[1].getBytes(StandardCharsets.ISO_8859_1), r.value(),
                        "the record is copied unchanged, byte for byte");
            } else {
                assertEquals(bad.get(expected[0])[1], new String(r.value(), StandardCharsets.UTF_8),
                        expected[0] + ": the record is copied unchanged");
            }
        }

        // every series exists from start-up at zero, so the counts (not the series) prove the counting;
        // other tests of this service may have added more
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Map<String, Integer> sent = new LinkedHashMap<>();
        for (String[] v : bad.values()) {
            sent.merge("meshwatch_ingest_records_rejected_total{reason=\"" + v[2] + "\",topic=\"" + v[0] + "\"}", 1,
                    Integer::sum);
            sent.merge("meshwatch_ingest_dead_letters_total{topic=\"" + v[0] + "\"}", 1, Integer::sum);
        }
        for (Map.Entry<String, Integer> e : sent.entrySet()) {
            assertTrue(value(metrics, e.getKey()) >= e.getValue(), e.getKey() + " counts at least " + e.getValue());
        }
        long toBgp = bad.values().stream().filter(v -> v[0].equals(BGP)).count() + 1; // and the good one
        assertTrue(value(metrics, "meshwatch_ingest_records_consumed_total{topic=\"" + BGP + "\"}") >= toBgp);
    }

    /** The value of one series in the Prometheus text format. */
    private static double value(String metrics, String series) {
        return metrics.lines().filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(series.length() + 1).trim()))
                .orElseThrow(() -> new AssertionError("no series " + series));
    }

    private static String update(String router, String prefix) {
        return """
                {"version":1,"type":"bgp.update","router":"%s","time":"2026-11-26T08:00:00Z","payload":{
                 "peer":"192.0.2.1","peer_as":64512,"attributes":{"origin":"igp","as_path":[64512],
                 "next_hop":"192.0.2.1"},"announce":["%s"]}}""".formatted(router, prefix);
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
