package io.meshwatch.detect.runtime;

import io.meshwatch.inventory.Severity;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Detection settings ({@code meshwatch.detect.*}); each maps onto a field of
 * {@link io.meshwatch.detect.DetectionSettings}, whose Javadoc explains it. Per-circuit thresholds
 * and per-group failover objectives come from the inventory.
 */
@ConfigMapping(prefix = "meshwatch.detect")
public interface DetectConfig {

    /** How long an established session must stay down before BgpSessionDown fires. */
    @WithDefault("0s")
    Duration sessionDownDwell();

    /** Transitions within the flap window that make a session flapping. */
    @WithDefault("4")
    int flapTransitions();

    /** Window in which transitions are counted. */
    @WithDefault("5m")
    Duration flapWindow();

    /** Quiet time after which flapping resolves. */
    @WithDefault("5m")
    Duration flapQuiet();

    /** How long a watched prefix must stay lost before PrefixUnreachable fires. */
    @WithDefault("3s")
    Duration prefixDebounce();

    /** PrefixUnreachable for prefixes outside the inventory too. */
    AnyPrefix anyPrefix();

    /** Byte-counter growth of a backup tunnel that counts as carrying traffic. */
    @WithDefault("65536")
    long backupTrafficBytes();

    /** Failover objective of a tunnel group that names none. */
    @WithDefault("30s")
    Duration defaultFailoverObjective();

    /** How far apart in event time a child signal may be from its root cause. */
    @WithDefault("5m")
    Duration correlationWindow();

    /** Resolved incidents kept in memory for the API. */
    @WithDefault("500")
    int incidentHistory();

    /**
     * How long CircuitDown and IpsecTunnelGroupDown stay firing after their condition cleared, so that
     * changing evidence refines them in place instead of resolving and raising them again.
     */
    @WithDefault("5s")
    Duration resolveHoldDown();

    /**
     * How long a tunnel group whose primary has never been up may have its watched prefixes on the
     * backup before BestPathOnBackup says so (a router joining).
     */
    @WithDefault("30s")
    Duration convergence();

    /**
     * How long a router may take after a BGP session closed to select the path that remains; the upper
     * bound of a failover known only as an interval includes it when the close completed it.
     */
    @WithDefault("1s")
    Duration pathSelectionAllowance();

    /**
     * A router that has sent telemetry and then sends none for this long raises RouterFeedLost
     * ({@code feed=telemetry}); 0 turns the watch off.
     */
    @WithDefault("5m")
    Duration feedSilence();

    /**
     * An inventory session, tunnel or circuit never seen up this long after detection first had it
     * (start-up, or the inventory edit that added it) raises NeverCameUp; 0 turns it off.
     */
    @WithDefault("10m")
    Duration neverUpAfter();

    /**
     * Where detection runs: {@code local}, in every instance on the events of the partitions it
     * consumes (one instance sees everything); or {@code facts}, in one elected owner: every instance
     * publishes the facts it derives to {@code meshwatch.topics.facts}, and the one member of the
     * {@code owner.group-id} consumer group that holds the topic's partition runs the engine
     * (ADR 0003).
     */
    @WithDefault("local")
    Mode mode();

    /** The detection owner's consumer group (facts mode). */
    Owner owner();

    enum Mode {
        LOCAL, FACTS
    }

    interface Owner {
        /** Consumer group whose one member holding the facts partition owns detection. */
        @WithDefault("meshwatch-detect")
        String groupId();

        /** How long the group waits for a silent owner before giving the partition to another member. */
        @WithDefault("6s")
        Duration sessionTimeout();

        /**
         * How often the owner checkpoints the engine's state to PostgreSQL with the facts offset it
         * covers (also when it gives up the partition); a new owner replays at most this much.
         */
        @WithDefault("5s")
        Duration checkpointInterval();
    }

    interface AnyPrefix {
        /** Watch every prefix, not only the inventory's. */
        @WithDefault("false")
        boolean enabled();

        /** Severity of a non-inventory prefix's loss. */
        @WithDefault("minor")
        Severity severity();

        /** Cap on pending plus firing non-inventory prefix losses. */
        @WithDefault("10000")
        int maxTracked();
    }
}
