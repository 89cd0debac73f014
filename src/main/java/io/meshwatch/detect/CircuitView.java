package io.meshwatch.detect;

import io.meshwatch.inventory.CircuitKind;
import java.time.Instant;
import java.util.List;

/**
 * What detection knows of one circuit.
 *
 * @param state         up, degraded, down or unknown
 * @param since         clock time it entered {@code state}; null while unknown
 * @param reasons       why it is down or degraded (empty when up), e.g. {@code interface cx-ash eth1 oper-down}
 * @param probe         the latest probe round on it, or null
 * @param retransmitPct the latest TCP retransmit percentage towards it, or null
 * @param counters      the latest A-end interface counters, or null (shown only; no detector uses them)
 */
public record CircuitView(String id, CircuitKind kind, String provider, CircuitState state, Instant since,
                          List<String> reasons, Probe probe, Double retransmitPct, Counters counters) {

    public CircuitView {
        reasons = List.copyOf(reasons);
    }

    /** One probe round: latency and jitter in ms, loss in percent, at the router's time. */
    public record Probe(Instant time, String router, String target, double latencyMs, double jitterMs,
                        double lossPct) {
    }

    /** A-end interface counters as last reported; null fields were not reported. */
    public record Counters(Instant time, Long inOctets, Long outOctets, Long inErrors, Long outErrors) {
    }
}
