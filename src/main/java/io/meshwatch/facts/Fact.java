package io.meshwatch.facts;

import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.event.FeedStateEvent;
import io.meshwatch.network.BgpSession;
import io.meshwatch.routing.RouteDelta;
import java.time.Instant;
import java.util.List;

/**
 * What the shard stage tells detection: the facts it derived from a batch of input events. These are
 * exactly the detection engine's inputs (see {@code DetectionService}): a session's state after a
 * change, the best-path changes detection cares about, a telemetry event. Immutable; keyed by router.
 */
public sealed interface Fact {

    /** The router the fact is about: the Kafka record key. */
    String router();

    /** A BGP session's state after a change of its FSM state ({@code NetworkState}'s view). */
    record SessionFact(BgpSession session) implements Fact {
        @Override
        public String router() {
            return session.router();
        }
    }

    /**
     * Best-path changes one input event caused on a router's table, observed at {@code time}. Paths
     * carry only what detection reads: the peer's address (the session they came over) and the next hop.
     */
    record RouteFact(String router, Instant time, List<RouteDelta> deltas) implements Fact {
        public RouteFact {
            deltas = List.copyOf(deltas);
        }
    }

    /** A telemetry event (interface, tunnel, probe, TCP retransmits), as the input topic carried it. */
    record TelemetryFact(CanonicalEvent event) implements Fact {
        @Override
        public String router() {
            return event.router();
        }
    }

    /** A router's feed changed state ({@code bgp.feed_state}: its collector connection up, ended or lost). */
    record FeedFact(FeedStateEvent event) implements Fact {
        @Override
        public String router() {
            return event.router();
        }
    }
}
