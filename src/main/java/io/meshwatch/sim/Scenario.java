package io.meshwatch.sim;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The scenarios the simulator can play, each a timeline that resolves itself. */
public enum Scenario {

    CIRCUIT_CUT("circuit-cut", Target.CIRCUIT,
            "A circuit is cut: its interfaces go down on both ends and its probes lose 100%; the IPSec tunnel "
                    + "riding it goes down after dead-peer detection; its BGP sessions drop when their hold timer "
                    + "expires, so the backup tunnel's paths become best and the backup carries the traffic. At the "
                    + "end the circuit is repaired, the tunnel and the sessions come back and traffic returns."),
    IPSEC_FAILOVER("ipsec-failover", Target.TUNNEL_GROUP,
            "The primary tunnel of a group goes down (the far gateway deletes its IKE SA); the router resets the "
                    + "BGP session over it at once and the backup's paths, already received, become best within the "
                    + "group's failover objective. At the end the primary comes back."),
    IPSEC_FAILOVER_SLOW("ipsec-failover-slow", Target.TUNNEL_GROUP,
            "Like ipsec-failover, but the backup tunnel is a standby negotiated on demand: when the primary fails "
                    + "nothing carries the group's prefixes until the backup's IKE negotiation and BGP session "
                    + "complete, later than the group's failover objective. Then the primary comes back."),
    SESSION_FLAP("session-flap", Target.SESSION,
            "A BGP session flaps several times (request 'flaps', default 4): down, re-established with its "
                    + "table and End-of-RIB, down again, evenly over the duration."),
    CIRCUIT_DEGRADED("circuit-degraded", Target.CIRCUIT,
            "A circuit's probes show loss and jitter above the inventory's thresholds (and its BGP connections "
                    + "retransmit more) for longer than the circuit's dwell, then recover. Sessions stay up."),
    WITHDRAWAL_STORM("withdrawal-storm", Target.ROUTER,
            "A router withdraws many prefixes at once (its extra prefixes, or request 'count' of them); every "
                    + "router that held them loses them. At the end they are announced again."),
    FULL_TABLE("full-table", Target.ROUTER,
            "A router's internet transit peer (AS3356) comes up and sends a full table (request 'ipv4' and "
                    + "'ipv6', default 1.0M + 0.25M) and End-of-RIB for both families; at the end the peer withdraws "
                    + "it.");

    /** What a scenario acts on. */
    public enum Target {
        CIRCUIT("circuit"), TUNNEL_GROUP("group"), SESSION("session"), ROUTER("router");

        private final String param;

        Target(String param) {
            this.param = param;
        }

        /** The request field (and {@code bin/sim} option) that names this kind of target. */
        public String param() {
            return param;
        }
    }

    private final String wire;
    private final Target target;
    private final String description;

    Scenario(String wire, Target target, String description) {
        this.wire = wire;
        this.target = target;
        this.description = description;
    }

    public String wire() {
        return wire;
    }

    public Target target() {
        return target;
    }

    public String description() {
        return description;
    }

    public static Optional<Scenario> fromWire(String name) {
        return Arrays.stream(values()).filter(s -> s.wire.equals(name)).findFirst();
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(Scenario::wire).toList();
    }
}
