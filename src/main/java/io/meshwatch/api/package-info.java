/**
 * The on-call REST API under {@code /api/v1}: resources and their response records (separate
 * from domain types so the core can change without breaking clients).
 *
 * <p>Invariants: every error is an {@link io.meshwatch.api.ApiError} JSON body with a 4xx or 5xx
 * status and a message that says what is wrong (a refused document adds every problem:
 * {@link io.meshwatch.api.ApiValidationError}). Every endpoint that changes configuration asks
 * {@link io.meshwatch.api.EditAuthorisation} first. With several instances, a router's calls and (facts
 * mode) the detection views are answered by their owner ({@link io.meshwatch.api.ForwardFilter},
 * {@link io.meshwatch.api.ClusterCalls}), else 503 with {@code Retry-After}; every answer names the
 * instance that gave it ({@code X-Meshwatch-Answered-By}).
 *
 * <p>Threading: resources run on worker or event-loop threads concurrently and only read the
 * core through its concurrent read methods; the one write, {@code PUT /api/v1/inventory}, runs on
 * a worker thread and goes through {@link io.meshwatch.inventory.InventoryService}, which
 * serialises writers; alert, silence and receiver changes go through the alerting and notify
 * services in their own transactions. {@code GET /api/v1/stream} holds one subscription to
 * {@link io.meshwatch.notify.stream.LiveStream} per client. Roles are checked before any resource
 * runs ({@link io.meshwatch.auth.ApiKeyFilter}), and before a call is forwarded; a forward never
 * blocks a thread (the filter returns the owner's answer as it arrives).
 */
package io.meshwatch.api;
