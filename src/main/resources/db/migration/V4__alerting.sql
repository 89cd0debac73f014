-- Alerts, their history, silences, incidents and the notification outbox (docs/alerts.md).
-- One row per alert identity (fingerprint); a repeat updates the row and bumps raise_count.
CREATE TABLE alert (
    fingerprint      TEXT        PRIMARY KEY,
    alertname        TEXT        NOT NULL,
    state            TEXT        NOT NULL CHECK (state IN ('firing', 'acknowledged', 'resolved')),
    severity         TEXT        NOT NULL,
    labels           JSONB       NOT NULL,
    annotations      JSONB       NOT NULL,
    summary          TEXT        NOT NULL,
    incident_id      TEXT,
    inhibited        BOOLEAN     NOT NULL,
    silenced_by      TEXT,
    started_at       TIMESTAMPTZ NOT NULL,
    ended_at         TIMESTAMPTZ,
    first_raised_at  TIMESTAMPTZ NOT NULL,
    last_raised_at   TIMESTAMPTZ NOT NULL,
    resolved_at      TIMESTAMPTZ,
    acknowledged_by  TEXT,
    acknowledged_at  TIMESTAMPTZ,
    ack_comment      TEXT,
    raise_count      INTEGER     NOT NULL CHECK (raise_count > 0),
    updated_at       TIMESTAMPTZ NOT NULL
);
-- The alert list: newest change first, filtered by state / severity / type, or by label (router, circuit).
CREATE INDEX alert_updated ON alert (updated_at DESC, fingerprint);
CREATE INDEX alert_state_updated ON alert (state, updated_at DESC);
CREATE INDEX alert_severity_updated ON alert (severity, updated_at DESC);
CREATE INDEX alert_name_updated ON alert (alertname, updated_at DESC);
CREATE INDEX alert_labels ON alert USING GIN (labels jsonb_path_ops);
CREATE INDEX alert_incident ON alert (incident_id);

-- Every state change of every alert: who and why. Never updated or deleted.
CREATE TABLE alert_transition (
    id           BIGSERIAL   PRIMARY KEY,
    fingerprint  TEXT        NOT NULL REFERENCES alert (fingerprint),
    from_state   TEXT,
    to_state     TEXT        NOT NULL,
    actor        TEXT        NOT NULL,
    reason       TEXT        NOT NULL,
    at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX alert_transition_alert ON alert_transition (fingerprint, id);

-- Silences; expiring one sets ends_at to the time of expiry.
CREATE TABLE silence (
    id          UUID        PRIMARY KEY,
    matchers    JSONB       NOT NULL,
    starts_at   TIMESTAMPTZ NOT NULL,
    ends_at     TIMESTAMPTZ NOT NULL CHECK (ends_at > starts_at),
    created_by  TEXT        NOT NULL,
    comment     TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    expired_by  TEXT
);
CREATE INDEX silence_ends ON silence (ends_at DESC);

-- Incidents as the detection engine last described them, with their alerts and timeline.
CREATE TABLE incident (
    id                TEXT        PRIMARY KEY,
    status            TEXT        NOT NULL,
    title             TEXT        NOT NULL,
    severity          TEXT        NOT NULL,
    root_fingerprint  TEXT        NOT NULL,
    impact            JSONB       NOT NULL,
    timeline          JSONB       NOT NULL,
    opened_at         TIMESTAMPTZ NOT NULL,
    resolved_at       TIMESTAMPTZ,
    merged_into       TEXT,
    updated_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX incident_status_opened ON incident (status, opened_at DESC);

CREATE TABLE incident_alert (
    incident_id  TEXT NOT NULL REFERENCES incident (id),
    fingerprint  TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('root', 'child')),
    PRIMARY KEY (incident_id, fingerprint)
);
CREATE INDEX incident_alert_fingerprint ON incident_alert (fingerprint);

-- Transactional outbox: one row per notification and receiver, written in the transaction that
-- changed the alert; drained with SELECT ... FOR UPDATE SKIP LOCKED so no two senders take a row.
CREATE TABLE outbox (
    id               BIGSERIAL   PRIMARY KEY,
    receiver         TEXT        NOT NULL,
    fingerprint      TEXT,
    status           TEXT        NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    payload          TEXT        NOT NULL,
    idempotency_key  TEXT        NOT NULL UNIQUE,
    attempts         INTEGER     NOT NULL DEFAULT 0,
    last_status      INTEGER,
    last_error       TEXT,
    created_at       TIMESTAMPTZ NOT NULL,
    next_attempt_at  TIMESTAMPTZ NOT NULL,
    deadline         TIMESTAMPTZ NOT NULL,
    finished_at      TIMESTAMPTZ
);
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX outbox_receiver ON outbox (receiver, status, id DESC);
