/**
 * Ingest: the Kafka adapters that turn records of the input topics into canonical events.
 *
 * <p>Invariants: every record consumed is either handed to the sinks as a valid event or written
 * to the dead-letter topic with its reason, source topic, partition and offset, and counted; a
 * batch is acknowledged (its offsets may be committed) only after both have completed, so a crash
 * loses nothing (at-least-once; the sinks are idempotent).
 *
 * <p>Metrics ({@link io.meshwatch.ingest.IngestMetrics}) cost one map look-up per batch and metric
 * and a histogram update per applied record, never a label per record; consumer lag
 * ({@link io.meshwatch.ingest.ConsumerLag}) is read every 5 s from the consumers' own metrics.
 *
 * <p>Threading: one batch at a time per channel, on the channel's Vert.x context; sinks run there
 * and must not block. The lag refresh runs on the consumers' polling threads.
 */
package io.meshwatch.ingest;
