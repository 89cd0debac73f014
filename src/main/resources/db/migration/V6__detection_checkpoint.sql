-- The detection engine's checkpoint (facts mode, ADR 0003): the whole engine state, gzipped JSON
-- (EngineStateCodec), with the facts offset it covers. One row per detection owner group, i.e. per
-- deployment. The owner writes it every meshwatch.detect.owner.checkpoint-interval and when it gives
-- up the facts partition; a new or restarted owner restores it and replays the facts from
-- facts_offset on.
CREATE TABLE detection_checkpoint (
    -- meshwatch.detect.owner.group-id
    group_id      TEXT        PRIMARY KEY,
    facts_topic   TEXT        NOT NULL,
    -- the offset of the first fact the state does not cover (the next to apply)
    facts_offset  BIGINT      NOT NULL,
    -- EngineState.version() of the state, so a build that cannot read it says so before decoding
    state_version INTEGER     NOT NULL,
    state         BYTEA       NOT NULL,
    -- the engine's clock when the state was taken
    taken_at      TIMESTAMPTZ NOT NULL,
    -- the instance that wrote it, and the database time of the write
    written_by    TEXT        NOT NULL,
    written_at    TIMESTAMPTZ NOT NULL
);
