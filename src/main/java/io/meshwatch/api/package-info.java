/**
 * The on-call REST API under {@code /api/v1}: resources and their response records (separate
 * from domain types so the core can change without breaking clients).
 *
 * <p>Invariants: every error is an {@link io.meshwatch.api.ApiError} JSON body with a 4xx or 5xx
 * status and a message that says what is wrong.
 *
 * <p>Threading: resources run on worker or event-loop threads concurrently and only read the
 * core through its concurrent read methods.
 */
package io.meshwatch.api;
