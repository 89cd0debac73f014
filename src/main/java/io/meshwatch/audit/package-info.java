/**
 * The audit trail: every change made through the API (acknowledge, resolve, silence, inventory
 * edit, receiver test, scenario start; refused ones too) with who, when, from where and what, in
 * PostgreSQL ({@code audit_log}), readable by admins at {@code GET /api/v1/audit}, kept for
 * {@code meshwatch.audit.keep-for}.
 *
 * <h2>Invariants</h2>
 * No secret is stored: the entry holds the answer, never the request's headers or body, and every
 * value under a field whose name says it is a secret is replaced ({@link io.meshwatch.audit.Redaction}).
 * A change forwarded between instances is recorded once, by the instance the client called. Entries
 * are never changed, only deleted when older than the retention.
 *
 * <h2>Threading</h2>
 * {@link io.meshwatch.audit.AuditFilter} runs on the answer's thread and only queues;
 * {@link io.meshwatch.audit.AuditTrail} writes on a Vert.x timer, one batch at a time, and is
 * thread-safe. {@link io.meshwatch.audit.Redaction} is plain and stateless.
 */
package io.meshwatch.audit;
