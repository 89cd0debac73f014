package io.meshwatch.rib;

import io.meshwatch.routing.RouteDelta;
import java.time.Instant;
import java.util.List;

/**
 * The best-path changes that one BGP event caused on one router's table, in the order the table
 * made them, with the time the router observed the event.
 *
 * @param deltas never empty; each carries the prefix, the best path before and after and the
 *               decision's reason
 */
public record RouteChange(String router, Instant eventTime, List<RouteDelta> deltas) {

    public RouteChange {
        deltas = List.copyOf(deltas);
    }
}
