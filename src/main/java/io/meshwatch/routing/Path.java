package io.meshwatch.routing;

/**
 * One path to a prefix: who sent it, its ADD-PATH id and its (interned) attributes. {@code peer}
 * is null for a path the router reported as its own Loc-RIB best.
 */
public record Path(Peer peer, int pathId, PathAttributes attributes) {

    /** True for a router-reported Loc-RIB path. */
    public boolean isReported() {
        return peer == null;
    }
}
