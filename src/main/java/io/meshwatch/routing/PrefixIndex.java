package io.meshwatch.routing;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * The prefixes of one address family in one VRF, each with a stable int id (dense, reused after
 * removal) that the RIB uses to index its per-prefix arrays. Three views are kept in step:
 * an open-addressing hash of ids for exact match, a {@link StrideTrie} for longest-prefix match and
 * an {@link OrderedIds} for prefix-order walks. Keys are stored as in {@link Prefix}
 * ({@code hi}, {@code lo}, length); IPv4 keeps only {@code lo}. Not thread-safe.
 */
final class PrefixIndex {

    private final Afi afi;
    private final StrideTrie trie;
    private final OrderedIds ordered;
    private final int[] lengthCount;
    private long[] his;
    private long[] los = new long[64];
    private byte[] lens = new byte[64];
    private boolean[] live = new boolean[64];
    private int[] table = new int[128];
    private int[] freeIds = new int[16];
    private int freeCount;
    private int nextId;
    private int size;

    PrefixIndex(Afi afi) {
        this.afi = afi;
        this.trie = afi == Afi.IPV4 ? StrideTrie.forIpv4() : StrideTrie.forIpv6();
        this.ordered = new OrderedIds(this);
        this.lengthCount = new int[afi.bits() + 1];
        this.his = afi == Afi.IPV4 ? null : new long[64];
    }

    Afi afi() {
        return afi;
    }

    int size() {
        return size;
    }

    /** Upper bound (exclusive) of ids ever handed out, for scans over all ids. */
    int idLimit() {
        return nextId;
    }

    boolean isLive(int id) {
        return id >= 0 && id < nextId && live[id];
    }

    long hiOf(int id) {
        return his == null ? 0 : his[id];
    }

    long loOf(int id) {
        return los[id];
    }

    int lenOf(int id) {
        return lens[id] & 0xFF;
    }

    Prefix prefix(int id) {
        return afi == Afi.IPV4 ? Prefix.ipv4((int) los[id], lenOf(id)) : Prefix.ipv6(his[id], los[id], lenOf(id));
    }

    /** Prefix order of key versus the prefix with the given id. */
    int compare(long hi, long lo, int len, int id) {
        int c = Long.compareUnsigned(hi, hiOf(id));
        if (c != 0) {
            return c;
        }
        c = Long.compareUnsigned(lo, los[id]);
        return c != 0 ? c : Integer.compare(len, lenOf(id));
    }

    private static int hash(long hi, long lo, int len) {
        long h = hi * 0x9E3779B97F4A7C15L + lo * 0xC2B2AE3D27D4EB4FL + len * 0x165667B19E3779F9L;
        return (int) (h ^ (h >>> 29) ^ (h >>> 47));
    }

    /** Id of the prefix, or -1. */
    int find(long hi, long lo, int len) {
        int mask = table.length - 1;
        for (int i = hash(hi, lo, len) & mask; ; i = (i + 1) & mask) {
            int slot = table[i];
            if (slot == 0) {
                return -1;
            }
            int id = slot - 1;
            if (los[id] == lo && (lens[id] & 0xFF) == len && hiOf(id) == hi) {
                return id;
            }
        }
    }

    int find(Prefix p) {
        return p.afi() == afi ? find(p.hi(), p.lo(), p.length()) : -1;
    }

    /** Adds an absent prefix and returns its new id. */
    int add(Prefix p) {
        if ((size + 1) * 2 > table.length) {
            rehash(table.length * 2);
        }
        int id = freeCount > 0 ? freeIds[--freeCount] : nextId++;
        if (id >= los.length) {
            int n = los.length + (los.length >> 1);
            los = Arrays.copyOf(los, n);
            lens = Arrays.copyOf(lens, n);
            live = Arrays.copyOf(live, n);
            if (his != null) {
                his = Arrays.copyOf(his, n);
            }
        }
        if (his != null) {
            his[id] = p.hi();
        }
        los[id] = p.lo();
        lens[id] = (byte) p.length();
        live[id] = true;
        int mask = table.length - 1;
        int i = hash(p.hi(), p.lo(), p.length()) & mask;
        while (table[i] != 0) {
            i = (i + 1) & mask;
        }
        table[i] = id + 1;
        size++;
        lengthCount[p.length()]++;
        trie.insert(trieHi(id), trieLo(id), p.length(), id + 1);
        ordered.insert(id);
        return id;
    }

