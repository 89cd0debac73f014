/**
 * API keys and roles for {@code /api/v1}: {@code Authorization: Bearer <key>} of a key configured
 * under {@code meshwatch.auth.keys.<name>}; roles viewer (read), responder (acknowledge, resolve,
 * silence), admin (inventory, receivers). {@link io.meshwatch.auth.Role#required} is the one table
 * of who may do what.
 *
 * <p>Invariants: with {@code meshwatch.auth.enabled} (the default) no request under {@code /api/v1}
 * reaches a resource without a known key whose role includes the one required: 401 without a known
 * key, 403 otherwise, both as {@link io.meshwatch.api.ApiError}. Changes are recorded under the
 * key's name. Keys are compared in constant time and never logged.
 *
 * <p>Threading: the key table is immutable after start-up; the filter runs on request threads.
 */
package io.meshwatch.auth;
