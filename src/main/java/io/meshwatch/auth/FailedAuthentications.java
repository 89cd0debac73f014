package io.meshwatch.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slows down guessing: each address may fail authentication {@link #FREE} times in a row without
 * delay; every further failure while the address keeps failing (less than {@link #WINDOW} between
 * failures) is answered after a delay that doubles from 100 ms up to {@link #MAX_DELAY}. A quiet
 * window forgets the address. At most {@link #MAX_ADDRESSES} addresses are remembered (the least
 * recently failing are forgotten first), so a flood of spoofed sources cannot grow the heap. Plain
 * Java on an injected clock; thread-safe (one lock, held for a map update).
 */
public final class FailedAuthentications {

    public static final int FREE = 5;
    static final Duration WINDOW = Duration.ofMinutes(1);
    static final Duration FIRST_DELAY = Duration.ofMillis(100);
    static final Duration MAX_DELAY = Duration.ofSeconds(5);
    static final int MAX_ADDRESSES = 10_000;

    private static final class Streak {
        int failures;
        Instant last;
    }

    private final Clock clock;
    private final Map<String, Streak> streaks = new LinkedHashMap<>(256, 0.75f, true);

    public FailedAuthentications(Clock clock) {
        this.clock = clock;
    }

    /** Records a failure from {@code address} and returns how long to wait before answering it. */
    public synchronized Duration failed(String address) {
        Instant now = clock.instant();
        Streak s = streaks.get(address);
        if (s == null || Duration.between(s.last, now).compareTo(WINDOW) > 0) {
            s = new Streak();
            streaks.put(address, s);
        }
        s.failures++;
        s.last = now;
        if (streaks.size() > MAX_ADDRESSES) {
            Iterator<String> oldest = streaks.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        int over = s.failures - FREE;
        if (over <= 0) {
            return Duration.ZERO;
        }
        long ms = FIRST_DELAY.toMillis() << Math.min(over - 1, 20);
        return Duration.ofMillis(Math.min(ms, MAX_DELAY.toMillis()));
    }

    /** Addresses remembered now. */
    public synchronized int size() {
        return streaks.size();
    }
}
