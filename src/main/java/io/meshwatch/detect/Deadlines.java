package io.meshwatch.detect;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Pending timers of one detector, by key: at most one deadline per key, the earliest found in
 * O(log n). Clock time. Not thread-safe (the engine's single thread owns it).
 */
final class Deadlines<K> {

    private final TreeMap<Instant, Set<K>> byTime = new TreeMap<>();
    private final Map<K, Instant> byKey = new HashMap<>();

    /** Sets (or moves) the deadline of {@code key}. */
    void schedule(K key, Instant at) {
        cancel(key);
        byKey.put(key, at);
        byTime.computeIfAbsent(at, t -> new LinkedHashSet<>()).add(key);
    }

    /** Removes the deadline of {@code key}; true when there was one. */
    boolean cancel(K key) {
        Instant at = byKey.remove(key);
        if (at == null) {
            return false;
        }
        Set<K> keys = byTime.get(at);
        keys.remove(key);
        if (keys.isEmpty()) {
            byTime.remove(at);
        }
        return true;
    }

    boolean pending(K key) {
        return byKey.containsKey(key);
    }

    Optional<Instant> next() {
        return byTime.isEmpty() ? Optional.empty() : Optional.of(byTime.firstKey());
    }

    /** Removes and returns the keys whose deadline is at or before {@code now}, earliest first. */
    List<K> due(Instant now) {
        List<K> out = new ArrayList<>();
        Iterator<Map.Entry<Instant, Set<K>>> it = byTime.headMap(now, true).entrySet().iterator();
        while (it.hasNext()) {
            for (K k : it.next().getValue()) {
                out.add(k);
                byKey.remove(k);
            }
            it.remove();
        }
        return out;
    }

    /** Drops the deadlines whose key fails {@code keep}. */
    void retain(Predicate<K> keep) {
        for (K k : List.copyOf(byKey.keySet())) {
            if (!keep.test(k)) {
                cancel(k);
            }
        }
    }

    /**
     * The pending deadlines in the order they fire (by instant, then in the order they were set),
     * for a checkpoint; {@code key} turns a key into its checkpoint form.
     */
    <T> List<EngineState.Timer<T>> timers(Function<K, T> key) {
        List<EngineState.Timer<T>> out = new ArrayList<>(byKey.size());
        byTime.forEach((at, keys) -> keys.forEach(k -> out.add(new EngineState.Timer<>(key.apply(k), at))));
        return out;
    }

    /** Sets the deadlines of a checkpoint, in its order, so that they fire in the same order again. */
    <T> void restore(List<EngineState.Timer<T>> timers, Function<T, K> key) {
        for (EngineState.Timer<T> t : timers) {
            schedule(key.apply(t.key()), t.at());
        }
    }

    /** The earliest of two optional deadlines. */
    static Optional<Instant> earliest(Optional<Instant> a, Optional<Instant> b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        return a.get().isBefore(b.get()) ? a : b;
    }
}
