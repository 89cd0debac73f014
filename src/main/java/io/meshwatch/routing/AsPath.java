package io.meshwatch.routing;

import java.util.Arrays;

/**
 * An immutable AS_PATH: a list of segments, each an AS_SEQUENCE or an AS_SET of 32-bit AS numbers.
 * AS numbers are stored as {@code int} and are unsigned (use {@link Integer#toUnsignedLong}).
 *
 * <p>Storage is one {@code int[]}: each segment is a header int {@code (type << 16) | count}
 * (type 1 = AS_SET, 2 = AS_SEQUENCE) followed by its AS numbers. The decision-process length (an
 * AS_SET counts as one) and the hash are computed once. Instances are interned by
 * {@link AttributeInterner}, so a table holds each distinct AS path once.
 */
public final class AsPath {

    /** The empty AS path, as announced over iBGP for locally originated routes. */
    public static final AsPath EMPTY = new AsPath(new int[0]);

    private static final int SET = 1;
    private static final int SEQUENCE = 2;

    private final int[] data;
    private final int segments;
    private final int decisionLength;
    private final int hash;

    private AsPath(int[] data) {
        this.data = data;
        int segs = 0;
        int len = 0;
        for (int i = 0; i < data.length; i += 1 + (data[i] & 0xFFFF)) {
            segs++;
            len += (data[i] >>> 16) == SET ? 1 : data[i] & 0xFFFF;
        }
        this.segments = segs;
        this.decisionLength = len;
        this.hash = Arrays.hashCode(data);
    }

    /** A path made of one AS_SEQUENCE, nearest AS first; empty input gives {@link #EMPTY}. */
    public static AsPath sequence(int... asns) {
        return asns.length == 0 ? EMPTY : builder().sequence(asns).build();
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Parses the common text form: space separated AS numbers, AS_SETs in braces, e.g.
     * {@code "65001 65002 {65010,65011}"}. AS numbers are unsigned decimals up to 4294967295.
     */
    public static AsPath parse(String text) {
        Builder b = builder();
        String t = Prefix.require(text, "AS path").trim();
        int i = 0;
        int[] run = new int[8];
        int n = 0;
        while (i < t.length()) {
            char c = t.charAt(i);
            if (c == ' ') {
                i++;
            } else if (c == '{') {
                if (n > 0) {
                    b.sequence(Arrays.copyOf(run, n));
                    n = 0;
                }
                int end = t.indexOf('}', i);
                if (end < 0) {
                    throw new IllegalArgumentException("AS path '" + text + "' has an unclosed AS_SET");
                }
                String[] parts = t.substring(i + 1, end).split("[, ]+");
                int[] set = new int[parts.length];
                for (int k = 0; k < parts.length; k++) {
                    set[k] = parseAsn(parts[k].trim(), text);
                }
                b.set(set);
                i = end + 1;
            } else {
                int end = i;
                while (end < t.length() && t.charAt(end) != ' ' && t.charAt(end) != '{') {
                    end++;
                }
                if (n == run.length) {
                    run = Arrays.copyOf(run, n * 2);
                }
                run[n++] = parseAsn(t.substring(i, end), text);
                i = end;
            }
        }
        if (n > 0) {
            b.sequence(Arrays.copyOf(run, n));
        }
        return b.build();
    }

    private static int parseAsn(String s, String text) {
        try {
            long v = Long.parseLong(s);
            if (v < 0 || v > 0xFFFF_FFFFL) {
                throw new NumberFormatException();
            }
            return (int) v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("AS path '" + text + "' has a bad AS number '" + s + "'");
        }
    }

    /** Number of segments. */
    public int segmentCount() {
        return segments;
    }

    /** True when the path has no AS at all. */
    public boolean isEmpty() {
        return data.length == 0;
    }

    /** Length used by the decision process: each AS in a sequence counts one, each AS_SET one. */
    public int decisionLength() {
        return decisionLength;
    }

    /**
     * The neighbouring AS used to group MED comparisons: the first AS of the first segment.
     * Undefined (returns 0) for an empty path; the caller substitutes the local AS.
     */
    public int firstAs() {
        return data.length == 0 ? 0 : data[1];
    }

    /** Type of segment {@code index}. */
    public AsPathSegmentType segmentType(int index) {
        return (data[offset(index)] >>> 16) == SET ? AsPathSegmentType.AS_SET : AsPathSegmentType.AS_SEQUENCE;
    }

    /** A copy of the AS numbers of segment {@code index}. */
    public int[] segment(int index) {
        int o = offset(index);
        return Arrays.copyOfRange(data, o + 1, o + 1 + (data[o] & 0xFFFF));
    }

    private int offset(int index) {
        if (index < 0 || index >= segments) {
            throw new IndexOutOfBoundsException("segment " + index + " of " + segments);
        }
        int o = 0;
        for (int s = 0; s < index; s++) {
            o += 1 + (data[o] & 0xFFFF);
        }
        return o;
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof AsPath p && p.hash == hash && Arrays.equals(p.data, data);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** Text form accepted by {@link #parse}: {@code 65001 65002 {65010,65011}}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < data.length; i += 1 + (data[i] & 0xFFFF)) {
            boolean set = (data[i] >>> 16) == SET;
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(set ? "{" : "");
            for (int k = 0; k < (data[i] & 0xFFFF); k++) {
                if (k > 0) {
                    sb.append(set ? "," : " ");
                }
                sb.append(Integer.toUnsignedString(data[i + 1 + k]));
            }
            sb.append(set ? "}" : "");
        }
        return sb.toString();
    }

    /** Builds an {@link AsPath} segment by segment. Not thread-safe. */
    public static final class Builder {
        private int[] data = new int[16];
        private int size;

        private Builder() {
        }

        /** Appends an AS_SEQUENCE segment (ignored when empty). */
        public Builder sequence(int... asns) {
            return segment(SEQUENCE, asns);
        }

        /** Appends an AS_SET segment (ignored when empty). */
        public Builder set(int... asns) {
            return segment(SET, asns);
        }

        private Builder segment(int type, int[] asns) {
            if (asns.length == 0) {
                return this;
            }
            if (asns.length > 0xFFFF) {
                throw new IllegalArgumentException("AS path segment too long: " + asns.length);
            }
            while (size + 1 + asns.length > data.length) {
                data = Arrays.copyOf(data, data.length * 2);
            }
            data[size++] = (type << 16) | asns.length;
            System.arraycopy(asns, 0, data, size, asns.length);
            size += asns.length;
            return this;
        }

        /** The immutable path. */
        public AsPath build() {
            return size == 0 ? EMPTY : new AsPath(Arrays.copyOf(data, size));
        }
    }
}
