package io.meshwatch.sim;

import io.meshwatch.sim.SimState.Degradation;

/** One thing a scenario does to the simulated network at one point of its timeline. */
sealed interface Action {

    /** A circuit goes down (cut) or comes back. */
    record Link(String circuit, boolean up) implements Action {
    }

    /** An IPSec tunnel goes down or comes up. */
    record Tunnel(String tunnel, boolean up) implements Action {
    }

    /** A BGP session drops (with a reason) or establishes and sends its table. */
    record Session(int session, boolean up, String reason) implements Action {
    }

    /** A circuit degrades ({@code degradation} set) or recovers (null). */
    record Quality(String circuit, Degradation degradation) implements Action {
    }

    /** A router withdraws {@code count} of its extra prefixes, or announces them again. */
    record Extras(String router, int count, boolean withdraw) implements Action {
    }

    /** A router's transit peer sends a full table (establishing first), or withdraws it. */
    record FullTable(String router, int ipv4, int ipv6, boolean announce) implements Action {
    }

    /** Nothing happens; the step only marks a moment worth knowing (a dwell or an objective passing). */
    record Note() implements Action {
    }
}
