package io.meshwatch.inventory;

import java.time.Duration;

/**
 * When a circuit counts as down or degraded. A degraded condition must hold for {@code dwell}, as
 * the circuit's own measurements show it (by their event times), before it fires and clears only when every measure is below {@code clearRatio} times its
 * threshold (hysteresis). Null thresholds are not checked.
 *
 * @param latencyMs     probe latency above which the circuit is degraded, or null
 * @param jitterMs      probe jitter above which it is degraded, or null
 * @param lossPct       probe loss (percent) above which it is degraded, or null
 * @param retransmitPct TCP retransmits (percent of segments) above which it is degraded, or null
 * @param downLossPct   probe loss at or above which a probe round counts towards down
 * @param downProbes    consecutive such rounds that make the circuit down
 * @param dwell         how long a degraded condition must hold before it fires
 * @param clearRatio    fraction of each threshold a measure must fall below to clear (0..1]
 */
public record CircuitThresholds(Double latencyMs, Double jitterMs, Double lossPct, Double retransmitPct,
                                double downLossPct, int downProbes, Duration dwell, double clearRatio) {

    /** Defaults for a circuit that names no thresholds: only loss is checked. */
    public static CircuitThresholds defaults() {
        return new CircuitThresholds(null, null, 2.0, null, 100.0, 3, Duration.ofSeconds(30), 0.8);
    }
}
