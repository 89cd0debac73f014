/**
 * Canonical events, version 1: the contract between producers near the routers and Meshwatch.
 *
 * <p>Invariants: a decoded {@link io.meshwatch.event.CanonicalEvent} is fully validated (addresses
 * and prefixes parse, AS numbers fit 32 bits, enumerations hold known values, timestamps parse), so
 * consumers never re-check. Decoding and encoding round-trip: {@code decode(encode(e)) equals e}.
 * Every refusal carries a {@link io.meshwatch.event.RejectReason} and a message naming the field.
 *
 * <p>Threading: records are immutable; {@link io.meshwatch.event.EventCodec} is stateless and
 * may be shared by any number of threads.
 */
package io.meshwatch.event;
