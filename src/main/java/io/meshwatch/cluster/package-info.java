/**
 * Cluster membership: the instances of one deployment (one Kafka consumer group) and the input
 * partitions each owns, kept in PostgreSQL ({@code cluster_member}) and served by
 * {@code GET /api/v1/cluster}.
 *
 * <p>Invariants: an instance writes only its own row, at every rebalance and every heartbeat, each
 * write with a higher version than the last (the database keeps the newest); it deletes its row on a
 * clean shutdown; a member whose heartbeat (database time) is older than
 * {@code meshwatch.cluster.member-timeout} is gone. {@code detection_owner} is false until the
 * detection owner election sets it.
 *
 * <p>Threading: the rebalance side runs on the input consumer's polling thread and never waits for
 * the database; the heartbeat runs on a Vert.x timer; readers (the API, gauges) read concurrent state
 * or the database.
 */
package io.meshwatch.cluster;
