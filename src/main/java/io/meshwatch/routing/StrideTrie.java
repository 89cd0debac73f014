package io.meshwatch.routing;

import java.util.Arrays;

/**
 * Longest-prefix-match structure: a leaf-pushed multibit trie stored in two {@code int[]}s, no
 * object per node.
 *
 * <p>Keys are 128-bit {@code (hi, lo)}; IPv4 addresses sit in the top 32 bits of {@code hi}. The
 * root is a direct table indexed by the first {@code rootBits} (16) bits; below it fixed-size chunks
 * of {@code 2^stride} entries live in one pool array (chunk {@code c} occupies
 * {@code [c << stride, (c + 1) << stride)}). An entry is either a value ({@code >= 0}; 0 = no
 * route, else the caller's value, a prefix id + 1) or a child chunk ({@code ~chunk}, negative).
 * Values are leaf-pushed: a prefix is written into every entry it is the longest match for, and a
 * chunk inherits the value of the entry it replaced, so a lookup reads one entry per level and
 * stops at the first value: 2 reads for most IPv4 lookups (16/8/8), up to 29 for IPv6 (16/4/4...).
 *
 * <p>Updates are incremental: insert overwrites entries whose value is shorter; removal writes
 * back the next shorter covering prefix (supplied by the caller) and frees chunks that became
 * uniform, so memory follows the table. Not thread-safe; see {@link RouteTable} for the locking.
 */
final class StrideTrie {

    private final int rootBits;
    private final int stride;
    private final int chunkSize;
    private final int[] root;
    private int[] pool;
    private int chunkHighWater;
    private int[] freeChunks = new int[16];
    private int freeCount;
    private byte[] lenOf = new byte[64];
    private final int[] stackPos = new int[40];
    private final boolean[] stackRoot = new boolean[40];

    StrideTrie(int rootBits, int stride) {
        this.rootBits = rootBits;
        this.stride = stride;
        this.chunkSize = 1 << stride;
        this.root = new int[1 << rootBits];
        this.pool = new int[chunkSize * 64];
    }

    /** IPv4 layout: 16-bit root, 8-bit chunks. */
    static StrideTrie forIpv4() {
        return new StrideTrie(16, 8);
    }

    /** IPv6 layout: 16-bit root, 4-bit chunks (64-byte chunks keep sparse IPv6 space cheap). */
    static StrideTrie forIpv6() {
        return new StrideTrie(16, 4);
    }

    static int bits(long hi, long lo, int off, int cnt) {
        if (off + cnt <= 64) {
            return (int) ((hi << off) >>> (64 - cnt));
        }
        if (off >= 64) {
            return (int) ((lo << (off - 64)) >>> (64 - cnt));
        }
        int hiCnt = 64 - off;
        int loCnt = cnt - hiCnt;
        return (int) ((((hi << off) >>> (64 - hiCnt)) << loCnt) | (lo >>> (64 - loCnt)));
    }

    /** Longest match for a 128-bit key; returns the stored value or 0. */
    int lookup(long hi, long lo) {
        int[] p = pool;
        int e = root[bits(hi, lo, 0, rootBits)];
        int d = rootBits;
        while (e < 0 && d < 128) { // the bound only matters for a racing optimistic reader
            e = p[(~e << stride) + bits(hi, lo, d, stride)];
            d += stride;
        }
        return Math.max(e, 0);
    }

    /** Longest match for an IPv4 address; only valid for the {@link #forIpv4()} layout. */
    int lookupIpv4(int addr) {
        int e = root[addr >>> 16];
        if (e >= 0) {
            return e;
        }
        int[] p = pool;
        e = p[(~e << 8) | ((addr >>> 8) & 0xFF)];
        if (e >= 0) {
            return e;
        }
        return p[(~e << 8) | (addr & 0xFF)];
    }

    /** Adds prefix {@code (hi, lo)/len} with {@code value > 0}. */
    void insert(long hi, long lo, int len, int value) {
        if (value >= lenOf.length) {
            lenOf = Arrays.copyOf(lenOf, Math.max(value + 1, lenOf.length * 2));
        }
        lenOf[value] = (byte) len;
        if (len <= rootBits) {
            int start = len == 0 ? 0 : bits(hi, lo, 0, rootBits);
            for (int i = start, end = start + (1 << (rootBits - len)); i < end; i++) {
                root[i] = push(root[i], value, len);
            }
            return;
        }
        int pos = bits(hi, lo, 0, rootBits);
        boolean inRoot = true;
        int d = rootBits;
        while (true) {
            int e = inRoot ? root[pos] : pool[pos];
            int c;
            if (e >= 0) {
                c = allocChunk(e);
                if (inRoot) {
                    root[pos] = ~c;
                } else {
                    pool[pos] = ~c;
                }
            } else {
                c = ~e;
            }
            int base = c << stride;
            if (len <= d + stride) {
                int start = base + bits(hi, lo, d, stride);
                for (int i = start, end = start + (1 << (d + stride - len)); i < end; i++) {
                    pool[i] = push(pool[i], value, len);
                }
                return;
            }
            pos = base + bits(hi, lo, d, stride);
            inRoot = false;
            d += stride;
        }
    }

