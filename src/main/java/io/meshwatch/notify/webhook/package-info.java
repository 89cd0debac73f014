/**
 * Webhook sink: Alertmanager webhook payload version 4 ({@link io.meshwatch.notify.webhook.WebhookPayload}),
 * {@code X-Meshwatch-Signature} ({@link io.meshwatch.notify.webhook.Signatures}), {@code Idempotency-Key}
 * ({@link io.meshwatch.notify.webhook.WebhookSink}).
 *
 * <p>Invariants: the payload is built when the outbox row is written and sent unchanged on every
 * retry, so the signature and key are the same each time; 2xx is delivered; 5xx, 429, timeouts and
 * connection errors are retried by the outbox; any other status fails at once.
 *
 * <p>Threading: the sink is called on the outbox sender's context and answers asynchronously.
 */
package io.meshwatch.notify.webhook;
