package io.meshwatch.notify.stream;

import io.meshwatch.alerting.AlertChange;
import io.meshwatch.detect.Incident;
import io.meshwatch.detect.Signal;
import io.meshwatch.network.SessionChange;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live stream's hub: committed alert changes, detection's signals and incidents, and BGP
 * session state changes, fanned out to every open {@code GET /api/v1/stream}.
 *
 * <p>Best effort, in memory: what happened while a client was away is in the API (and in the Kafka
 * topic of alert events). Events raised on this instance go to its clients at once and to the relay
 * ({@link #onLocal}); events of the other instances come back through the relay ({@link #relayed}).
 * A client more than {@value #BUFFER} events behind is disconnected rather than buffered without bound.
 *
 * <p>Its sources are CDI events ({@link AlertChange}, {@link Signal}, {@link Incident},
 * {@link SessionChange}), observed synchronously on the producer's thread.
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

    /**
     * The payload of an event raised on another instance and relayed here (cluster.stream): its JSON
     * as the API writes it, and the instance it came from.
     */
    public record Relayed(String origin, String json) {
    }

    /** The event types, as SSE event names. */
    public enum Type {
        ALERT, SIGNAL, INCIDENT, SESSION;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Set<MultiEmitter<? super Event>> subscribers = new CopyOnWriteArraySet<>();
    private final List<Consumer<Event>> relays = new CopyOnWriteArrayList<>();
    private final AtomicLong seq = new AtomicLong();
    /** A committed alert change (a CDI event of the alert writer, after its commit). */
    void alert(@Observes AlertChange c) {
        publish(Type.ALERT, c);
    }

    /** A signal transition (a CDI event of detection, on the engine's thread under its lock). */
    void signal(@Observes Signal s) {
        publish(Type.SIGNAL, s);
    }

    /** An incident snapshot (a CDI event of detection). */
    void incident(@Observes Incident i) {
        publish(Type.INCIDENT, i);
    }

    /** A BGP session state change on a router this instance owns (a CDI event, on the input channel). */
    void session(@Observes SessionChange c) {
        publish(Type.SESSION, c);
    }

    /** Every event published from now on, until the subscriber cancels or falls {@value #BUFFER} behind. */
    public Multi<Event> subscribe() {
        return Multi.createFrom().<Event>emitter(em -> {
            subscribers.add(em);
            em.onTermination(() -> subscribers.remove(em));
        }, BackPressureStrategy.ERROR).onOverflow().buffer(BUFFER);
    }

    /**
     * Registers a consumer of every event raised on this instance (not relayed ones), subscribers or
     * not: the relay to the other instances. Called on the producer's thread, so it must only queue.
     */
    public void onLocal(Consumer<Event> relay) {
        relays.add(relay);
    }

    void publish(Type type, Object payload) {
        if (subscribers.isEmpty() && relays.isEmpty()) {
            return;
        }
        Event e = emit(type, payload);
        for (Consumer<Event> r : relays) {
            r.accept(e);
        }
    }

    /** An event raised on another instance ({@code json} as the API writes it), for this instance's clients. */
    public void relayed(Type type, String origin, String json) {
        if (!subscribers.isEmpty()) {
            emit(type, new Relayed(origin, json));
        }
    }

    private Event emit(Type type, Object payload) {
        Event e = new Event(type, seq.incrementAndGet(), payload);
        for (MultiEmitter<? super Event> em : subscribers) {
            em.emit(e);
        }
        return e;
    }

    /** Open streams now (for tests and health). */
    public int subscribers() {
        return subscribers.size();
    }
}
