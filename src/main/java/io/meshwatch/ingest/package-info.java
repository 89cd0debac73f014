/**
 * Ingest: the Kafka adapters that turn records of the input topics into canonical events.
 *
 * <p>Invariants: one channel ({@code events-in}) reads both input topics with a co-partitioning
 * assignor, so a router's BGP and telemetry events are processed by the same instance; start-up
 * refuses input topics whose partition counts cannot keep that ({@link io.meshwatch.ingest.InputTopicsCheck}),
 * and every rebalance checks again ({@link io.meshwatch.ingest.InputRebalanceListener}). Every
 * record consumed is either handed to the sinks as a valid event of its topic's family or written
 * to the dead-letter topic with its reason, source topic, partition and offset, and counted; a
 * batch is acknowledged (its offsets may be committed) only after both have completed, so a crash
 * loses nothing (at-least-once; the sinks are idempotent).
 *
 * <p>Metrics ({@link io.meshwatch.ingest.IngestMetrics}) cost one map look-up per batch, topic and
 * metric and a histogram update per applied record, never a label per record; consumer lag
 * ({@link io.meshwatch.ingest.ConsumerLag}) is read every 5 s from the consumer's own metrics.
 *
 * <p>Threading: one batch at a time, on the channel's Vert.x context (the single writer of the
 * network state and the route tables); sinks run there and must not block. The lag refresh and the
 * rebalance listener run on the consumer's polling thread.
 */
package io.meshwatch.ingest;
