package io.meshwatch.routing;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * Prefix ids kept in prefix order ({@link Prefix#compareTo}: address, then length) as a list of
 * sorted blocks of at most {@value #MAX} ids: about 4-6 bytes per prefix, O(log n + block) updates,
 * and in-order walks from any key, which serve paging cursors and more-specific queries.
 * Not thread-safe.
 */
final class OrderedIds {

    private static final int MAX = 512;

    private final PrefixIndex keys;
    private int[][] blocks = new int[4][];
    private int[] sizes = new int[4];
    private int blockCount;

    OrderedIds(PrefixIndex keys) {
        this.keys = keys;
    }

    void insert(int id) {
        long hi = keys.hiOf(id);
        long lo = keys.loOf(id);
        int len = keys.lenOf(id);
        if (blockCount == 0) {
            blocks[0] = new int[MAX];
            sizes[0] = 0;
            blockCount = 1;
        }
        int b = blockFor(hi, lo, len);
        if (sizes[b] == MAX) {
            split(b);
            b = blockFor(hi, lo, len);
        }
        int[] block = blocks[b];
        int pos = position(block, sizes[b], hi, lo, len, false);
        System.arraycopy(block, pos, block, pos + 1, sizes[b] - pos);
        block[pos] = id;
        sizes[b]++;
    }

    void remove(int id) {
        long hi = keys.hiOf(id);
        long lo = keys.loOf(id);
        int len = keys.lenOf(id);
        int b = blockFor(hi, lo, len);
        int[] block = blocks[b];
        int pos = position(block, sizes[b], hi, lo, len, true);
        if (pos >= sizes[b] || block[pos] != id) {
            throw new IllegalStateException("prefix id " + id + " not in order index");
        }
        System.arraycopy(block, pos + 1, block, pos, sizes[b] - pos - 1);
        if (--sizes[b] == 0 && blockCount > 1) {
            System.arraycopy(blocks, b + 1, blocks, b, blockCount - b - 1);
            System.arraycopy(sizes, b + 1, sizes, b, blockCount - b - 1);
            blocks[--blockCount] = null;
        }
    }

    /**
     * Visits ids in prefix order starting at the first prefix {@code >=} (inclusive) or {@code >}
     * the key, until the visitor returns false.
     */
    void forEachFrom(long hi, long lo, int len, boolean inclusive, IntPredicate visitor) {
        if (blockCount == 0) {
            return;
        }
        int b = blockFor(hi, lo, len);
        int pos = position(blocks[b], sizes[b], hi, lo, len, inclusive);
        for (; b < blockCount; b++, pos = 0) {
            int[] block = blocks[b];
            for (int i = pos; i < sizes[b]; i++) {
                if (!visitor.test(block[i])) {
                    return;
                }
            }
        }
    }

    /** Last block whose first id sorts at or before the key (block 0 if none). */
    private int blockFor(long hi, long lo, int len) {
        int l = 0;
        int h = blockCount - 1;
        while (l < h) {
            int mid = (l + h + 1) >>> 1;
            if (sizes[mid] > 0 && keys.compare(hi, lo, len, blocks[mid][0]) >= 0) {
                l = mid;
            } else {
                h = mid - 1;
            }
        }
        return l;
    }

    /** First index whose id sorts after the key (or at/after it when {@code inclusive}). */
    private int position(int[] block, int size, long hi, long lo, int len, boolean inclusive) {
        int l = 0;
        int h = size;
        while (l < h) {
            int mid = (l + h) >>> 1;
            int c = keys.compare(hi, lo, len, block[mid]);
            if (c > 0 || (c == 0 && !inclusive)) {
                l = mid + 1;
            } else {
                h = mid;
            }
        }
        return l;
    }

    private void split(int b) {
        if (blockCount == blocks.length) {
            blocks = Arrays.copyOf(blocks, blockCount * 2);
            sizes = Arrays.copyOf(sizes, blockCount * 2);
        }
        System.arraycopy(blocks, b + 1, blocks, b + 2, blockCount - b - 1);
        System.arraycopy(sizes, b + 1, sizes, b + 2, blockCount - b - 1);
        int half = MAX / 2;
        int[] right = new int[MAX];
        System.arraycopy(blocks[b], half, right, 0, MAX - half);
        blocks[b + 1] = right;
        sizes[b + 1] = MAX - half;
        sizes[b] = half;
        blockCount++;
    }

    long memoryBytes() {
        return (long) blockCount * (16 + 4L * MAX) + 8L * blocks.length;
    }
}
