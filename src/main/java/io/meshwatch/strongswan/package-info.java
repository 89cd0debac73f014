/**
 * IPSec state from strongSwan itself: {@link io.meshwatch.strongswan.StrongswanRelay} ({@code
 * bin/strongswan-relay}) follows charon's vici event stream on the router (IKE_SA and CHILD_SA up, down,
 * rekey; a dead-peer-detection timeout ends as an IKE_SA down) and produces {@code ipsec.tunnel_state}
 * events with {@code signal: ike} to the telemetry topic, keyed by the router, with the inventory's
 * tunnel ids ({@code docs/inputs.md}).
 *
 * <p>The vici protocol is implemented here ({@link io.meshwatch.strongswan.Vici}, a plain codec with its
 * own tests, and {@link io.meshwatch.strongswan.ViciClient} over a JDK Unix-domain channel) because
 * strongSwan publishes vici clients for C, Python, Ruby, Perl and Go but none for Java, and no maintained
 * one is on Maven Central; the protocol is small (length-prefixed packets, six element types).
 *
 * <p>Invariants: events of one router are produced in the order charon reported them, each flushed
 * before the next is read; at every (re)connection the relay reports the SAs as they are
 * ({@code list-sas}) before relaying changes, so a restart of the relay or of charon leaves no stale
 * state behind. A packet that does not decode ends the connection (the relay connects again and
 * restates), it never stops the relay.
 *
 * <p>Threading: the relay's one thread owns the connection and the mapper; {@code stop()} may come
 * from another (it closes the channel).
 */
package io.meshwatch.strongswan;
