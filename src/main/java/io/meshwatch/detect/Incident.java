package io.meshwatch.detect;

import io.meshwatch.inventory.Severity;
import java.time.Instant;
import java.util.List;

/**
 * Signals that share a cause, as one thing to work on: the root cause, the signals it explains
 * (children, inhibited), what was hit and what happened when. Immutable snapshot; the engine emits
 * a new one on every change, with the same {@code id}.
 *
 * @param id         stable id ({@code inc-} and 12 hex digits of a hash of the root's fingerprint
 *                   and the opening time): the same for every snapshot of this incident
 * @param status     open, resolved, or merged into {@code mergedInto}
 * @param title      one line, e.g. {@code Circuit dx-ash-use1 down: 2 sessions down, vpn-ash-use1
 *                   failed over to vpn-ash-use1-inet in 12.4 s, 3 prefixes moved}
 * @param severity   the most severe of its signals since it opened
 * @param root       the root-cause signal (latest state)
 * @param children   the signals it explains (latest state), in the order they joined
 * @param impact     blast radius
 * @param timeline   what happened, ordered by time
 * @param openedAt   clock time the root was raised
 * @param resolvedAt clock time its last signal resolved; null unless resolved
 * @param mergedInto id of the incident that absorbed it; null unless merged
 */
public record Incident(String id, IncidentStatus status, String title, Severity severity, Signal root,
                       List<Signal> children, Impact impact, List<TimelineEntry> timeline, Instant openedAt,
                       Instant resolvedAt, String mergedInto) {

    public Incident {
        children = List.copyOf(children);
        timeline = List.copyOf(timeline);
    }

    /** True while any of its signals fires. */
    public boolean isOpen() {
        return status == IncidentStatus.OPEN;
    }
}
