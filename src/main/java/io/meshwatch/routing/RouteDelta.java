package io.meshwatch.routing;

/**
 * A change of the best path of a prefix in a VRF. {@code oldBest} is null when the prefix is new,
 * {@code newBest} is null (reason {@link BestPathReason#NO_PATH}) when the prefix disappeared.
 * The best path is the router-reported one when present, the computed one otherwise.
 */
public record RouteDelta(String vrf, Prefix prefix, Path oldBest, Path newBest, BestPathReason reason) {
}
