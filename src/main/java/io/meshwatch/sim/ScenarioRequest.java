package io.meshwatch.sim;

import java.time.Duration;

/**
 * What a caller asks of a scenario; every field may be null for the default.
 *
 * @param target   the circuit, tunnel group, session ({@code router/peer}) or router, by scenario
 * @param duration how long the fault lasts before the network is restored
 * @param flaps    session-flap: how many times the session goes down
 * @param count    withdrawal-storm: how many prefixes are withdrawn
 * @param ipv4     full-table: IPv4 prefixes
 * @param ipv6     full-table: IPv6 prefixes
 */
public record ScenarioRequest(String target, Duration duration, Integer flaps, Integer count, Integer ipv4,
                              Integer ipv6) {

    public static ScenarioRequest defaults() {
        return new ScenarioRequest(null, null, null, null, null, null);
    }

    public static ScenarioRequest target(String target) {
        return new ScenarioRequest(target, null, null, null, null, null);
    }

    public ScenarioRequest withDuration(Duration d) {
        return new ScenarioRequest(target, d, flaps, count, ipv4, ipv6);
    }
}
