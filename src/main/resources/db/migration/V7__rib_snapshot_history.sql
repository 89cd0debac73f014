-- Past route-table snapshots (issue 19, docs/history.md): besides the latest snapshot of each
-- partition (rib_snapshot), at most one per meshwatch.rib.history.interval is kept here, for
-- meshwatch.rib.history.keep-for and at most meshwatch.rib.history.keep rows per partition.
-- A table at a past instant starts from the newest row whose next_offset is at or before the
-- offset of that instant, then replays the partition's records up to it.
CREATE TABLE rib_snapshot_history (
    topic            TEXT        NOT NULL,
    kafka_partition  INTEGER     NOT NULL,
    next_offset      BIGINT      NOT NULL,
    taken_at         TIMESTAMPTZ NOT NULL,
    format           SMALLINT    NOT NULL,
    routers          INTEGER     NOT NULL,
    paths            BIGINT      NOT NULL,
    data             BYTEA       NOT NULL,
    PRIMARY KEY (topic, kafka_partition, next_offset)
);
CREATE INDEX rib_snapshot_history_taken ON rib_snapshot_history (topic, kafka_partition, taken_at);
