package io.meshwatch.history;

/** The instant asked for is older than what the kept snapshots and the topic's retention can rebuild. */
public final class OutOfReach extends RuntimeException {

    public OutOfReach(String message) {
        super(message);
    }
}
