package io.meshwatch.notify.stream;

import io.meshwatch.alerting.AlertChange;
import io.meshwatch.alerting.AlertService;
import io.meshwatch.detect.Incident;
import io.meshwatch.detect.Signal;
import io.meshwatch.detect.runtime.DetectionOutput;
import io.meshwatch.detect.runtime.DetectionService;
import io.meshwatch.network.SessionChange;
import io.meshwatch.platform.StartupOrder;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live stream's hub: committed alert changes, detection's signals and incidents, and BGP
 * session state changes, fanned out to every open {@code GET /api/v1/stream}.
 *
 * <p>Best effort, in memory, this instance only: what happened while a client was away is in the
 * API (and in the Kafka topic of alert events). A client more than {@value #BUFFER} events behind is
 * disconnected rather than buffered without bound.
 *
 * <p>Threading: producers (the alert writer after a commit, the detection engine under its lock,
 * the input channel) only hand the event to each subscriber's emitter, which is thread-safe and
 * delivers on the subscriber's side.
 */
@ApplicationScoped
public class LiveStream {

    /** Events a client may fall behind before it is disconnected. */
    public static final int BUFFER = 1024;

    /** One event: its type (the SSE event name), a per-process sequence number, and the domain object. */
    public record Event(Type type, long seq, Object payload) {
    }

    /** The event types, as SSE event names. */
    public enum Type {
        ALERT, SIGNAL, INCIDENT, SESSION;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Set<MultiEmitter<? super Event>> subscribers = new CopyOnWriteArraySet<>();
    private final AtomicLong seq = new AtomicLong();
    private final AlertService alerts;
    private final DetectionOutput detection;
    private final DetectionService sessions;

    public LiveStream(AlertService alerts, DetectionOutput detection, DetectionService sessions) {
        this.alerts = alerts;
        this.detection = detection;
        this.sessions = sessions;
    }

    void start(@Observes @Priority(StartupOrder.RESTORE + 2) StartupEvent ev) {
        alerts.onChange((AlertChange c) -> publish(Type.ALERT, c));
        detection.onSignal((Signal s) -> publish(Type.SIGNAL, s));
        detection.onIncident((Incident i) -> publish(Type.INCIDENT, i));
        sessions.onSessionChange((SessionChange c) -> publish(Type.SESSION, c));
    }

    /** Every event published from now on, until the subscriber cancels or falls {@value #BUFFER} behind. */
    public Multi<Event> subscribe() {
        return Multi.createFrom().<Event>emitter(em -> {
            subscribers.add(em);
            em.onTermination(() -> subscribers.remove(em));
        }, BackPressureStrategy.ERROR).onOverflow().buffer(BUFFER);
    }

    void publish(Type type, Object payload) {
        if (subscribers.isEmpty()) {
            return;
        }
        Event e = new Event(type, seq.incrementAndGet(), payload);
        for (MultiEmitter<? super Event> em : subscribers) {
            em.emit(e);
        }
    }

    /** Open streams now (for tests and health). */
    public int subscribers() {
        return subscribers.size();
    }
}
