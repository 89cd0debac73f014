/**
 * Platform wiring shared by every capability: configuration mapping, start-up order, the clock,
 * database migrations.
 *
 * <p>Invariants: migrations finish before any consumer starts; a configuration problem at start-up
 * stops the service with one {@link io.meshwatch.platform.StartupFailure} line that names the fix; a
 * database that does not accept connections yet is waited for (one warning line, retries with
 * back-off) for {@code meshwatch.db.startup-wait}, then stops start-up the same way. The reactive
 * pool is built by {@link io.meshwatch.platform.PostgresPool} without a pool connection timeout.
 *
 * <p>Threading: start-up observers run once on the main thread; the beans are immutable after.
 */
package io.meshwatch.platform;
