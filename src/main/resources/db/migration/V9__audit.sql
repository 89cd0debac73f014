-- Every change made through the API (issue 17, docs/operations.md "Audit trail"): who (the API key's
-- name and role), when, from where (the client's address, and X-Forwarded-For as sent), and what
-- (method, path, the answer's status, and the answer's entity with secrets redacted). Written by
-- audit.AuditWriter, read at GET /api/v1/audit (admins), kept for meshwatch.audit.keep-for.
CREATE TABLE audit_log (
    id            BIGSERIAL   PRIMARY KEY,
    at            TIMESTAMPTZ NOT NULL,
    actor         TEXT        NOT NULL,
    role          TEXT,
    address       TEXT,
    forwarded_for TEXT,
    method        TEXT        NOT NULL,
    path          TEXT        NOT NULL,
    status        INT         NOT NULL,
    detail        TEXT,
    answered_by   TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor_at ON audit_log (actor, at);
