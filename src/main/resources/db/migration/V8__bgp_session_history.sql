-- Every state change of every BGP session an instance owns (issue 19, docs/history.md), written by
-- history.SessionHistory from the session changes of the input channel, kept for
-- meshwatch.rib.history.sessions-keep-for. "at" is when the session entered the state, in the
-- router's time; a replayed change (after a restart or a rebalance) lands on the same key.
CREATE TABLE bgp_session_history (
    router       TEXT        NOT NULL,
    vrf          TEXT        NOT NULL,
    peer         TEXT        NOT NULL,
    at           TIMESTAMPTZ NOT NULL,
    state        TEXT        NOT NULL,
    previous     TEXT,
    peer_as      BIGINT      NOT NULL,
    reason       TEXT,
    cause        TEXT,
    flaps        BIGINT      NOT NULL,
    observed_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (router, vrf, peer, at, state)
);
CREATE INDEX bgp_session_history_at ON bgp_session_history (at);
