package io.meshwatch.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meshwatch.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailedAuthenticationsTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T03:00:00Z"));
    private final FailedAuthentications f = new FailedAuthentications(clock);

    private List<Long> fail(String address, int times) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            out.add(f.failed(address).toMillis());
            clock.set(clock.instant().plusSeconds(1));
        }
        return out;
    }

    @Test
    void fiveFailuresAreFreeThenTheDelayDoublesUpToFiveSeconds() {
        assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 100L, 200L, 400L, 800L, 1600L, 3200L, 5000L, 5000L),
                fail("198.51.100.7", 13));
    }

    @Test
    void addressesAreCountedApart() {
        fail("198.51.100.7", 6);
        assertEquals(0L, f.failed("198.51.100.8").toMillis());
    }

    @Test
    void aQuietMinuteForgetsTheStreakAndAMinuteExactlyDoesNot() {
        fail("198.51.100.7", 6);
        clock.set(clock.instant().plus(Duration.ofSeconds(59))); // a minute after the last failure
        assertEquals(200L, f.failed("198.51.100.7").toMillis());
        clock.set(clock.instant().plus(Duration.ofSeconds(61)));
        assertEquals(0L, f.failed("198.51.100.7").toMillis());
    }

    @Test
    void theNumberOfAddressesRememberedIsBounded() {
        for (int i = 0; i < FailedAuthentications.MAX_ADDRESSES + 500; i++) {
            f.failed("10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255));
        }
        assertEquals(FailedAuthentications.MAX_ADDRESSES, f.size());
        assertEquals(0L, f.failed("10.0.0.0").toMillis(), "the least recently failing were forgotten first");
    }
}
