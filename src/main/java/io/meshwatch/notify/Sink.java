package io.meshwatch.notify;

import io.smallrye.mutiny.Uni;

/**
 * One kind of destination the outbox is drained to: webhooks, the Alertmanager push, the Kafka
 * topic of lifecycle events. {@link OutboxSender} claims a row, asks the sink that owns its
 * {@code receiver} to send the stored payload, and records the {@link Attempt}.
 *
 * <p>Implementations never fail the returned {@code Uni}: every failure is an {@link Attempt}. They
 * are called on the sender's Vert.x context, one row at a time, and must not block it.
 */
public interface Sink {

    /** True when rows of this receiver name are this sink's. */
    boolean owns(String receiver);

    /** Sends one row's payload; the idempotency key is the row's, the same on every retry. */
    Uni<Attempt> send(Outbox.Row row);
}
