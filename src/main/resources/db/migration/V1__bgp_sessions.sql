-- Current state of every BGP session Meshwatch has seen, so a restarted service knows them
-- (with their since-when and flap counts) before the routers say anything new.
CREATE TABLE bgp_session (
    router       TEXT        NOT NULL,
    vrf          TEXT        NOT NULL,
    peer         TEXT        NOT NULL,
    peer_as      BIGINT      NOT NULL,
    local_as     BIGINT,
    state        TEXT        NOT NULL,
    since        TIMESTAMPTZ NOT NULL,
    last_event   TIMESTAMPTZ NOT NULL,
    flaps        BIGINT      NOT NULL DEFAULT 0,
    last_reason  TEXT,
    observed_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (router, vrf, peer)
);
