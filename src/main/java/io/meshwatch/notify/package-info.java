/**
 * Notifications: the configured receivers and routing ({@link io.meshwatch.notify.Receivers},
 * {@link io.meshwatch.notify.Receiver#accepts}) and the transactional outbox
 * ({@link io.meshwatch.notify.Outbox}); one folder per integration ({@code webhook/}).
 *
 * <p>Invariants: a notification exists if and only if the alert change it announces committed; a
 * row is taken by one sender at a time ({@code FOR UPDATE SKIP LOCKED}); its idempotency key is
 * stable across retries and restarts; a row ends {@code delivered} or {@code failed} with its
 * attempts, last HTTP status and error kept for the API.
 *
 * <p>Threading: receivers are immutable after start-up; the outbox is stateless SQL.
 */
package io.meshwatch.notify;
