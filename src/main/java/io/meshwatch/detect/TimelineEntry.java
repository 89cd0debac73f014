package io.meshwatch.detect;

import java.time.Instant;

/**
 * One line of an incident's timeline. Signal transitions carry the router's event time; entries
 * about the incident itself (merged, resolved) carry Meshwatch's clock time.
 *
 * @param time when it happened
 * @param what what happened, one line for people
 */
public record TimelineEntry(Instant time, String what) {
}
