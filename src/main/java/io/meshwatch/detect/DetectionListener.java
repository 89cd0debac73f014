package io.meshwatch.detect;

import java.time.Duration;

/**
 * Where the {@link DetectionEngine} delivers what it finds. Called on the engine's thread, during
 * the call that caused it; an implementation must not call back into the engine and should hand
 * work off quickly (the adapter typically queues to the alerting layer).
 *
 * <p>Metrics hooks: {@link #failoverMeasured} and {@link #failbackMeasured} carry each measured
 * duration once; detection latency is {@link Signal#detectionLatency()} of each signal emitted with
 * {@code update == false}.
 */
public interface DetectionListener {

    /** A signal was raised, resolved, or (with {@code update == true}) re-stated. */
    void signal(Signal signal);

    /** An incident opened, changed, resolved or was merged into another. */
    void incident(Incident incident);

    /** A failover of {@code group} completed (or was abandoned) and took {@code failover.duration()}. */
    default void failoverMeasured(String group, Switchover failover, Duration objective) {
    }

    /** A failback of {@code group} completed and took {@code failback.duration()}. */
    default void failbackMeasured(String group, Switchover failback) {
    }

    /** A listener that drops everything. */
    static DetectionListener none() {
        return new DetectionListener() {
            @Override
            public void signal(Signal signal) {
            }

            @Override
            public void incident(Incident incident) {
            }
        };
    }
}
