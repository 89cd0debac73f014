/**
 * Facts: what the shard stage derives from the input topics for detection (session changes, the
 * best-path changes detection cares about, telemetry), and their JSON on the facts topic.
 *
 * <p>Invariants: a fact is exactly a detection engine input, so detection fed the facts in order
 * decides what it would have decided fed in process; facts of one router keep its order; duplicates
 * (a shard replaying its input after a restart) change nothing the engine has already applied.
 *
 * <p>Threading: the records are immutable; {@link io.meshwatch.facts.FactCodec} is stateless and
 * thread-safe.
 */
package io.meshwatch.facts;
