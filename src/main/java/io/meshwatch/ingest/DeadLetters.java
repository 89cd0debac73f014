package io.meshwatch.ingest;

import io.meshwatch.event.RejectedRecordException;
import io.meshwatch.platform.MeshwatchConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Writes refused records to the dead-letter topic, unchanged, with their original key and headers
 * plus {@code dead-letter-reason} (a {@link io.meshwatch.event.RejectReason} label),
 * {@code dead-letter-cause} (the message), {@code dead-letter-topic}, {@code dead-letter-partition}
 * and {@code dead-letter-offset}. The header names are those SmallRye's own dead-letter strategy
 * uses, so existing tooling reads them.
 *
 * <p>A refused record larger than {@link #TRUNCATE_AT} bytes (whatever the reason) is copied only
 * up to that size, with {@code dead-letter-original-size}, so the copy always fits in a produce
 * request; the whole record stays at the source offset the headers name.
 */
@ApplicationScoped
public class DeadLetters {

    static final int TRUNCATE_AT = 64 * 1024;
    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    private final MutinyEmitter<byte[]> emitter;
    private final MeshwatchConfig config;

    public DeadLetters(@Channel("dlq-out") MutinyEmitter<byte[]> emitter, MeshwatchConfig config) {
        this.emitter = emitter;
        this.config = config;
    }

    /** Sends one refused record; the Uni completes when the broker has it. */
    Uni<Void> send(KafkaRecord<String, byte[]> rec, RejectedRecordException why) {
        byte[] value = rec.getPayload() == null ? new byte[0] : rec.getPayload();
        RecordHeaders headers = new RecordHeaders();
        for (Header h : rec.getHeaders()) {
            if (!h.key().startsWith("dead-letter-")) {
                headers.add(h);
            }
        }
        headers.add("dead-letter-reason", utf8(why.reason().label()));
        headers.add("dead-letter-cause", utf8(why.getMessage()));
        headers.add("dead-letter-topic", utf8(rec.getTopic()));
        headers.add("dead-letter-partition", utf8(Integer.toString(rec.getPartition())));
        long offset = offset(rec);
        headers.add("dead-letter-offset", utf8(Long.toString(offset)));
        if (value.length > TRUNCATE_AT) {
            headers.add("dead-letter-original-size", utf8(Integer.toString(value.length)));
            value = Arrays.copyOf(value, TRUNCATE_AT);
        }
        LOG.debugf("dead-letter %s[%d]@%d: %s", rec.getTopic(), rec.getPartition(), offset,
                why.getMessage());
        OutgoingKafkaRecordMetadata<String> meta = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(config.topics().dlq()).withKey(rec.getKey()).withHeaders(headers).build();
        return emitter.sendMessage(Message.of(value).addMetadata(meta));
    }

    static long offset(KafkaRecord<?, ?> rec) {
        return rec.getMetadata(IncomingKafkaRecordMetadata.class).map(IncomingKafkaRecordMetadata::getOffset)
                .orElse(-1L);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
