package io.meshwatch.inventory;

import java.util.List;

/**
 * A rented circuit: a link Meshwatch watches because nobody else does.
 *
 * @param id         unique id, for example {@code dx-ash-use1}
 * @param kind       what kind of circuit it is
 * @param provider   who provides it (free text)
 * @param a          the end on one of the network's routers (required)
 * @param z          the far end: another of the network's routers, or the provider's or cloud's
 *                   edge (router null, interface naming it); may be null
 * @param sessions   the BGP sessions that ride the circuit
 * @param thresholds when the circuit counts as down or degraded
 */
public record Circuit(String id, CircuitKind kind, String provider, Endpoint a, Endpoint z,
                      List<SessionRef> sessions, CircuitThresholds thresholds) {

    public Circuit {
        sessions = List.copyOf(sessions);
    }
}