    private int push(int e, int value, int len) {
        if (e < 0) {
            int base = ~e << stride;
            for (int i = base; i < base + chunkSize; i++) {
                pool[i] = push(pool[i], value, len);
            }
            return e;
        }
        return e == 0 || (lenOf[e] & 0xFF) <= len ? value : e;
    }

    /**
     * Removes prefix {@code (hi, lo)/len} stored as {@code value}; {@code replacement} is the value
     * of its longest strictly shorter covering prefix, or 0.
     */
    void remove(long hi, long lo, int len, int value, int replacement) {
        if (len <= rootBits) {
            int start = len == 0 ? 0 : bits(hi, lo, 0, rootBits);
            for (int i = start, end = start + (1 << (rootBits - len)); i < end; i++) {
                root[i] = replace(root[i], value, replacement);
            }
            return;
        }
        int pos = bits(hi, lo, 0, rootBits);
        boolean inRoot = true;
        int d = rootBits;
        int depth = 0;
        while (true) {
            int e = inRoot ? root[pos] : pool[pos];
            if (e >= 0) {
                return; // never inserted
            }
            stackPos[depth] = pos;
            stackRoot[depth++] = inRoot;
            int base = ~e << stride;
            if (len <= d + stride) {
                int start = base + bits(hi, lo, d, stride);
                for (int i = start, end = start + (1 << (d + stride - len)); i < end; i++) {
                    pool[i] = replace(pool[i], value, replacement);
                }
                break;
            }
            pos = base + bits(hi, lo, d, stride);
            inRoot = false;
            d += stride;
        }
        // collapse chunks that became uniform, bottom up
        while (--depth >= 0) {
            int at = stackPos[depth];
            int e = stackRoot[depth] ? root[at] : pool[at];
            int uniform = uniformValue(~e);
            if (uniform < 0) {
                return;
            }
            freeChunk(~e);
            if (stackRoot[depth]) {
                root[at] = uniform;
            } else {
                pool[at] = uniform;
            }
        }
    }

    private int replace(int e, int value, int replacement) {
        if (e < 0) {
            int c = ~e;
            int base = c << stride;
            for (int i = base; i < base + chunkSize; i++) {
                pool[i] = replace(pool[i], value, replacement);
            }
            int uniform = uniformValue(c);
            if (uniform >= 0) {
                freeChunk(c);
                return uniform;
            }
            return e;
        }
        return e == value ? replacement : e;
    }

    /** The common value of a chunk without children, or -1. */
    private int uniformValue(int c) {
        int base = c << stride;
        int v = pool[base];
        if (v < 0) {
            return -1;
        }
        for (int i = base + 1; i < base + chunkSize; i++) {
            if (pool[i] != v) {
                return -1;
            }
        }
        return v;
    }

    private int allocChunk(int fill) {
        int c;
        if (freeCount > 0) {
            c = freeChunks[--freeCount];
        } else {
            c = chunkHighWater++;
            if ((long) chunkHighWater << stride > pool.length) {
                long grown = Math.max((long) chunkHighWater << stride, pool.length + (pool.length >> 1));
                if (grown > Integer.MAX_VALUE - 16) {
                    throw new IllegalStateException("LPM trie exceeds 2^31 entries");
                }
                pool = Arrays.copyOf(pool, (int) grown);
            }
        }
        Arrays.fill(pool, c << stride, (c + 1) << stride, fill);
        return c;
    }

    private void freeChunk(int c) {
        if (freeCount == freeChunks.length) {
            freeChunks = Arrays.copyOf(freeChunks, freeCount * 2);
        }
        freeChunks[freeCount++] = c;
    }

    /** Chunks in use. */
    int liveChunks() {
        return chunkHighWater - freeCount;
    }

    /** Approximate heap bytes held by the arrays. */
    long memoryBytes() {
        return 4L * root.length + 4L * pool.length + lenOf.length + 4L * freeChunks.length;
    }
}
