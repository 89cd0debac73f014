package io.meshwatch.bmp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.meshwatch.event.CanonicalEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzzing (Jazzer) of the collector's byte path: framer, decoder and event mapper,
 * as a connection runs them. The only failures allowed are the declared ones: a
 * {@link BmpFormatException} from the framer (fatal for the connection) or from the decoder (that
 * message skipped). Anything else thrown (a runtime exception, an error) is a finding.
 *
 * <p>In {@code ./mvnw verify} this replays the seeds and kept findings in
 * {@code src/test/resources/io/meshwatch/bmp/BmpFuzzTestInputs/stream/} (small real messages of the
 * lab and pmacct captures, see SOURCES.md there); {@code bin/fuzz} fuzzes it for real.
 */
class BmpFuzzTest {

    private static final Instant ARRIVAL = Instant.parse("2026-11-26T12:00:00Z");

    /**
     * The input is a byte stream from one router; its first byte also picks the read size, so
     * messages get split across reads the way TCP splits them.
     */
    @FuzzTest(maxDuration = "10m")
    void stream(byte[] data) {
        int chunk = data.length == 0 ? 1 : 1 + (data[0] & 0xFF) * 16;
        BmpFramer framer = new BmpFramer(64 * 1024);
        BmpDecoder decoder = new BmpDecoder((issue, message) -> {
        });
        BmpEventMapper mapper = new BmpEventMapper("192.0.2.1", null, Duration.ofHours(1), quirk -> {
        });
        List<CanonicalEvent> events = new ArrayList<>();
        BmpFramer.Sink sink = (buf, off, len, at) -> {
            try {
                mapper.map(decoder.decode(buf, off, len, at), ARRIVAL, events::add);
            } catch (BmpFormatException skipped) {
                // declared: the message is skipped, the connection goes on
            }
        };
        try {
            for (int i = 0; i < data.length; i += chunk) {
                framer.feed(data, i, Math.min(chunk, data.length - i), sink);
            }
        } catch (BmpFormatException fatal) {
            // declared: an untrustworthy header closes the connection
        }
        if (framer.buffered() > data.length) {
            throw new IllegalStateException("the framer holds " + framer.buffered() + " bytes of " + data.length);
        }
    }
}
