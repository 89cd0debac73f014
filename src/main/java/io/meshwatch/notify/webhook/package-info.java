/**
 * Webhook notifier: Alertmanager webhook payload version 4 ({@link io.meshwatch.notify.webhook.WebhookPayload}),
 * {@code X-Meshwatch-Signature} ({@link io.meshwatch.notify.webhook.Signatures}), {@code Idempotency-Key},
 * and the outbox drain with retries ({@link io.meshwatch.notify.webhook.WebhookSender}).
 *
 * <p>Invariants: 2xx is delivered; 5xx, 429, timeouts and connection errors are retried with
 * exponential backoff until the row's deadline; any other status fails at once. No polling delay:
 * a commit that wrote rows wakes the sender; the poll is a fallback.
 *
 * <p>Threading: the drain loop runs on one Vert.x context per instance, one batch at a time;
 * {@code wake()} is safe from any thread. Several instances share the table safely.
 */
package io.meshwatch.notify.webhook;
