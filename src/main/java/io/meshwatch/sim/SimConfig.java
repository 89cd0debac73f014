package io.meshwatch.sim;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The simulator's configuration, under {@code meshwatch.sim.*} (see {@code docs/simulator.md}).
 * Every property has a default; the dev profile turns the simulator on with demo timers.
 */
@ConfigMapping(prefix = "meshwatch.sim")
public interface SimConfig {

    /** Run the simulator: true in dev mode, false in production and tests unless set. */
    @WithDefault("false")
    boolean enabled();

    /** The inventory it plays: {@code classpath:...} or a file path. */
    @WithDefault(SimInventory.DEMO)
    String inventory();

    /** Prefixes each router originates besides the inventory's watched ones. */
    @WithDefault("300")
    int extraPrefixes();

    /** Steady-state churn: prefix flaps started per second, network-wide (0 = none). */
    @WithDefault("2")
    double rate();

    /** Most prefixes per second in table transfers (initial tables, storms, full table); 0 = unlimited. */
    @WithDefault("0")
    double burst();

    /** Most prefixes in one {@code bgp.update} of a table transfer. */
    @WithDefault("200")
    int updateSize();

    /** BGP hold time: a session over a silently failed path drops this long after the failure. */
    @WithDefault("90s")
    Duration holdTime();

    /** IKE dead-peer detection: a tunnel over a silently failed path goes down this long after the failure. */
    @WithDefault("10s")
    Duration dpdTimeout();

    /** Time for a tunnel to come up once its path is back. */
    @WithDefault("2s")
    Duration ikeSetup();

    /** Time for a BGP session to establish once its path is back. */
    @WithDefault("3s")
    Duration bgpSetup();

    /** How long a scenario's fault lasts unless the request says otherwise. */
    @WithDefault("60s")
    Duration scenarioDuration();

    /** A probe round per circuit and per tunnel this often. */
    @WithDefault("5s")
    Duration probeInterval();

    /** Interface counters, tunnel state and TCP retransmits this often. */
    @WithDefault("10s")
    Duration telemetryInterval();

    /** Size of the full-table scenario's table. */
    FullTable fullTable();

    /** Seed of every random choice, so that two runs with one configuration match. */
    @WithDefault("20261126")
    long seed();

    interface FullTable {
        @WithDefault("1000000")
        int ipv4();

        @WithDefault("250000")
        int ipv6();
    }

    /** The plain settings the simulation core takes. */
    default SimSettings settings() {
        return new SimSettings(extraPrefixes(), rate(), burst(), updateSize(), holdTime(), dpdTimeout(), ikeSetup(),
                bgpSetup(), scenarioDuration(), probeInterval(), telemetryInterval(), fullTable().ipv4(),
                fullTable().ipv6(), seed());
    }
}
