package io.meshwatch.detect.runtime;

import io.meshwatch.detect.DetectionListener;
import io.meshwatch.detect.Incident;
import io.meshwatch.detect.Signal;
import io.meshwatch.detect.SignalType;
import io.meshwatch.detect.Switchover;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * Where the detection engine's findings go: the log, metrics, a short in-memory history of signal
 * transitions for the API, and, as CDI events ({@link Signal}, {@link Incident}), whoever observes
 * them (the alert writer, the live stream).
 *
 * <p>Threading: called by the engine under {@link DetectionService}'s lock; the history is read
 * by API threads under its own monitor. The events are synchronous: observers run on the engine's
 * thread, under its lock, and must only queue.
 */
@ApplicationScoped
public class DetectionOutput implements DetectionListener {

    private static final Logger LOG = Logger.getLogger("io.meshwatch.detect");
    private static final int HISTORY = 1000;

    private final MeterRegistry registry;
    private final Deque<Signal> history = new ArrayDeque<>();
    private final Event<Signal> signals;
    private final Event<Incident> incidents;

    public DetectionOutput(MeterRegistry registry, Event<Signal> signals, Event<Incident> incidents) {
        this.registry = registry;
        this.signals = signals;
        this.incidents = incidents;
    }

    @Override
    public void signal(Signal s) {
        if (!s.update()) {
            Counter.builder("meshwatch.detect.signals").description("Signal transitions (raised or resolved)")
                    .tag("type", s.type().alertName()).tag("status", lower(s.status()))
                    .register(registry).increment();
            if (s.isFiring()) {
                Timer.builder("meshwatch.detect.latency")
                        .description("Detection latency: signal raised (Meshwatch clock) minus the router's event time; "
                                + "dwell and debounce included")
                        .tag("type", s.type().alertName())
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(10))
                        .register(registry).record(positive(s.detectionLatency()));
            }
            LOG.infof("%s %s %s %s%s: %s", s.isFiring() ? "FIRING" : "RESOLVED", s.type().alertName(),
                    lower(s.severity()), s.labels(), s.inhibited() ? " (inhibited, incident " + s.incidentId() + ")"
                            : " (incident " + s.incidentId() + ")", s.summary());
        }
        synchronized (history) {
            history.addFirst(s);
            while (history.size() > HISTORY) {
                history.removeLast();
            }
        }
        signals.fire(s);
    }

    @Override
    public void incident(Incident incident) {
        LOG.debugf("incident %s %s: %s", incident.id(), lower(incident.status()), incident.title());
        incidents.fire(incident);
    }

    @Override
    public void failoverMeasured(String group, Switchover failover, Duration objective) {
        if (failover.duration() != null) {
            switchover("meshwatch.ipsec.failover.duration", "IPSec failover durations: primary down to backup carrying traffic",
                    group, failover.duration());
        }
    }

    @Override
    public void failbackMeasured(String group, Switchover failback) {
        if (failback.duration() != null) {
            switchover("meshwatch.ipsec.failback.duration", "IPSec failback durations: primary back up to carrying traffic",
                    group, failback.duration());
        }
    }

    private void switchover(String name, String description, String group, Duration d) {
        Timer.builder(name).description(description).tag("tunnel_group", group)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(100)).maximumExpectedValue(Duration.ofMinutes(30))
                .register(registry).record(positive(d));
    }

    /** Recent signal transitions and updates, newest first. */
    public List<Signal> recent(int limit) {
        synchronized (history) {
            List<Signal> out = new ArrayList<>(Math.min(limit, history.size()));
            for (Signal s : history) {
                if (out.size() == limit) {
                    break;
                }
                out.add(s);
            }
            return out;
        }
    }

    private static Duration positive(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** All signal types, for metrics that list each. */
    static SignalType[] types() {
        return SignalType.values();
    }
}
