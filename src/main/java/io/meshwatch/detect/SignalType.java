package io.meshwatch.detect;

/**
 * What a {@link Signal} is about. Each type has the alert name the alerting layer and Alertmanager
 * use ({@link #alertName()}); the detector that raises it, its inputs, thresholds and severities
 * are described in {@code docs/detection.md}.
 */
public enum SignalType {
    /** An established BGP session left {@code established} (after the dwell). */
    BGP_SESSION_DOWN("BgpSessionDown"),
    /** A BGP session changed between up and down N times within a window. */
    BGP_SESSION_FLAPPING("BgpSessionFlapping"),
    /** A tunnel group's primary went down and a backup took the traffic; fires when it has. */
    IPSEC_FAILOVER("IpsecFailover"),
    /** A failover took longer than the group's objective, or has not completed by it. */
    IPSEC_FAILOVER_SLOW("IpsecFailoverSlow"),
    /** No tunnel of a tunnel group is up. */
    IPSEC_TUNNEL_GROUP_DOWN("IpsecTunnelGroupDown"),
    /** A circuit is down: interface down, all its sessions down, or sustained probe loss. */
    CIRCUIT_DOWN("CircuitDown"),
    /** A circuit's latency, jitter, loss or retransmits stayed above thresholds for the dwell. */
    CIRCUIT_DEGRADED("CircuitDegraded"),
    /** A watched prefix lost its last path on a router (after the debounce). */
    PREFIX_UNREACHABLE("PrefixUnreachable"),
    /** The best path of a watched prefix is now via a backup tunnel's BGP session. */
    BEST_PATH_ON_BACKUP("BestPathOnBackup"),
    /** The best path of a prefix under a route policy is originated by an AS the policy does not name. */
    ROUTE_ORIGIN_UNEXPECTED("RouteOriginUnexpected"),
    /** The best path of a prefix under a route policy comes through a neighbour AS or an AS path it does not allow. */
    ROUTE_PATH_UNEXPECTED("RoutePathUnexpected"),
    /** A more-specific of a policy's prefix, longer than the policy's maximum length, is a best path. */
    ROUTE_MORE_SPECIFIC("RouteMoreSpecific"),
    /**
     * A router's feed is lost: its BMP connection ended without a Termination (a crash, a cut link
     * to the collector), or the router sent no telemetry for the configured silence.
     */
    ROUTER_FEED_LOST("RouterFeedLost"),
    /** A session, tunnel or circuit of the inventory has never been seen up since it was expected. */
    NEVER_CAME_UP("NeverCameUp");

    private final String alertName;

    SignalType(String alertName) {
        this.alertName = alertName;
    }

    /** The alert name, e.g. {@code BgpSessionDown}: the {@code alertname} label downstream. */
    public String alertName() {
        return alertName;
    }

    /** True for the route policy types (the policy annotation names the range they are about). */
    boolean routePolicy() {
        return this == ROUTE_ORIGIN_UNEXPECTED || this == ROUTE_PATH_UNEXPECTED || this == ROUTE_MORE_SPECIFIC;
    }

    /** True for the types that describe a whole tunnel group. */
    boolean groupLevel() {
        return this == IPSEC_FAILOVER || this == IPSEC_FAILOVER_SLOW || this == IPSEC_TUNNEL_GROUP_DOWN;
    }
}
