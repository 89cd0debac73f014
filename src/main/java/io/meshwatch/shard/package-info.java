/**
 * The shard stage: what an instance does with the routers whose input partitions it owns, as one
 * plain step ({@link io.meshwatch.shard.ShardStage}): a batch of events in, the session changes,
 * the route changes that matter to detection and the telemetry out. The Kafka adapter
 * ({@link io.meshwatch.ingest.Consumers}) only decodes, calls the step, publishes what it returned
 * (to detection in process, or to the facts topic) and acknowledges.
 *
 * <p>Invariants: the stage is the one owner of BGP session state ({@link io.meshwatch.network.NetworkState}
 * judges staleness, restatements and flaps; detection takes its changes as they are); within a step
 * the session changes precede the route changes; a router's feed changes ({@code bgp.feed_state}) are
 * kept by {@code NetworkState} and passed on in the step's {@code feeds}; a step's output depends only on the state and the
 * events given, never on time or on who consumes it.
 *
 * <p>Threading: single writer; no locks of its own.
 */
package io.meshwatch.shard;
