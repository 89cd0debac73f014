package io.meshwatch.detect;

/** What ended a failover or failback: the first evidence that the target tunnel carries traffic. */
public enum CompletedBy {
    /** A route delta on the tunnel's router whose new best path is via the target tunnel's BGP session. */
    ROUTE,
    /** The target tunnel's byte counters grew by at least the configured amount. */
    TRAFFIC,
    /** It never completed: the tunnel it moved away from recovered first. */
    ABANDONED
}
