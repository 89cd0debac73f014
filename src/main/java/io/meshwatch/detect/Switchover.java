package io.meshwatch.detect;

import java.time.Duration;
import java.time.Instant;

/**
 * One move of a tunnel group's traffic from one tunnel to another: a failover (primary to backup)
 * or a failback (backup to primary). Times are the routers' event times.
 *
 * @param start       failover: when the primary went down; failback: when the primary came back up
 * @param cause       what started it, for people (e.g. {@code circuit dx-ash-use1 down})
 * @param from        tunnel id traffic left
 * @param to          tunnel id traffic moved to, or null while in progress or when abandoned
 * @param end         when the target carried traffic (or when it was abandoned); null while in progress
 * @param duration    {@code end - start}; null while in progress
 * @param completedBy what ended it; null while in progress
 */
public record Switchover(Instant start, String cause, String from, String to, Instant end, Duration duration,
                         CompletedBy completedBy) {

    /** True once it has ended, completed or abandoned. */
    public boolean ended() {
        return end != null;
    }
}
