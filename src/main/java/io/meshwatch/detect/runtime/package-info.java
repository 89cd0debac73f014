/**
 * Adapters of the detection core: {@link io.meshwatch.detect.runtime.DetectionService} feeds the
 * plain {@link io.meshwatch.detect.DetectionEngine} from the Kafka consumers (telemetry events,
 * BGP session changes) and from the route table's best-path changes, keeps the inventory current,
 * and wakes the engine with one Vert.x timer at its next deadline;
 * {@link io.meshwatch.detect.runtime.DetectionOutput} turns its findings into log lines, metrics
 * and a short history for the API, and passes them on to registered consumers; BGP session state
 * changes go to {@code DetectionService}'s session listeners (the live stream) after the engine.
 *
 * <p>Invariants: at start-up the engine is seeded with every session {@code NetworkState} restored
 * from the database, after the inventory and before the consumers start; the engine sees a BGP
 * batch's session changes before the route changes of the same batch; only best-path changes that can matter (watched prefixes, paths over tunnel sessions, and
 * with any-prefix watching every first or last path) cross into it.
 *
 * <p>Threading: the engine is single-threaded; every caller (BGP consumer, telemetry consumer,
 * timer, API reader) enters it under one lock held for the call only. The delta filter runs on the
 * BGP writer without the lock, on an immutable snapshot swapped whole when the inventory changes.
 * Registered consumers and listeners are called on the engine's or the BGP channel's thread and
 * must only queue.
 * State gauges (circuits, tunnels, probes, sessions) are computed when Prometheus scrapes, each
 * through one short read under that lock; nothing is computed per event for them.
 */
package io.meshwatch.detect.runtime;
