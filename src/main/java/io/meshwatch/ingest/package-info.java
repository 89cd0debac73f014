/**
 * Ingest: the Kafka adapters that turn records of the input topics into canonical events.
 *
 * <p>Invariants: every record consumed is either handed to the sinks as a valid event or written
 * to the dead-letter topic with its reason, source topic, partition and offset, and counted; a
 * batch is acknowledged (its offsets may be committed) only after both have completed, so a crash
 * loses nothing (at-least-once; the sinks are idempotent).
 *
 * <p>Threading: one batch at a time per channel, on the channel's Vert.x context; sinks run there
 * and must not block.
 */
package io.meshwatch.ingest;
