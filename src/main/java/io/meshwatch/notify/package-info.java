/**
 * Notifications: the configured receivers and routing ({@link io.meshwatch.notify.Receivers},
 * {@link io.meshwatch.notify.Receiver#accepts}), the transactional outbox
 * ({@link io.meshwatch.notify.Outbox}) and its drain ({@link io.meshwatch.notify.OutboxSender}) to
 * one {@link io.meshwatch.notify.Sink} per integration: {@code webhook/}, {@code alertmanager/},
 * {@code kafka/}; and the live stream ({@code stream/}). Alerting reaches it only through its own
 * contract {@link io.meshwatch.alerting.AlertNotifications} ({@link io.meshwatch.notify.OutboxNotifications});
 * each integration builds its own rows ({@link io.meshwatch.notify.Sink#entries}) and this package
 * names none of them: dependencies run one way, integrations to {@code notify} to {@code alerting}.
 *
 * <p>Invariants: a notification (or Kafka event) exists if and only if the alert change it announces
 * committed; a row is taken by one sender at a time ({@code FOR UPDATE SKIP LOCKED}) and not before
 * every earlier row of the same alert and receiver has left {@code pending} (one alert's
 * notifications reach a receiver in the order they were written); its idempotency
 * key is stable across retries and restarts; a row ends {@code delivered} or {@code failed} with its
 * attempts, last HTTP status and error kept for the API. The receiver names the built-in sinks use
 * ({@link io.meshwatch.notify.Sink#builtInName}: {@code alertmanager}, {@code kafka}) are theirs; a configuration problem stops start-up with one line.
 *
 * <p>Threading: receivers are immutable after start-up; the outbox is stateless SQL; the sender runs
 * one drain loop per instance on one Vert.x context and sinks never block it ({@code wake()} is safe
 * from any thread).
 */
package io.meshwatch.notify;
