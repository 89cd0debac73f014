package io.meshwatch.sim;

import java.time.Duration;

/**
 * The simulator's knobs as plain values (the Quarkus adapter fills them from {@code meshwatch.sim.*};
 * see {@code docs/simulator.md} for each key and its default).
 *
 * @param extraPrefixes     prefixes each router originates besides the inventory's watched ones
 * @param churnPerSecond    steady-state churn: prefix flaps started per second (0 = none)
 * @param burstPerSecond    cap on prefixes per second in table transfers (initial tables, storms, full
 *                          table); 0 = as fast as the producer accepts
 * @param updateSize        most prefixes in one {@code bgp.update} of a table transfer
 * @param holdTime          BGP hold time: how long a session survives a silent transport failure
 * @param dpdTimeout        IKE dead-peer detection: how long a tunnel survives a silent underlay failure
 * @param ikeSetup          time for a tunnel to come up once its underlay is back
 * @param bgpSetup          time for a BGP session to establish once its transport is back
 * @param scenarioDuration  how long a scenario's fault lasts unless the request says otherwise
 * @param probeInterval     one probe round per circuit and per tunnel this often
 * @param telemetryInterval interface counters, tunnel state and TCP retransmits this often
 * @param fullTableIpv4     IPv4 prefixes of the full-table scenario
 * @param fullTableIpv6     IPv6 prefixes of the full-table scenario
 * @param seed              seed of every random choice (jitter, churn, counters), for repeatable runs
 */
public record SimSettings(int extraPrefixes, double churnPerSecond, double burstPerSecond, int updateSize,
                          Duration holdTime, Duration dpdTimeout, Duration ikeSetup, Duration bgpSetup,
                          Duration scenarioDuration, Duration probeInterval, Duration telemetryInterval,
                          int fullTableIpv4, int fullTableIpv6, long seed) {

    /** Production-like defaults: 90 s hold time, 10 s dead-peer detection. */
    public static SimSettings defaults() {
        return new SimSettings(300, 2, 0, 200, Duration.ofSeconds(90), Duration.ofSeconds(10), Duration.ofSeconds(2),
                Duration.ofSeconds(3), Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofSeconds(10),
                1_000_000, 250_000, 20261126L);
    }

    /** Checks ranges; throws with one message listing every problem. */
    public SimSettings {
        StringBuilder bad = new StringBuilder();
        check(bad, extraPrefixes >= 0 && extraPrefixes <= NetworkBuilder.MAX_EXTRA_PREFIXES,
                "extra-prefixes must be 0.." + NetworkBuilder.MAX_EXTRA_PREFIXES + " (use the full-table scenario "
                        + "for internet-sized tables), got " + extraPrefixes);
        check(bad, churnPerSecond >= 0, "rate must be >= 0, got " + churnPerSecond);
        check(bad, burstPerSecond >= 0, "burst must be >= 0 (0 = unlimited), got " + burstPerSecond);
        check(bad, updateSize >= 1 && updateSize <= 5000, "update-size must be 1..5000, got " + updateSize);
        for (Object[] d : new Object[][] {{"hold-time", holdTime}, {"dpd-timeout", dpdTimeout},
                {"ike-setup", ikeSetup}, {"bgp-setup", bgpSetup}, {"scenario-duration", scenarioDuration},
                {"probe-interval", probeInterval}, {"telemetry-interval", telemetryInterval}}) {
            Duration v = (Duration) d[1];
            check(bad, v != null && !v.isNegative() && !v.isZero(), d[0] + " must be positive, got " + v);
        }
        check(bad, fullTableIpv4 >= 0 && fullTableIpv6 >= 0 && fullTableIpv4 + fullTableIpv6 > 0,
                "full-table.ipv4 and .ipv6 must be >= 0 and not both 0");
        if (bad.length() > 0) {
            throw new IllegalArgumentException("invalid meshwatch.sim settings: " + bad);
        }
    }

    private static void check(StringBuilder bad, boolean ok, String message) {
        if (!ok) {
            bad.append(bad.length() == 0 ? "" : "; ").append(message);
        }
    }

    public SimSettings withExtraPrefixes(int n) {
        return new SimSettings(n, churnPerSecond, burstPerSecond, updateSize, holdTime, dpdTimeout, ikeSetup, bgpSetup,
                scenarioDuration, probeInterval, telemetryInterval, fullTableIpv4, fullTableIpv6, seed);
    }

    public SimSettings withChurn(double perSecond) {
        return new SimSettings(extraPrefixes, perSecond, burstPerSecond, updateSize, holdTime, dpdTimeout, ikeSetup,
                bgpSetup, scenarioDuration, probeInterval, telemetryInterval, fullTableIpv4, fullTableIpv6, seed);
    }

    public SimSettings withBurst(double perSecond) {
        return new SimSettings(extraPrefixes, churnPerSecond, perSecond, updateSize, holdTime, dpdTimeout, ikeSetup,
                bgpSetup, scenarioDuration, probeInterval, telemetryInterval, fullTableIpv4, fullTableIpv6, seed);
    }

    public SimSettings withTimers(Duration hold, Duration dpd) {
        return new SimSettings(extraPrefixes, churnPerSecond, burstPerSecond, updateSize, hold, dpd, ikeSetup, bgpSetup,
                scenarioDuration, probeInterval, telemetryInterval, fullTableIpv4, fullTableIpv6, seed);
    }

    public SimSettings withFullTable(int ipv4, int ipv6) {
        return new SimSettings(extraPrefixes, churnPerSecond, burstPerSecond, updateSize, holdTime, dpdTimeout,
                ikeSetup, bgpSetup, scenarioDuration, probeInterval, telemetryInterval, ipv4, ipv6, seed);
    }
}
