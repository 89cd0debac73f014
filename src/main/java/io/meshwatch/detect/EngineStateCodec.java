package io.meshwatch.detect;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * {@link EngineState} to bytes and back: compact JSON (no indentation, null fields left out,
 * instants and durations as ISO-8601 text so that they come back exact), gzip-compressed. In memory
 * only; stateless and thread-safe.
 *
 * <p>{@link #decode} reads the {@code version} first and refuses any other than
 * {@link EngineState#CURRENT_VERSION} with {@link UnsupportedVersionException}, before it looks at
 * the rest; bytes that are no engine state at all are refused with {@link IllegalArgumentException}.
 * It takes plain (uncompressed) JSON as well, as {@link #json} writes it for people to read.
 */
public final class EngineStateCodec {

    /** How much a decompressed state may grow to: far above any real one, far below the heap. */
    static final int MAX_DECODED_BYTES = 256 * 1024 * 1024;

    private final ObjectMapper mapper = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .disable(SerializationFeature.INDENT_OUTPUT)
            // records only: their components are the state; Signal.isFiring() and the like are not
            .disable(MapperFeature.AUTO_DETECT_IS_GETTERS)
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL,
                    JsonInclude.Include.USE_DEFAULTS))
            .build();

    /** A state in another format version than this build's. */
    public static final class UnsupportedVersionException extends IllegalArgumentException {

        private final int version;

        UnsupportedVersionException(int version) {
            super("detection engine state version " + version + " is not supported: this build reads version "
                    + EngineState.CURRENT_VERSION + " only; start detection afresh or restore with a build that"
                    + " reads it");
            this.version = version;
        }

        /** The version the state names. */
        public int version() {
            return version;
        }
    }

    /** The state as gzip-compressed JSON: what is stored. */
    public byte[] encode(EngineState state) {
        byte[] json = json(state);
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 8 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not on a byte array
        }
        return out.toByteArray();
    }

    /** The state as compact, uncompressed JSON (UTF-8). */
    public byte[] json(EngineState state) {
        if (state.version() != EngineState.CURRENT_VERSION) {
            throw new IllegalArgumentException("cannot write detection engine state version " + state.version()
                    + ": this build writes version " + EngineState.CURRENT_VERSION);
        }
        try {
            return mapper.writeValueAsBytes(state);
        } catch (JacksonException e) {
            throw new IllegalStateException("detection engine state cannot be written as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /**
     * The state that {@link #encode} (or {@link #json}) wrote.
     *
     * @throws UnsupportedVersionException when it names another version than this build's
     * @throws IllegalArgumentException    when the bytes are no detection engine state
     */
    public EngineState decode(byte[] bytes) {
        byte[] json = gzipped(bytes) ? gunzip(bytes) : bytes;
        JsonNode tree;
        try {
            tree = mapper.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a detection engine state (no JSON): " + message(e), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException("not a detection engine state: not a JSON object");
        }
        JsonNode version = tree.get("version");
        if (version == null || !version.isIntegralNumber() || !version.canConvertToInt()) {
            throw new IllegalArgumentException("not a detection engine state: no version number");
        }
        if (version.intValue() != EngineState.CURRENT_VERSION) {
            throw new UnsupportedVersionException(version.intValue());
        }
        try {
            return mapper.treeToValue(tree, EngineState.class);
        } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("detection engine state version " + EngineState.CURRENT_VERSION
                    + " is malformed: " + message(e), e);
        }
    }

    private static boolean gzipped(byte[] b) {
        return b.length >= 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b;
    }

    private static byte[] gunzip(byte[] bytes) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length * 8);
            byte[] buf = new byte[16 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                if (out.size() + n > MAX_DECODED_BYTES) {
                    throw new IllegalArgumentException("detection engine state larger than " + MAX_DECODED_BYTES
                            + " bytes decompressed");
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalArgumentException("not a detection engine state (bad gzip): " + e.getMessage(), e);
        }
    }

    private static String message(Exception e) {
        return e instanceof JacksonException j ? j.getOriginalMessage() : e.getMessage();
    }
}
