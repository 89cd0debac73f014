package io.meshwatch.inventory;

import java.util.List;

/**
 * A prefix that matters, for example a customer's private endpoint range.
 *
 * @param prefix   the prefix in canonical text ({@code 10.20.0.0/16})
 * @param vrf      VRF name; {@code default} for the global table
 * @param name     what it is, for people
 * @param severity how bad it is when the prefix becomes unreachable
 * @param routers  routers that must hold a path to it; empty means every router that has had one
 * @param policy   what its routes (and its more-specifics') must look like, or null for none
 */
public record WatchedPrefix(String prefix, String vrf, String name, Severity severity, List<String> routers,
                            RoutePolicy policy) {

    public WatchedPrefix {
        routers = routers == null ? List.of() : List.copyOf(routers);
    }

    /** A watched prefix without a route policy. */
    public WatchedPrefix(String prefix, String vrf, String name, Severity severity, List<String> routers) {
        this(prefix, vrf, name, severity, routers, null);
    }
}
