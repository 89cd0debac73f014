/**
 * Platform wiring shared by every capability: configuration mapping, start-up order, the clock,
 * database migrations.
 *
 * <p>Invariants: migrations finish before any consumer starts; a configuration or connectivity
 * problem at start-up stops the service with one {@link io.meshwatch.platform.StartupFailure}
 * line that names the fix.
 *
 * <p>Threading: start-up observers run once on the main thread; the beans are immutable after.
 */
package io.meshwatch.platform;
