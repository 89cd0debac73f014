package io.meshwatch.inventory;

/** Kinds of circuit. YAML spelling: the lower-case name with {@code -} ({@code direct-connect}). */
public enum CircuitKind {
    /** AWS Direct Connect. */
    DIRECT_CONNECT,
    /** Azure ExpressRoute. */
    EXPRESSROUTE,
    /** Google Cloud Interconnect (dedicated or partner). */
    INTERCONNECT,
    /** A cross-connect inside a colocation site. */
    CROSS_CONNECT
}
