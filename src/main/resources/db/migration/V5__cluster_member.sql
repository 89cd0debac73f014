-- Members of a deployment (the instances of one Kafka consumer group): each instance upserts its
-- own row at every rebalance and every heartbeat (meshwatch.cluster.heartbeat-interval) and deletes
-- it on a clean shutdown; a row whose heartbeat is older than meshwatch.cluster.member-timeout is a
-- member that is gone (left out of GET /api/v1/cluster, deleted after ten timeouts by any member).
CREATE TABLE cluster_member (
    instance_id      TEXT        PRIMARY KEY,
    -- the consumer group (kafka.group.id): one database may serve several deployments
    group_id         TEXT        NOT NULL,
    -- meshwatch.cluster.advertised-url, or http://<host name>:<HTTP port>
    url              TEXT        NOT NULL,
    -- the input partitions this instance owns, per topic: {"meshwatch.bgp.v1": [0, 1], ...}
    partitions       JSONB       NOT NULL,
    -- the instance that runs detection for the whole deployment (set by the detection owner election)
    detection_owner  BOOLEAN     NOT NULL DEFAULT FALSE,
    started_at       TIMESTAMPTZ NOT NULL,
    -- database time of the last write, so members on different hosts compare one clock
    heartbeat_at     TIMESTAMPTZ NOT NULL,
    -- increases with every write of this instance: a slower, older write never replaces a newer one
    version          BIGINT      NOT NULL
);
CREATE INDEX cluster_member_group_heartbeat ON cluster_member (group_id, heartbeat_at);
