package io.meshwatch.mrt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counters of one read: records read (by type name), things skipped by {@link SkipReason} with the
 * byte offsets (in the uncompressed MRT stream) and messages of the first few. Not thread-safe:
 * owned by the thread that iterates the {@link MrtReader}; read it from that thread.
 */
public final class MrtStats {

    /** How many offsets and messages are kept per reason. */
    public static final int KEPT_PER_REASON = 5;

    /** One remembered skip. */
    public record Skip(SkipReason reason, long offset, String message) {
        @Override
        public String toString() {
            return reason + " at byte " + offset + ": " + message;
        }
    }

    private long records;
    private final Map<String, Long> byType = new TreeMap<>();
    private final EnumMap<SkipReason, Long> skipped = new EnumMap<>(SkipReason.class);
    private final EnumMap<SkipReason, List<Skip>> firstSkips = new EnumMap<>(SkipReason.class);

    void record(String typeName) {
        records++;
        byType.merge(typeName, 1L, Long::sum);
    }

    void skip(SkipReason reason, long offset, String message) {
        skipped.merge(reason, 1L, Long::sum);
        List<Skip> kept = firstSkips.computeIfAbsent(reason, r -> new ArrayList<>());
        if (kept.size() < KEPT_PER_REASON) {
            kept.add(new Skip(reason, offset, message));
        }
    }

    /** MRT records whose header was read completely (including those later skipped). */
    public long records() {
        return records;
    }

    /** Records read per type name, e.g. {@code TABLE_DUMP_V2/RIB_IPV4_UNICAST}. */
    public Map<String, Long> recordsByType() {
        return Collections.unmodifiableMap(byType);
    }

    /** How many times each reason occurred. */
    public Map<SkipReason, Long> skipped() {
        return Collections.unmodifiableMap(skipped);
    }

    /** Count for one reason (0 when it never occurred). */
    public long skipped(SkipReason reason) {
        return skipped.getOrDefault(reason, 0L);
    }

    /** Whole records skipped, over all reasons that count records. */
    public long recordsSkipped() {
        long n = 0;
        for (Map.Entry<SkipReason, Long> e : skipped.entrySet()) {
            if (e.getKey().wholeRecord()) {
                n += e.getValue();
            }
        }
        return n;
    }

    /** The first {@link #KEPT_PER_REASON} skips of a reason, in stream order. */
    public List<Skip> firstSkips(SkipReason reason) {
        return List.copyOf(firstSkips.getOrDefault(reason, List.of()));
    }

    /** Multi-line text: one line per reason with its count and first offsets. */
    public String describeSkips() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<SkipReason, Long> e : skipped.entrySet()) {
            sb.append("  ").append(e.getKey()).append(": ").append(e.getValue());
            for (Skip s : firstSkips.getOrDefault(e.getKey(), List.of())) {
                sb.append("\n    at byte ").append(s.offset()).append(": ").append(s.message());
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
