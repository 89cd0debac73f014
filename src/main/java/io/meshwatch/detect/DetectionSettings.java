package io.meshwatch.detect;

import io.meshwatch.inventory.CircuitThresholds;
import io.meshwatch.inventory.Severity;
import java.time.Duration;
import java.util.Objects;

/**
 * Tunables of the detectors and of correlation. {@link #defaults()} works out of the box; each
 * {@code withX} returns a copy with one value changed. Per-circuit thresholds and per-group failover
 * objectives come from the inventory; the values here are the fall-backs when the inventory names none.
 *
 * @param sessionDownDwell       how long an established session must stay down before
 *                               {@code BgpSessionDown} fires; default 0 (at once)
 * @param flapTransitions        up/down transitions within {@code flapWindow} that make a session
 *                               flapping; default 4
 * @param flapWindow             window for counting transitions (event time); default 5 min
 * @param flapQuiet              time without a transition after which flapping resolves; default 5 min
 * @param prefixDebounce         how long a lost prefix must stay lost before {@code PrefixUnreachable}
 *                               fires; default 3 s
 * @param anyPrefixUnreachable   also watch prefixes that are not in the inventory; default false
 * @param anyPrefixSeverity      severity of such a prefix's loss; default MINOR
 * @param maxAnyPrefixTracked    cap on pending plus firing non-inventory prefix losses; default 10000
 * @param backupTrafficBytes     byte-counter growth (in plus out) of a tunnel that counts as it carrying
 *                               traffic; keeps BGP keepalives and IKE from counting; default 65536
 * @param defaultFailoverObjective objective for a tunnel group that names none; default 30 s
 * @param defaultThresholds      thresholds for a circuit that names none; default
 *                               {@link CircuitThresholds#defaults()}
 * @param correlationWindow      how far apart in event time a child may be from its root; default 5 min
 * @param incidentHistory        resolved incidents kept for the read model; default 500
 * @param resolveHoldDown        how long a state signal ({@code CircuitDown}, {@code IpsecTunnelGroupDown})
 *                               stays firing after its condition cleared, so that evidence that changes
 *                               (another reason, a veto by probes arriving or expiring) refines it in
 *                               place instead of resolving and raising it again; default 5 s
 * @param convergence            how long a tunnel group whose primary has never been up may have its
 *                               watched prefixes on the backup before {@code BestPathOnBackup} says so
 *                               (routers joining: the backup's session may come up first); default 30 s
 * @param pathSelectionAllowance how long a router may take, after a BGP session closed, to select the
 *                               path that remains (BMP does not show it: Meshwatch sees the closed
 *                               session's paths flushed at the close); the upper bound of a failover
 *                               whose start is only bounded and that completed by such a flush includes
 *                               it; default 1 s
 * @param feedSilence            how long a router that has sent telemetry may send none before
 *                               {@code RouterFeedLost} (feed {@code telemetry}) fires; 0 turns it off;
 *                               default 5 min
 * @param neverUpAfter           how long after the engine first has it (start-up or the inventory edit
 *                               that added it) an inventory session, tunnel or circuit may go without
 *                               ever being seen up before {@code NeverCameUp} fires; 0 turns it off;
 *                               default 10 min
 */
