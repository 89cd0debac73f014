package io.meshwatch.notify;

import io.meshwatch.alerting.Alert;
import io.meshwatch.alerting.AlertChange;
import io.meshwatch.alerting.AlertLifecycle.Notify;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Optional;

/**
 * One integration: a kind of destination the outbox is drained to (webhooks, the Alertmanager push,
 * the Kafka topic of lifecycle events), each in a package of its own behind this contract. For an
 * alert change, {@link Outbox} asks every sink what to write ({@link #entries}), in the change's
 * transaction; {@link OutboxSender} then claims a row, asks the sink that owns its {@code receiver}
 * to send the stored payload, and records the {@link Attempt}. A new integration is one new sink.
 *
 * <p>Implementations never fail the returned {@code Uni}: every failure is an {@link Attempt}. They
 * are called on the sender's Vert.x context, one row at a time, and must not block it.
 */
public interface Sink {

    /** True when rows of this receiver name are this sink's. */
    boolean owns(String receiver);

    /** Sends one row's payload; the idempotency key is the row's, the same on every retry. */
    Uni<Attempt> send(Outbox.Row row);

    /**
     * The rows this integration sends for an alert change: a raise or resolve ({@code kind}, possibly
     * {@code NONE}) and, when {@code change} is not null, its lifecycle event. Build each with
     * {@link Outbox.Entry#of}; {@code externalUrl} is where people reach Meshwatch.
     */
    List<Outbox.Entry> entries(Alert alert, Notify kind, AlertChange change, String externalUrl);

    /** The receiver name this built-in integration uses in the outbox (no webhook may take it), or empty. */
    default Optional<String> builtInName() {
        return Optional.empty();
    }
}
