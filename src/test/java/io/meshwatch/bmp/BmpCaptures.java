package io.meshwatch.bmp;

import io.meshwatch.bgp.WireIssue;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Test helper: reads a capture from the test classpath and decodes it the way a connection would. */
final class BmpCaptures {

    private BmpCaptures() {
    }

    /** A message that did not decode: its offset, reason and text. */
    record Failure(long offset, BmpError error, String message) {
    }

    /** Everything decoded from one stream. */
    record Decoded(List<BmpMessage> messages, List<Failure> failures, Map<WireIssue, Integer> issues,
                   Failure fatal) {
    }

    static byte[] bytes(String resource) {
        try (InputStream in = BmpCaptures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Frames and decodes {@code stream}, fed in chunks of {@code chunk} bytes. */
    static Decoded decode(byte[] stream, int chunk) {
        Map<WireIssue, Integer> issues = new EnumMap<>(WireIssue.class);
        BmpDecoder decoder = new BmpDecoder((issue, message) -> issues.merge(issue, 1, Integer::sum));
        BmpFramer framer = new BmpFramer(1 << 20);
        List<BmpMessage> messages = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        Failure fatal = null;
        try {
            for (int i = 0; i < stream.length; i += chunk) {
                framer.feed(stream, i, Math.min(chunk, stream.length - i), (buf, off, len, at) -> {
                    try {
                        messages.add(decoder.decode(buf, off, len, at));
                    } catch (BmpFormatException e) {
                        failures.add(new Failure(at, e.error(), e.getMessage()));
                    }
                });
            }
            if (framer.buffered() > 0) {
                fatal = new Failure(framer.offset(), BmpError.TRUNCATED, framer.buffered() + " bytes left over");
            }
        } catch (BmpFormatException e) {
            fatal = new Failure(framer.offset(), e.error(), e.getMessage());
        }
        return new Decoded(messages, failures, issues, fatal);
    }
}
