package io.meshwatch.routing;

/**
 * The best path for a prefix as answered by a query: the router-reported Loc-RIB path when the
 * router reports one ({@code reported == true}, reason {@link BestPathReason#ROUTER_REPORTED}),
 * otherwise the path chosen by the computed decision process and the step that chose it.
 */
public record BestRoute(String vrf, Prefix prefix, Path path, BestPathReason reason, boolean reported) {
}
