/**
 * Adapters of the detection core: {@link io.meshwatch.detect.runtime.DetectionFeed} takes what the
 * shard stage returned for a batch ({@link io.meshwatch.shard.ShardStage.Step}: session changes,
 * the best-path changes of interest, telemetry) to detection, in process
 * ({@link io.meshwatch.detect.runtime.DetectionService}) or as facts on the facts topic for the
 * elected {@link io.meshwatch.detect.runtime.DetectionOwner}; {@code DetectionService} feeds the
 * plain {@link io.meshwatch.detect.DetectionEngine}, keeps the inventory current and wakes the engine
 * with one Vert.x timer at its next deadline; {@link io.meshwatch.detect.runtime.DetectionOutput}
 * turns its findings into log lines, metrics, a short history for the API and CDI events
 * ({@code Signal}, {@code Incident}); BGP session state changes become CDI events
 * ({@code SessionChange}) for the live stream after the engine saw them.
 *
 * <p>Invariants: at start-up the engine is seeded with every session {@code NetworkState} restored
 * from the database, after the inventory and before the consumers start; the engine sees a batch's
 * session changes before the route changes of the same batch; only best-path changes that can
 * matter (watched prefixes, paths over tunnel sessions, and with any-prefix watching every first or
 * last path) cross into it; session state is {@code NetworkState}'s, taken as reported.
 *
 * <p>Threading: the engine is single-threaded; every caller (the input channel, timer, API reader,
 * the detection owner's thread) enters it under one lock held for the call only. The interest
 * predicate runs on the input channel without the lock, on an immutable snapshot swapped whole when
 * the inventory changes. CDI observers of the events are called synchronously on the engine's or the
 * input channel's thread and must only queue. State gauges (circuits, tunnels, probes, sessions) are
 * computed when Prometheus scrapes, each through one short read under that lock; nothing is computed
 * per event for them.
 */
package io.meshwatch.detect.runtime;
