package io.meshwatch.rib;

import io.meshwatch.routing.RouteDelta;
import java.time.Instant;
import java.util.List;

/**
 * Downstream consumer of best-path changes (detection, later streams). Both methods run on the
 * BGP writer thread, inside the batch: they must be quick and must not block.
 */
public interface RouteDeltaListener {

    /**
     * Whether this change matters to the listener; asked for every delta (a full table produces
     * millions), so it must be a cheap lookup, not work.
     */
    boolean interested(String router, RouteDelta delta);

    /**
     * The interesting deltas one event produced, in order.
     *
     * @param eventTime when the router observed the event that caused them
     */
    void deltas(String router, Instant eventTime, List<RouteDelta> deltas);
}