    /** Removes a live prefix id from all three views. */
    void remove(int id) {
        long hi = hiOf(id);
        long lo = los[id];
        int len = lenOf(id);
        int parent = coveringParent(hi, lo, len);
        trie.remove(trieHi(id), trieLo(id), len, id + 1, parent + 1);
        ordered.remove(id);
        lengthCount[len]--;
        int mask = table.length - 1;
        int i = hash(hi, lo, len) & mask;
        while (table[i] != id + 1) {
            i = (i + 1) & mask;
        }
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            int other = table[j];
            if (other == 0) {
                break;
            }
            int o = other - 1;
            int home = hash(hiOf(o), los[o], lenOf(o)) & mask;
            if (((j - home) & mask) >= ((j - i) & mask)) {
                table[i] = other;
                i = j;
            }
        }
        table[i] = 0;
        live[id] = false;
        if (freeCount == freeIds.length) {
            freeIds = Arrays.copyOf(freeIds, freeCount * 2);
        }
        freeIds[freeCount++] = id;
        size--;
    }

    private void rehash(int capacity) {
        int[] t = new int[capacity];
        int mask = capacity - 1;
        for (int slot : table) {
            if (slot != 0) {
                int id = slot - 1;
                int i = hash(hiOf(id), los[id], lenOf(id)) & mask;
                while (t[i] != 0) {
                    i = (i + 1) & mask;
                }
                t[i] = slot;
            }
        }
        table = t;
    }

    private long trieHi(int id) {
        return his == null ? los[id] << 32 : his[id];
    }

    private long trieLo(int id) {
        return his == null ? 0 : los[id];
    }

    /** Longest match for an IPv4 address: prefix id or -1. */
    int longestMatchIpv4(int addr) {
        return trie.lookupIpv4(addr) - 1;
    }

    /** Longest match for an IPv6 address: prefix id or -1. */
    int longestMatchIpv6(long hi, long lo) {
        return trie.lookup(hi, lo) - 1;
    }

    /** The id of the longest prefix strictly shorter than {@code len} covering the key, or -1. */
    int coveringParent(long hi, long lo, int len) {
        for (int l = len - 1; l >= 0; l--) {
            if (lengthCount[l] > 0) {
                int id = find(hi & mask(l, true), lo & mask(l, false), l);
                if (id >= 0) {
                    return id;
                }
            }
        }
        return -1;
    }

    /** Visits the ids of all prefixes strictly shorter than the key that cover it, shortest first. */
    void forEachCovering(long hi, long lo, int len, IntPredicate visitor) {
        for (int l = 0; l < len; l++) {
            if (lengthCount[l] > 0) {
                int id = find(hi & mask(l, true), lo & mask(l, false), l);
                if (id >= 0 && !visitor.test(id)) {
                    return;
                }
            }
        }
    }

    /** Visits the ids of all prefixes strictly more specific than the key, in prefix order. */
    void forEachMoreSpecific(long hi, long lo, int len, IntPredicate visitor) {
        ordered.forEachFrom(hi, lo, len, false, id -> {
            int l = lenOf(id);
            if (l <= len || (hiOf(id) & mask(len, true)) != hi || (los[id] & mask(len, false)) != lo) {
                return l <= len && hiOf(id) == hi && los[id] == lo; // same address, shorter: keep going
            }
            return visitor.test(id);
        });
    }

    /** Visits ids in prefix order from the key (exclusive unless {@code inclusive}). */
    void forEachFrom(long hi, long lo, int len, boolean inclusive, IntPredicate visitor) {
        ordered.forEachFrom(hi, lo, len, inclusive, visitor);
    }

    /** Mask of the first {@code len} bits for the hi ({@code true}) or lo word of a key. */
    private long mask(int len, boolean hiWord) {
        if (afi == Afi.IPV4) {
            return hiWord ? 0 : Prefix.mask32(len) & 0xFFFF_FFFFL;
        }
        return hiWord ? Prefix.mask64(len) : Prefix.mask64(len - 64);
    }

    long memoryBytes() {
        long arrays = 9L * los.length + (his == null ? 0 : 8L * his.length) + 4L * table.length;
        return arrays + trie.memoryBytes() + ordered.memoryBytes();
    }

    int trieChunks() {
        return trie.liveChunks();
    }
}
