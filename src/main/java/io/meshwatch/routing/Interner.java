package io.meshwatch.routing;

import java.util.Arrays;

/**
 * Reference-counted interner with stable int ids (1-based; 0 means "none"). Values live in a dense
 * array indexed by id, the hash index is an open-addressing table of ids with linear probing and
 * backward-shift deletion, so an entry costs about 16 bytes besides the value itself.
 * Not thread-safe: owned by one {@link RouteTable} and guarded by its lock.
 */
final class Interner<T> {

    private Object[] values = new Object[16];
    private int[] refs = new int[16];
    private int[] hashes = new int[16];
    private int[] table = new int[32];
    private int[] freeIds = new int[16];
    private int freeCount;
    private int nextId = 1;
    private int size;

    /** The value for a live id. */
    @SuppressWarnings("unchecked")
    T get(int id) {
        return (T) values[id];
    }

    int size() {
        return size;
    }

    /** Id of a value equal to {@code v}, or 0. */
    int find(T v) {
        int h = spread(v.hashCode());
        int mask = table.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            int id = table[i];
            if (id == 0) {
                return 0;
            }
            if (hashes[id] == h && values[id].equals(v)) {
                return id;
            }
        }
    }

    /** Adds one reference to an existing id. */
    void retain(int id) {
        refs[id]++;
    }

    /** Stores a value known to be absent with one reference and returns its new id. */
    int add(T v) {
        if ((size + 1) * 2 > table.length) {
            rehash(table.length * 2);
        }
        int id;
        if (freeCount > 0) {
            id = freeIds[--freeCount];
        } else {
            id = nextId++;
            if (id == values.length) {
                int n = values.length * 2;
                values = Arrays.copyOf(values, n);
                refs = Arrays.copyOf(refs, n);
                hashes = Arrays.copyOf(hashes, n);
            }
        }
        int h = spread(v.hashCode());
        values[id] = v;
        refs[id] = 1;
        hashes[id] = h;
        int mask = table.length - 1;
        int i = h & mask;
        while (table[i] != 0) {
            i = (i + 1) & mask;
        }
        table[i] = id;
        size++;
        return id;
    }

    /** Drops one reference; returns true when it was the last and the id is now free. */
    boolean release(int id) {
        if (--refs[id] > 0) {
            return false;
        }
        int mask = table.length - 1;
        int i = hashes[id] & mask;
        while (table[i] != id) {
            i = (i + 1) & mask;
        }
        // backward-shift deletion keeps probe chains intact without tombstones
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            int other = table[j];
            if (other == 0) {
                break;
            }
            int home = hashes[other] & mask;
            if (((j - home) & mask) >= ((j - i) & mask)) {
                table[i] = other;
                i = j;
            }
        }
        table[i] = 0;
        values[id] = null;
        if (freeCount == freeIds.length) {
            freeIds = Arrays.copyOf(freeIds, freeCount * 2);
        }
        freeIds[freeCount++] = id;
        size--;
        return true;
    }

    private void rehash(int capacity) {
        int[] t = new int[capacity];
        int mask = capacity - 1;
        for (int id : table) {
            if (id != 0) {
                int i = hashes[id] & mask;
                while (t[i] != 0) {
                    i = (i + 1) & mask;
                }
                t[i] = id;
            }
        }
        table = t;
    }

    static int spread(int h) {
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
