-- Route-table snapshots: per Kafka partition of the BGP topic, the image of every router whose
-- records came from that partition, and the offset of the first record NOT contained in it.
-- A restarted consumer restores the image and seeks to next_offset; replaying the later records
-- (idempotent) brings the tables up to date. One row per partition keeps offset and image atomic.
CREATE TABLE rib_snapshot (
    topic            TEXT        NOT NULL,
    kafka_partition  INTEGER     NOT NULL,
    next_offset      BIGINT      NOT NULL,
    taken_at         TIMESTAMPTZ NOT NULL,
    format           SMALLINT    NOT NULL,
    routers          INTEGER     NOT NULL,
    paths            BIGINT      NOT NULL,
    data             BYTEA       NOT NULL,
    PRIMARY KEY (topic, kafka_partition)
);
