/**
 * Dev-mode and test support: the in-process KRaft broker and the local database set-up.
 *
 * <p>Invariants: nothing here runs in production. {@link io.meshwatch.dev.DevServices} exists only
 * in the dev build profile; {@link io.meshwatch.dev.EmbeddedKafka} needs the {@code provided}
 * Kafka broker artifact, which the packaged application does not contain.
 *
 * <p>Threading: start-up observers run once on the main thread.
 */
package io.meshwatch.dev;
