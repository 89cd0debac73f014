/**
 * Alertmanager push: {@code POST /api/v2/alerts} of raise and resolve through the outbox
 * ({@link io.meshwatch.notify.alertmanager.AlertmanagerSink}, body by
 * {@link io.meshwatch.notify.alertmanager.AlertmanagerPayload}), and the periodic re-send of open
 * alerts ({@link io.meshwatch.notify.alertmanager.AlertmanagerResender}).
 *
 * <p>Invariants: an open alert is pushed without {@code endsAt} (Alertmanager's resolve_timeout
 * applies from the last push); a resolved one with an {@code endsAt} that is never after Meshwatch's
 * resolve time nor before its start; only alerts receivers were told of (neither inhibited nor
 * silenced) are re-sent. Off unless {@code meshwatch.notify.alertmanager.url} is set.
 *
 * <p>Threading: the sink runs on the outbox sender's context; the re-send on one periodic timer, one
 * round at a time.
 */
package io.meshwatch.notify.alertmanager;
