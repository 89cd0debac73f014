/**
 * The live stream's hub ({@link io.meshwatch.notify.stream.LiveStream}) behind
 * {@code GET /api/v1/stream}: committed alert changes, detection signals and incidents, BGP session
 * state changes.
 *
 * <p>Invariants: best effort and in memory: only events from the moment a client subscribes; this
 * instance's own at once, the other instances' as {@code io.meshwatch.cluster.stream} relays them
 * (already JSON); a client more than {@value io.meshwatch.notify.stream.LiveStream#BUFFER} events
 * behind is disconnected rather than buffered without bound.
 *
 * <p>Threading: producers call in on their own threads (alert writer, detection engine under its
 * lock, input channel) and only emit to each subscriber's thread-safe emitter.
 */
package io.meshwatch.notify.stream;
