package io.meshwatch.testing;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.detect.EngineState;
import io.meshwatch.detect.EngineStateCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.TreeSet;

/** Assertions on detection engine checkpoints ({@link EngineState}) that say where two states differ. */
public final class EngineStates {

    private static final EngineStateCodec CODEC = new EngineStateCodec();
    private static final ObjectMapper JSON = new ObjectMapper();

    private EngineStates() {
    }

    /** Asserts two states equal, naming the first place (a JSON path) where they differ. */
    public static void assertSameState(EngineState expected, EngineState actual, String where) {
        if (expected.equals(actual)) {
            return;
        }
        try {
            String diff = firstDifference("$", JSON.readTree(CODEC.json(expected)), JSON.readTree(CODEC.json(actual)));
            fail(where + ": the states differ at " + (diff == null ? "(nothing their JSON shows)" : diff));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String firstDifference(String path, JsonNode a, JsonNode b) {
        if (a == null || b == null || a.getNodeType() != b.getNodeType() || a.isValueNode() && !a.equals(b)) {
            return path + "\n  expected: " + a + "\n  actual:   " + b;
        }
        if (a.isArray() && a.size() != b.size()) {
            return path + " has " + b.size() + " entries, not " + a.size() + "\n  expected: " + a + "\n  actual:   " + b;
        }
        Set<String> names = new TreeSet<>();
        a.fieldNames().forEachRemaining(names::add);
        b.fieldNames().forEachRemaining(names::add);
        for (String n : names) {
            String d = firstDifference(path + "." + n, a.get(n), b.get(n));
            if (d != null) {
                return d;
            }
        }
        for (int i = 0; a.isArray() && i < a.size(); i++) {
            String d = firstDifference(path + "[" + i + "]", a.get(i), b.get(i));
            if (d != null) {
                return d;
            }
        }
        return null;
    }
}
