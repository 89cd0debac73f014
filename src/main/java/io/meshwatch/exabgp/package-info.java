/**
 * ExaBGP's JSON API to canonical events: {@link io.meshwatch.exabgp.ExaBgpMapper} (plain Java,
 * no I/O) and the command {@link io.meshwatch.exabgp.ExaBgpRelay} ({@code bin/exabgp-relay}),
 * which ExaBGP runs as an API process or which replays recorded API output to Kafka.
 *
 * <p>Invariants: every event produced passes {@link io.meshwatch.event.EventCodec} validation
 * (addresses and prefixes are parsed before they are used); a line that does not map is refused
 * as a whole, counted and reported with its line number, and the next line is read. Events keep
 * the order of the lines, and are keyed by the router id.
 *
 * <p>Threading: the mapper and the relay loop belong to the calling thread; only the relay's
 * failure counter is touched by the Kafka producer's I/O thread.
 */
package io.meshwatch.exabgp;
