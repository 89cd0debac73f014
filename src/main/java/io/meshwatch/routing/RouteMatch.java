package io.meshwatch.routing;

/**
 * Caller-owned, reusable result of an allocation-free longest-prefix match
 * ({@link RouteTable#lookup(String, IpAddress, RouteMatch)} and its IPv4/IPv6 variants): the
 * matching prefix as raw fields and its effective best path (router-reported when present, else
 * computed). Filling it allocates nothing; {@link #prefix()} and {@link #toBestRoute()} allocate on
 * demand.
 *
 * <p>Not thread-safe: one instance per reader thread (or per request). What it refers to
 * ({@link Peer}, {@link PathAttributes}) is immutable, so a filled instance stays consistent after
 * later table writes; it simply describes the table as of the lookup.
 */
public final class RouteMatch {

    private static final BestPathReason[] REASONS = BestPathReason.values();

    private String vrf;
    private Afi afi;
    private long prefixHi;
    private long prefixLo;
    private int prefixLength;
    private Peer peer;
    private int pathId;
    private PathAttributes attributes;
    private int reason;
    private boolean found;

    /** True when the last lookup found a covering prefix with a best path. */
    public boolean found() {
        return found;
    }

    public String vrf() {
        return vrf;
    }

    public Afi afi() {
        return afi;
    }

    /** Prefix key as in {@link Prefix#hi()}: IPv4 keeps 0 here. */
    public long prefixHi() {
        return prefixHi;
    }

    /** Prefix key as in {@link Prefix#lo()}: the IPv4 address in the low 32 bits. */
    public long prefixLo() {
        return prefixLo;
    }

    public int prefixLength() {
        return prefixLength;
    }

    /** The matched prefix (allocates); null when nothing matched. */
    public Prefix prefix() {
        if (!found) {
            return null;
        }
        return afi == Afi.IPV4 ? Prefix.ipv4((int) prefixLo, prefixLength) : Prefix.ipv6(prefixHi, prefixLo, prefixLength);
    }

    /** The peer of the best path; null for a router-reported best or when nothing matched. */
    public Peer peer() {
        return found ? peer : null;
    }

    public int pathId() {
        return pathId;
    }

    /** The (interned, immutable) attributes of the best path; null when nothing matched. */
    public PathAttributes attributes() {
        return found ? attributes : null;
    }

    public BestPathReason reason() {
        return found ? REASONS[reason] : BestPathReason.NO_PATH;
    }

    /** True when the best path is the router-reported Loc-RIB best. */
    public boolean reported() {
        return found && reason == BestPathReason.ROUTER_REPORTED.ordinal();
    }

    /** The same answer as the allocating {@link RouteTable#longestMatch} record; null when not found. */
    public BestRoute toBestRoute() {
        return found ? new BestRoute(vrf, prefix(), new Path(peer, pathId, attributes), REASONS[reason], reported()) : null;
    }

    void clear(String vrf, Afi afi) {
        this.vrf = vrf;
        this.afi = afi;
        this.found = false;
        this.peer = null;
        this.attributes = null;
    }

    void set(long hi, long lo, int length, Peer peer, int pathId, PathAttributes attributes, int reason) {
        this.prefixHi = hi;
        this.prefixLo = lo;
        this.prefixLength = length;
        this.peer = peer;
        this.pathId = pathId;
        this.attributes = attributes;
        this.reason = reason;
        this.found = true;
    }
}