public record DetectionSettings(Duration sessionDownDwell, int flapTransitions, Duration flapWindow,
                                Duration flapQuiet, Duration prefixDebounce, boolean anyPrefixUnreachable,
                                Severity anyPrefixSeverity, int maxAnyPrefixTracked, long backupTrafficBytes,
                                Duration defaultFailoverObjective, CircuitThresholds defaultThresholds,
                                Duration correlationWindow, int incidentHistory, Duration resolveHoldDown,
                                Duration convergence, Duration pathSelectionAllowance, Duration feedSilence,
                                Duration neverUpAfter) {

    public DetectionSettings {
        nonNegative(resolveHoldDown, "resolveHoldDown");
        nonNegative(convergence, "convergence");
        nonNegative(pathSelectionAllowance, "pathSelectionAllowance");
        nonNegative(feedSilence, "feedSilence");
        nonNegative(neverUpAfter, "neverUpAfter");
        nonNegative(sessionDownDwell, "sessionDownDwell");
        nonNegative(flapWindow, "flapWindow");
        nonNegative(flapQuiet, "flapQuiet");
        nonNegative(prefixDebounce, "prefixDebounce");
        nonNegative(defaultFailoverObjective, "defaultFailoverObjective");
        nonNegative(correlationWindow, "correlationWindow");
        Objects.requireNonNull(anyPrefixSeverity, "anyPrefixSeverity is required");
        Objects.requireNonNull(defaultThresholds, "defaultThresholds is required");
        if (flapTransitions < 2) {
            throw new IllegalArgumentException("flapTransitions must be at least 2, was " + flapTransitions);
        }
        if (maxAnyPrefixTracked < 0 || incidentHistory < 0 || backupTrafficBytes < 1) {
            throw new IllegalArgumentException("maxAnyPrefixTracked and incidentHistory must be >= 0, "
                    + "backupTrafficBytes >= 1");
        }
    }

    /** The documented defaults. */
    public static DetectionSettings defaults() {
        return new DetectionSettings(Duration.ZERO, 4, Duration.ofMinutes(5), Duration.ofMinutes(5),
                Duration.ofSeconds(3), false, Severity.MINOR, 10_000, 65_536, Duration.ofSeconds(30),
                CircuitThresholds.defaults(), Duration.ofMinutes(5), 500, Duration.ofSeconds(5), Duration.ofSeconds(30),
                Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofMinutes(10));
    }

    public DetectionSettings withSessionDownDwell(Duration d) {
        return new DetectionSettings(d, flapTransitions, flapWindow, flapQuiet, prefixDebounce, anyPrefixUnreachable,
                anyPrefixSeverity, maxAnyPrefixTracked, backupTrafficBytes, defaultFailoverObjective,
                defaultThresholds, correlationWindow, incidentHistory, resolveHoldDown, convergence, pathSelectionAllowance, feedSilence, neverUpAfter);
    }

    public DetectionSettings withFlapping(int transitions, Duration window, Duration quiet) {
        return new DetectionSettings(sessionDownDwell, transitions, window, quiet, prefixDebounce,
                anyPrefixUnreachable, anyPrefixSeverity, maxAnyPrefixTracked, backupTrafficBytes,
                defaultFailoverObjective, defaultThresholds, correlationWindow, incidentHistory, resolveHoldDown, convergence, pathSelectionAllowance, feedSilence, neverUpAfter);
    }

    public DetectionSettings withPrefixDebounce(Duration d) {
        return new DetectionSettings(sessionDownDwell, flapTransitions, flapWindow, flapQuiet, d, anyPrefixUnreachable,
                anyPrefixSeverity, maxAnyPrefixTracked, backupTrafficBytes, defaultFailoverObjective,
                defaultThresholds, correlationWindow, incidentHistory, resolveHoldDown, convergence, pathSelectionAllowance, feedSilence, neverUpAfter);
    }

    public DetectionSettings withAnyPrefix(boolean enabled, Severity severity, int maxTracked) {
        return new DetectionSettings(sessionDownDwell, flapTransitions, flapWindow, flapQuiet, prefixDebounce, enabled,
                severity, maxTracked, backupTrafficBytes, defaultFailoverObjective, defaultThresholds,
                correlationWindow, incidentHistory, resolveHoldDown, convergence, pathSelectionAllowance, feedSilence, neverUpAfter);
    }

    public DetectionSettings withBackupTrafficBytes(long bytes) {
        return new DetectionSettings(sessionDownDwell, flapTransitions, flapWindow, flapQuiet, prefixDebounce,
                anyPrefixUnreachable, anyPrefixSeverity, maxAnyPrefixTracked, bytes, defaultFailoverObjective,
                defaultThresholds, correlationWindow, incidentHistory, resolveHoldDown, convergence, pathSelectionAllowance, feedSilence, neverUpAfter);
    }

    public DetectionSettings withCorrelationWindow(Duration d) {
        return new DetectionSettings(sessionDownDwell, flapTransitions, flapWindow, flapQuiet, prefixDebounce,
                anyPrefixUnreachable, anyPrefixSeverity, maxAnyPrefixTracked, backupTrafficBytes,
                defaultFailoverObjective, defaultThresholds, d, incidentHistory, resolveHoldDown, convergence, pathSelectionAllowance, feedSilence, neverUpAfter);
    }

    public DetectionSettings withResolveHoldDown(Duration d) {
        return new DetectionSettings(sessionDownDwell, flapTransitions, flapWindow, flapQuiet, prefixDebounce,
                anyPrefixUnreachable, anyPrefixSeverity, maxAnyPrefixTracked, backupTrafficBytes,
                defaultFailoverObjective, defaultThresholds, correlationWindow, incidentHistory, d, convergence, pathSelectionAllowance, feedSilence, neverUpAfter);
    }

    public DetectionSettings withConvergence(Duration d) {
        return new DetectionSettings(sessionDownDwell, flapTransitions, flapWindow, flapQuiet, prefixDebounce,
                anyPrefixUnreachable, anyPrefixSeverity, maxAnyPrefixTracked, backupTrafficBytes,
                defaultFailoverObjective, defaultThresholds, correlationWindow, incidentHistory, resolveHoldDown, d, pathSelectionAllowance, feedSilence, neverUpAfter);
    }

    public DetectionSettings withPathSelectionAllowance(Duration d) {
        return new DetectionSettings(sessionDownDwell, flapTransitions, flapWindow, flapQuiet, prefixDebounce,
                anyPrefixUnreachable, anyPrefixSeverity, maxAnyPrefixTracked, backupTrafficBytes,
                defaultFailoverObjective, defaultThresholds, correlationWindow, incidentHistory, resolveHoldDown,
                convergence, d, feedSilence, neverUpAfter);
    }

    /** Telemetry silence after which a router's feed counts as lost, and the never-came-up wait; 0 turns each off. */
    public DetectionSettings withFeeds(Duration silence, Duration neverUp) {
        return new DetectionSettings(sessionDownDwell, flapTransitions, flapWindow, flapQuiet, prefixDebounce,
                anyPrefixUnreachable, anyPrefixSeverity, maxAnyPrefixTracked, backupTrafficBytes,
                defaultFailoverObjective, defaultThresholds, correlationWindow, incidentHistory, resolveHoldDown,
                convergence, pathSelectionAllowance, silence, neverUp);
    }

    private static void nonNegative(Duration d, String name) {
        Objects.requireNonNull(d, name + " is required");
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + d);
        }
    }
}
