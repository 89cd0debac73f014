package io.meshwatch.network;

import java.time.Instant;

/**
 * The last reported state of a router's feed (a {@code bgp.feed_state} event): while it is lost,
 * everything Meshwatch holds of the router (its sessions, routes and tunnel states) is stale, as last
 * reported before {@link #since()}.
 *
 * @param feed   which feed ({@code bmp})
 * @param state  {@code up}, {@code ended} or {@code lost}
 * @param since  the event time of that state
 * @param reason what the collector saw, or null
 */
public record RouterFeed(String router, String feed, String state, Instant since, String reason) {

    /** Whether the router's state is stale: its feed was lost and has not come back. */
    public boolean lost() {
        return "lost".equals(state);
    }
}
