package io.meshwatch.inventory;

/** What a router does in the network. YAML spelling: the lower-case name with {@code -}. */
public enum RouterRole {
    /** A transit router in a cloud region (for example an AWS transit VPC router). */
    TRANSIT,
    /** A router in a cloud exchange that reaches the clouds over rented circuits. */
    CLOUD_EXCHANGE,
    /** A router at a site or data centre. */
    EDGE,
    /** A route reflector. */
    ROUTE_REFLECTOR
}
