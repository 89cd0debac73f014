package io.meshwatch.api;

import io.meshwatch.alerting.Alert;
import io.meshwatch.alerting.IncidentStore;
import io.meshwatch.detect.CircuitView;
import io.meshwatch.detect.Impact;
import io.meshwatch.detect.Incident;
import io.meshwatch.detect.Signal;
import io.meshwatch.detect.Switchover;
import io.meshwatch.detect.TimelineEntry;
import io.meshwatch.detect.TunnelGroupView;
import io.meshwatch.inventory.InventoryReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Response records of the tunnels, circuits, incidents and signals endpoints, built from the
 * detection core's read models. Enum values are spelt as in the inventory ({@code direct-connect},
 * {@code primary}); durations are seconds.
 */
public final class DetectionViews {

    private DetectionViews() {
    }

    static String spell(Enum<?> e) {
        return e == null ? null : InventoryReader.spell(e);
    }

    static Double seconds(Duration d) {
        return d == null ? null : d.toMillis() / 1000.0;
    }

    /**
     * A move of a group's traffic between tunnels.
     *
     * @param start           when it began (router time); the earliest instant when only bounded
     * @param startLatest     the latest instant it can have begun, when the start is only bounded
     *                        (BGP was the only evidence: a hold-timer expiry); null when exact
     * @param clock           the evidence that started the failover clock: {@code interface},
     *                        {@code tunnel}, {@code circuit-probes}, {@code bgp-session} or
     *                        {@code bgp-hold-timer}; null for a failback
     * @param end             when the target carried traffic, or null while in progress
     * @param durationSeconds end minus start (the longest it can have taken, when bounded), or null
     *                        while in progress
     * @param minSeconds      the shortest it can have taken ({@code end - startLatest}) when bounded, else null
     * @param maxSeconds      equal to {@code durationSeconds} when bounded, else null
     * @param completedBy     {@code route} (the target's path became best), {@code traffic} (its bytes
     *                        grew) or {@code abandoned}; null while in progress
     */
    public record SwitchoverView(Instant start, Instant startLatest, String clock, String cause, String from,
                                 String to, Instant end, Double durationSeconds, Double minSeconds,
                                 Double maxSeconds, String completedBy) {
        static SwitchoverView of(Switchover s) {
            if (s == null) {
                return null;
            }
            boolean bounded = s.bounded();
            return new SwitchoverView(s.start(), bounded ? s.startLatest() : null, s.clock(), s.cause(), s.from(),
                    s.to(), s.end(), seconds(s.duration()), bounded ? seconds(s.minDuration()) : null,
                    bounded ? seconds(s.duration()) : null, spell(s.completedBy()));
        }
    }

    /**
     * One tunnel of a group; {@code status} is detection's view, {@code tunnelState} the last report;
     * {@code staleSince} when the feed of its {@code router} was lost (all of it is as last reported), else null.
     */
    public record TunnelView(String id, String role, String circuit, String status, String tunnelState, Long bytes,
                             String router, Instant staleSince) {
    }

    /**
     * A tunnel group.
     *
     * @param phase    {@code normal}, {@code failing-over}, {@code on-backup}, {@code failing-back} or {@code down}
     * @param carrying the tunnel that carries traffic now, or null when none is known to
     */
    public record TunnelGroupResponse(String id, double objectiveSeconds, String phase, String carrying,
                                      boolean allDown, List<TunnelView> tunnels, SwitchoverView inProgress,
                                      SwitchoverView lastFailover, SwitchoverView lastFailback) {
        static TunnelGroupResponse of(TunnelGroupView g) {
            return new TunnelGroupResponse(g.id(), seconds(g.objective()), spell(g.phase()), g.carrying(), g.allDown(),
                    g.tunnels().stream().map(t -> new TunnelView(t.id(), spell(t.role()), t.circuit(), spell(t.status()),
                            t.tunnelState(), t.bytes(), t.router(), t.staleSince())).toList(),
                    SwitchoverView.of(g.inProgress()), SwitchoverView.of(g.lastFailover()),
                    SwitchoverView.of(g.lastFailback()));
        }
    }

    /** A circuit with its state, why, and the latest measurements. */
    public record CircuitResponse(String id, String kind, String provider, String state, Instant since,
                                  List<String> reasons, CircuitView.Probe probe, Double retransmitPct,
                                  CircuitView.Counters counters) {
        static CircuitResponse of(CircuitView c) {
            return new CircuitResponse(c.id(), spell(c.kind()), c.provider(), spell(c.state()), c.since(), c.reasons(),
                    c.probe(), c.retransmitPct(), c.counters());
        }
    }

    /**
     * A signal as the API shows it.
     *
     * @param name                    the alert name ({@code CircuitDown}, ...)
     * @param detectionLatencySeconds Meshwatch's decision time minus the router's event time
     */
    public record SignalResponse(String name, String fingerprint, String status, String severity,
                                 Map<String, String> labels, String summary, Map<String, String> annotations,
                                 Instant startedAt, Instant endedAt, Instant raisedAt, Instant resolvedAt,
                                 String incidentId, boolean inhibited, Double detectionLatencySeconds) {
        static SignalResponse of(Signal s) {
            return new SignalResponse(s.type().alertName(), s.fingerprint(), spell(s.status()), spell(s.severity()),
                    s.labels(), s.summary(), s.annotations(), s.startedAt(), s.endedAt(), s.raisedAt(),
                    s.resolvedAt(), s.incidentId(), s.inhibited(), seconds(s.detectionLatency()));
        }

        /** A stored incident's member, from its alert (no detection latency: the alert does not keep it). */
        static SignalResponse of(Alert a) {
            return new SignalResponse(a.alertName(), a.fingerprint(), a.state().open() ? "firing" : "resolved",
                    spell(a.severity()), a.labels(), a.summary(), a.annotations(), a.startedAt(), a.endedAt(),
                    a.lastRaisedAt(), a.resolvedAt(), a.incidentId(), a.inhibited(), null);
        }
    }

    /**
     * An incident: the root cause, the signals it explains, the blast radius and the timeline.
     * {@code source} is {@code live} (the running engine's) or {@code stored} (from PostgreSQL: older,
     * or from before a restart; its root and children are its alerts as stored).
     */
    public record IncidentResponse(String id, String status, String title, String severity, SignalResponse root,
                                   List<SignalResponse> children, Impact impact, List<TimelineEntry> timeline,
                                   Instant openedAt, Instant resolvedAt, String mergedInto, String source) {
        static IncidentResponse of(Incident i) {
            return new IncidentResponse(i.id(), spell(i.status()), i.title(), spell(i.severity()),
                    SignalResponse.of(i.root()), i.children().stream().map(SignalResponse::of).toList(), i.impact(),
                    i.timeline(), i.openedAt(), i.resolvedAt(), i.mergedInto(), "live");
        }

        static IncidentResponse of(IncidentStore.Stored i, List<IncidentStore.Member> members) {
            SignalResponse root = null;
            List<SignalResponse> children = new java.util.ArrayList<>();
            for (IncidentStore.Member m : members) {
                if (m.incidentId().equals(i.id())) {
                    if ("root".equals(m.role())) {
                        root = SignalResponse.of(m.alert());
                    } else {
                        children.add(SignalResponse.of(m.alert()));
                    }
                }
            }
            return new IncidentResponse(i.id(), i.status(), i.title(), i.severity(), root, children, i.impact(),
                    i.timeline(), i.openedAt(), i.resolvedAt(), i.mergedInto(), "stored");
        }
    }
}
