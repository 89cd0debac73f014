package io.meshwatch.routing;

import java.util.Arrays;

/**
 * The three community attributes of a path as one immutable, internable value: standard
 * communities (RFC 1997, {@code int}), extended communities (RFC 4360, {@code long}) and large
 * communities (RFC 8092, triples of unsigned {@code int} flattened into one array).
 *
 * <p>Communities are sets, so each kind is sorted (unsigned) and de-duplicated on construction;
 * two announcements listing the same communities in a different order are equal and interned once.
 */
public final class Communities {

    /** No communities of any kind. */
    public static final Communities NONE = new Communities(new int[0], new long[0], new int[0]);

    private final int[] standard;
    private final long[] extended;
    private final int[] large;
    private final int hash;

    private Communities(int[] standard, long[] extended, int[] large) {
        this.standard = standard;
        this.extended = extended;
        this.large = large;
        this.hash = (Arrays.hashCode(standard) * 31 + Arrays.hashCode(extended)) * 31 + Arrays.hashCode(large);
    }

    /**
     * Creates a value from raw arrays (copied). {@code large.length} must be a multiple of three:
     * global administrator, local data 1, local data 2 for each large community.
     */
    public static Communities of(int[] standard, long[] extended, int[] large) {
        if (large.length % 3 != 0) {
            throw new IllegalArgumentException("large communities need a multiple of 3 ints, got " + large.length);
        }
        if (standard.length == 0 && extended.length == 0 && large.length == 0) {
            return NONE;
        }
        return new Communities(sortInts(standard), sortLongs(extended), sortTriples(large));
    }

    private static int[] sortInts(int[] in) {
        int[] a = in.clone();
        for (int i = 0; i < a.length; i++) {
            a[i] ^= Integer.MIN_VALUE; // unsigned order via signed sort
        }
        Arrays.sort(a);
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            if (n == 0 || a[n - 1] != a[i]) {
                a[n++] = a[i];
            }
        }
        for (int i = 0; i < n; i++) {
            a[i] ^= Integer.MIN_VALUE;
        }
        return n == a.length ? a : Arrays.copyOf(a, n);
    }

    private static long[] sortLongs(long[] in) {
        long[] a = in.clone();
        for (int i = 0; i < a.length; i++) {
            a[i] ^= Long.MIN_VALUE;
        }
        Arrays.sort(a);
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            if (n == 0 || a[n - 1] != a[i]) {
                a[n++] = a[i];
            }
        }
        for (int i = 0; i < n; i++) {
            a[i] ^= Long.MIN_VALUE;
        }
        return n == a.length ? a : Arrays.copyOf(a, n);
    }

    private static int[] sortTriples(int[] in) {
        int count = in.length / 3;
        int[] a = in.clone();
        // insertion sort on triples: large-community lists are short
        for (int i = 1; i < count; i++) {
            for (int j = i; j > 0 && compareTriple(a, j - 1, j) > 0; j--) {
                for (int k = 0; k < 3; k++) {
                    int t = a[3 * j + k];
                    a[3 * j + k] = a[3 * (j - 1) + k];
                    a[3 * (j - 1) + k] = t;
                }
            }
        }
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (n == 0 || compareTriple(a, n - 1, i) != 0) {
                System.arraycopy(a, 3 * i, a, 3 * n, 3);
                n++;
            }
        }
        return n == count ? a : Arrays.copyOf(a, 3 * n);
    }

    private static int compareTriple(int[] a, int i, int j) {
        for (int k = 0; k < 3; k++) {
            int c = Integer.compareUnsigned(a[3 * i + k], a[3 * j + k]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** Number of standard communities. */
    public int standardCount() {
        return standard.length;
    }

    /** Standard community {@code i} (sorted order), without copying. */
    public int standard(int i) {
        return standard[i];
    }

    /** A copy of the standard communities. */
    public int[] standard() {
        return standard.clone();
    }

    /** A copy of the extended communities. */
    public long[] extended() {
        return extended.clone();
    }

    /** A copy of the large communities, three ints per community. */
    public int[] large() {
        return large.clone();
    }

    /** True when the standard community is present (binary search, no allocation). */
    public boolean hasStandard(int community) {
        int lo = 0;
        int hi = standard.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Integer.compareUnsigned(standard[mid], community);
            if (c == 0) {
                return true;
            }
            if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return false;
    }

    /** True when there is no community of any kind. */
    public boolean isEmpty() {
        return standard.length == 0 && extended.length == 0 && large.length == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof Communities c && c.hash == hash && Arrays.equals(c.standard, standard)
                && Arrays.equals(c.extended, extended) && Arrays.equals(c.large, large);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** Text like {@code 65000:1 65000:2 ext:0x0002fde800000001 large:65000:1:2}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int c : standard) {
            sb.append(sb.length() > 0 ? " " : "").append(c >>> 16).append(':').append(c & 0xFFFF);
        }
        for (long e : extended) {
            sb.append(sb.length() > 0 ? " " : "").append("ext:0x").append(String.format("%016x", e));
        }
        for (int i = 0; i < large.length; i += 3) {
            sb.append(sb.length() > 0 ? " " : "").append("large:").append(Integer.toUnsignedString(large[i]))
                    .append(':').append(Integer.toUnsignedString(large[i + 1])).append(':')
                    .append(Integer.toUnsignedString(large[i + 2]));
        }
        return sb.toString();
    }
}
