package io.meshwatch.audit;

import java.time.Instant;

/**
 * One change made through the API.
 *
 * @param actor        the API key's name
 * @param role         the key's role
 * @param address      the client's address as this instance saw it
 * @param forwardedFor the {@code X-Forwarded-For} header as sent (not trusted, recorded)
 * @param status       the answer's HTTP status (a refused change is recorded too)
 * @param detail       the answer's entity as JSON, secrets redacted, at most {@link Redaction#MAX_DETAIL} characters
 * @param answeredBy   the instance that answered it
 */
public record AuditEntry(Long id, Instant at, String actor, String role, String address, String forwardedFor,
                         String method, String path, int status, String detail, String answeredBy) {
}
