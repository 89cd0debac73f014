/**
 * The live stream across instances ({@link io.meshwatch.cluster.stream.StreamRelay}): every
 * instance writes the events raised on it to {@code meshwatch.stream.v1} (the API's JSON, its type and
 * the instance's id in headers) and reads the whole topic from its end, without a consumer group,
 * handing the other instances' events to its own {@code GET /api/v1/stream} clients.
 *
 * <p>Invariants: an event reaches each client once: an instance's own events go to its clients
 * directly and are skipped when they come back from the topic; relayed events are never written
 * again. Best effort: a reader sees what was written after it started; at most
 * {@code StreamRelay.QUEUE} events wait to be written, the rest are dropped and counted.
 *
 * <p>Threading: event producers only queue (through {@code LiveStream.onLocal}); one thread writes
 * the queue to Kafka, another polls the topic and emits to the live stream's thread-safe emitters.
 */
package io.meshwatch.cluster.stream;
