package io.meshwatch.sim;

import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.event.EventType;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The simulator's events as the service's consumers get them: each partition (topic and router)
 * delivers in order, but at its own lag, which changes at random, and the partitions of one step come
 * in a random order, as two consumers fall behind differently.
 */
final class LaggingPartitions {

    /** Where a partition's batch goes: the BGP path or the telemetry path. */
    interface Consumer {
        void batch(List<CanonicalEvent> events, boolean bgp);
    }

    private final SimHarness h;
    private final SplittableRandom random;
    private final double maxLag;
    private final Map<String, ArrayDeque<Integer>> pending = new TreeMap<>();
    private final Map<String, Double> lag = new HashMap<>();
    private final List<Double> producedAt = new ArrayList<>();

    LaggingPartitions(SimHarness h, SplittableRandom random, double maxLag) {
        this.h = h;
        this.random = random;
        this.maxLag = maxLag;
    }

    double now() {
        return Duration.between(SimHarness.T0, h.clock.instant()).toMillis() / 1000.0;
    }

    /**
     * Runs the simulator to T0 + {@code seconds} in 0.25 s steps; in each, every partition delivers
     * to {@code to} what its lag lets through, then {@code afterStep} runs.
     */
    void until(double seconds, Consumer to, Runnable afterStep) {
        for (double t = now() + 0.25; t <= seconds + 1e-9; t += 0.25) {
            h.atSeconds(t);
            for (int i = producedAt.size(); i < h.events.size(); i++) {
                producedAt.add(now());
                CanonicalEvent e = h.events.get(i);
                String key = e.type().family() + "/" + e.router();
                pending.computeIfAbsent(key, k -> new ArrayDeque<>()).add(i);
                lag.computeIfAbsent(key, k -> random.nextDouble() * maxLag);
            }
            List<String> keys = new ArrayList<>(pending.keySet());
            Collections.shuffle(keys, new Random(random.nextLong()));
            for (String key : keys) {
                if (random.nextInt(20) == 0) {
                    lag.put(key, random.nextDouble() * maxLag);
                }
                deliver(key, t - lag.get(key), to);
            }
            afterStep.run();
        }
    }

    private void deliver(String key, double cutoff, Consumer to) {
        ArrayDeque<Integer> queue = pending.get(key);
        List<CanonicalEvent> batch = new ArrayList<>();
        while (!queue.isEmpty() && producedAt.get(queue.peekFirst()) <= cutoff) {
            batch.add(h.events.get(queue.pollFirst()));
        }
        if (!batch.isEmpty()) {
            to.batch(batch, key.startsWith(EventType.Family.BGP.name()));
        }
    }
}
