/**
 * The Kafka topic of alert lifecycle events ({@code meshwatch.alerts.v1}): the event JSON
 * ({@link io.meshwatch.notify.kafka.AlertEvents}) is written to the outbox in the change's
 * transaction and published by {@link io.meshwatch.notify.kafka.AlertEventSink}.
 *
 * <p>Invariants: keyed by fingerprint; one row per event ({@code <fingerprint>-<count>-<event>}), so
 * a replayed change publishes nothing new; delivered only when the broker acknowledged
 * ({@code acks=all}).
 *
 * <p>Threading: sends block on a Vert.x worker, never on the sender's event loop; the producer is
 * created on first use and closed at shutdown.
 */
package io.meshwatch.notify.kafka;
