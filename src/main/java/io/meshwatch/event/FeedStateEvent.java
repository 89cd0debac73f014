package io.meshwatch.event;

import java.time.Instant;

/**
 * The state of a router's feed into Meshwatch, as the collector that receives it sees it: the feed
 * came up, ended cleanly, or was lost (its connection ended without the protocol's goodbye, for BMP
 * a Termination message: the router crashed, or the link to the collector was cut).
 *
 * @param feed   which feed: {@code bmp} for the BMP collector's connection (free text otherwise)
 * @param state  {@code up}, {@code ended} or {@code lost}
 * @param reason what the collector saw, in words; may be null
 */
public record FeedStateEvent(String router, Instant time, String feed, String state, String reason)
        implements CanonicalEvent {

    public static final String UP = "up";
    public static final String ENDED = "ended";
    public static final String LOST = "lost";

    @Override
    public EventType type() {
        return EventType.BGP_FEED_STATE;
    }

    public boolean lost() {
        return LOST.equals(state);
    }
}
