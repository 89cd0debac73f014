package io.meshwatch.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.meshwatch.platform.StartupFailure;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A bad {@code meshwatch.cluster.*} setting stops start-up with one line naming it. */
class MembershipSettingsTest {

    static final Duration FIVE = Duration.ofSeconds(5);
    static final Duration THIRTY = Duration.ofSeconds(30);

    @Test
    void theDefaultsAndAnAbsoluteUrlAreFine() {
        Membership.check(Optional.empty(), FIVE, THIRTY);
        Membership.check(Optional.of("http://10.1.2.3:8080"), FIVE, THIRTY);
        Membership.check(Optional.of("https://meshwatch-0.meshwatch.svc"), FIVE, Duration.ofSeconds(10));
    }

    @Test
    void aBadSettingIsNamed() {
        assertEquals("Meshwatch cannot start: meshwatch.cluster.advertised-url: 'meshwatch-0:8080' must be an absolute "
                        + "http:// or https:// URL with a host",
                assertThrows(StartupFailure.class, () -> Membership.check(Optional.of("meshwatch-0:8080"), FIVE, THIRTY))
                        .getMessage());
        assertEquals("Meshwatch cannot start: meshwatch.cluster.heartbeat-interval must be positive, not PT0S",
                assertThrows(StartupFailure.class, () -> Membership.check(Optional.empty(), Duration.ZERO, THIRTY))
                        .getMessage());
        assertEquals("Meshwatch cannot start: meshwatch.cluster.member-timeout (PT8S) must be at least twice "
                        + "meshwatch.cluster.heartbeat-interval (PT5S), or live members would be taken as gone",
                assertThrows(StartupFailure.class, () -> Membership.check(Optional.empty(), FIVE, Duration.ofSeconds(8)))
                        .getMessage());
    }
}
