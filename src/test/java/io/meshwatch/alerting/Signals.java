package io.meshwatch.alerting;

import io.meshwatch.detect.Signal;
import io.meshwatch.detect.SignalStatus;
import io.meshwatch.detect.SignalType;
import io.meshwatch.inventory.Severity;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** Builds signals as the detection engine emits them, for alerting tests. */
public final class Signals {

    private Signals() {
    }

    public static Signal firing(SignalType type, Severity severity, Map<String, String> labels, String summary,
                                Instant at, String incident, boolean inhibited) {
        return new Signal(type, SignalStatus.FIRING, severity, new TreeMap<>(labels), summary, new TreeMap<>(),
                at, null, at, null, incident, inhibited, false);
    }

    public static Signal resolved(Signal firing, Instant at) {
        return new Signal(firing.type(), SignalStatus.RESOLVED, firing.severity(), firing.labels(), firing.summary(),
                firing.annotations(), firing.startedAt(), at, firing.raisedAt(), at, firing.incidentId(),
                firing.inhibited(), false);
    }

    public static Signal update(Signal s, String incident, boolean inhibited, Map<String, String> annotations) {
        return new Signal(s.type(), s.status(), s.severity(), s.labels(), s.summary(), new TreeMap<>(annotations),
                s.startedAt(), s.endedAt(), s.raisedAt(), s.resolvedAt(), incident, inhibited, true);
    }
}
