package io.meshwatch.detect;

import java.time.Duration;
import java.time.Instant;

/**
 * One move of a tunnel group's traffic from one tunnel to another: a failover (primary to backup)
 * or a failback (backup to primary). Times are the routers' event times.
 *
 * <p>A failover's start is the earliest evidence of the failure (see {@link Evidence}). When that
 * evidence only bounds it (BGP was the only witness, and its session closed by hold-timer expiry),
 * {@code start} is the earliest instant the failure can have begun and {@code startLatest} the
 * latest: the duration is then an interval, {@link #minDuration()} to {@link #duration()}.
 *
 * @param start       failover: when the primary went down (the earliest instant, when bounded);
 *                    failback: when the primary came back up
 * @param cause       what started it, for people (e.g. {@code circuit dx-ash-use1 down})
 * @param from        tunnel id traffic left
 * @param to          tunnel id traffic moved to, or null while in progress or when abandoned
 * @param end         when the target carried traffic (or when it was abandoned); null while in progress
 * @param duration    {@code end - start} (the longest it can have taken, when bounded); null while in progress
 * @param completedBy what ended it; null while in progress
 * @param startLatest the latest instant the failure can have begun; null when the start is exact
 * @param clock       the evidence that started the clock: {@code interface}, {@code tunnel},
 *                    {@code circuit-probes}, {@code bgp-session}, {@code bgp-hold-timer}; null when
 *                    not known (a failback: the primary's return)
 */
public record Switchover(Instant start, String cause, String from, String to, Instant end, Duration duration,
                         CompletedBy completedBy, Instant startLatest, String clock) {

    /** A switchover whose start is exact and whose evidence is not named. */
    public Switchover(Instant start, String cause, String from, String to, Instant end, Duration duration,
                      CompletedBy completedBy) {
        this(start, cause, from, to, end, duration, completedBy, null, null);
    }

    /** True once it has ended, completed or abandoned. */
    public boolean ended() {
        return end != null;
    }

    /** True when the start is only known as an interval. */
    public boolean bounded() {
        return startLatest != null && startLatest.isAfter(start);
    }

    /** The shortest it can have taken: {@code end - startLatest} (never negative); null while in progress. */
    public Duration minDuration() {
        if (end == null) {
            return null;
        }
        if (!bounded()) {
            return duration;
        }
        Duration d = Duration.between(startLatest, end);
        return d.isNegative() ? Duration.ZERO : d;
    }
}
