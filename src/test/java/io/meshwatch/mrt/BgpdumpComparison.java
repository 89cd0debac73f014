package io.meshwatch.mrt;

import io.meshwatch.event.CanonicalEvent;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads a dump, maps it to events, formats them as bgpdump -m and compares with bgpdump's output. */
final class BgpdumpComparison {

    /** What a comparison found. */
    record Result(MrtStats stats, long events, long prefixes, List<String> actual, List<String> expected,
                  List<String> differences, double seconds) {
        boolean matches() {
            return differences.isEmpty();
        }
    }

    private BgpdumpComparison() {
    }

    /**
     * @param ribLabel first field of RIB lines, or null for a BGP4MP updates file (whose lines are
     *                 then also compared in order, not only as a multiset)
     */
    static Result run(InputStream dump, InputStream expectedGz, String ribLabel) throws IOException {
        List<String> actual = new ArrayList<>();
        long start = System.nanoTime();
        MrtStats stats;
        MrtEventMapper mapper = new MrtEventMapper("rrc00", e -> {
            CanonicalEvent decoded = BgpdumpFormat.roundTrip(e);
            BgpdumpFormat.format(decoded, ribLabel, actual);
        });
        try (MrtReader reader = MrtReader.open(dump)) {
            while (reader.hasNext()) {
                mapper.accept(reader.next());
            }
            mapper.flush();
            stats = reader.stats();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        List<String> expected = BgpdumpFormat.readExpected(expectedGz);
        List<String> diffs = new ArrayList<>();
        List<String> onlyBgpdump = multisetDiff(actual, expected, diffs);
        long multicast = stats.skipped(SkipReason.MULTICAST_PREFIX);
        if (onlyBgpdump.size() != multicast) {
            diffs.add(0, onlyBgpdump.size() + " lines only in bgpdump's output but " + multicast
                    + " multicast prefixes skipped (bgpdump prints those like unicast ones)");
        }
        if (ribLabel == null && diffs.isEmpty()) {
            inOrder(actual, without(expected, onlyBgpdump), diffs);
        }
        return new Result(stats, mapper.events(), mapper.prefixes(), actual, expected, diffs, seconds);
    }

    /** Lines only in bgpdump's output; lines only in ours are added to {@code diffs}. */
    private static List<String> multisetDiff(List<String> actual, List<String> expected, List<String> diffs) {
        List<String> a = new ArrayList<>(actual);
        List<String> x = new ArrayList<>(expected);
        Collections.sort(a);
        Collections.sort(x);
        List<String> onlyBgpdump = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < x.size()) {
            int c = i == a.size() ? 1 : j == x.size() ? -1 : a.get(i).compareTo(x.get(j));
            if (c == 0) {
                i++;
                j++;
            } else if (c < 0) {
                if (diffs.size() < 20) {
                    diffs.add("only ours:    " + a.get(i));
                }
                i++;
            } else {
                onlyBgpdump.add(x.get(j++));
            }
        }
        if (!diffs.isEmpty()) {
            onlyBgpdump.stream().limit(20).forEach(l -> diffs.add("only bgpdump: " + l));
        }
        return onlyBgpdump;
    }

    private static List<String> without(List<String> lines, List<String> remove) {
        Map<String, Integer> left = new HashMap<>();
        remove.forEach(l -> left.merge(l, 1, Integer::sum));
        List<String> out = new ArrayList<>(lines.size());
        for (String l : lines) {
            Integer n = left.get(l);
            if (n != null && n > 0) {
                left.put(l, n - 1);
            } else {
                out.add(l);
            }
        }
        return out;
    }

    private static void inOrder(List<String> actual, List<String> expected, List<String> diffs) {
        for (int i = 0; i < Math.max(actual.size(), expected.size()) && diffs.size() < 20; i++) {
            String a = i < actual.size() ? actual.get(i) : "<none>";
            String x = i < expected.size() ? expected.get(i) : "<none>";
            if (!a.equals(x)) {
                diffs.add("line " + (i + 1) + " (in order)\n  bgpdump: " + x + "\n  ours:    " + a);
            }
        }
    }

    static String describe(String name, Result r) {
        return name + ": " + r.actual().size() + " lines ours, " + r.expected().size() + " bgpdump, "
                + r.stats().records() + " records, " + r.events() + " events; first differences:\n"
                + String.join("\n", r.differences()) + "\nskips:\n" + r.stats().describeSkips();
    }
}
