/**
 * Network state: what Meshwatch currently believes about routers and their BGP sessions (later:
 * interfaces, tunnels, circuits and probes). The core ({@link io.meshwatch.network.NetworkState}
 * and its records) is plain Java with an injected {@link java.time.Clock}; the thin adapters
 * {@link io.meshwatch.network.SessionTracker} and {@link io.meshwatch.network.BgpSessionEntity}
 * connect it to ingest and PostgreSQL.
 *
 * <p>It also keeps each router's feed state ({@code bgp.feed_state}, {@link io.meshwatch.network.RouterFeed}):
 * while a router's feed is lost, its sessions and routes are stale since then, as the API and the
 * metrics say; the feed's {@code up} or {@code ended} clears it, and an older report changes nothing.
 *
 * <p>Invariants: {@code NetworkState} is the one owner of BGP session state (detection takes the
 * sessions it reports as they are); state changes only through {@code apply(event)}, called by the
 * shard stage ({@link io.meshwatch.shard.ShardStage}), which returns the delta or nothing; applying
 * the same event twice, or an older event after a newer one, changes nothing.
 *
 * <p>Threading: single writer (the ingest consumer, in partition order, so per router in order),
 * many readers (the API). State is held as immutable records in concurrent maps; readers never
 * block the writer.
 */
package io.meshwatch.network;
