/**
 * Cluster membership: the instances of one deployment (one Kafka consumer group) and the input
 * partitions each owns, kept in PostgreSQL ({@code cluster_member}) and served by
 * {@code GET /api/v1/cluster}; and where a call is answered ({@link io.meshwatch.cluster.ClusterView},
 * plain Java: here, by the member owning the router's partition or detection, or by nobody now) and
 * how it gets there ({@link io.meshwatch.cluster.Forwarder}).
 *
 * <p>Invariants: an instance writes only its own row, at every rebalance and every heartbeat, each
 * write with a higher version than the last (the database keeps the newest); it deletes its row on a
 * clean shutdown; a member whose heartbeat (database time) is older than
 * {@code meshwatch.cluster.member-timeout} is gone. {@code detection_owner} is false until the
 * detection owner election sets it. A router's partition is the one Kafka's default partitioner
 * gives its events (murmur2 of the router id's UTF-8 bytes); an instance with no other live member
 * answers every call itself; a call carrying {@code X-Meshwatch-Forwarded-By} is never forwarded again.
 *
 * <p>Threading: the rebalance side runs on the input consumer's polling thread and never waits for
 * the database; the heartbeat runs on a Vert.x timer; readers (the API, gauges) read concurrent state
 * or the database (the members' rows for routing calls at most once a second); forwards run on the
 * Vert.x event loop and never block.
 */
package io.meshwatch.cluster;
