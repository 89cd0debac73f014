package io.meshwatch.routing;

import java.util.Arrays;

/**
 * Stores each distinct {@link PathAttributes} once, and inside them each distinct {@link AsPath}
 * and {@link Communities} once, with reference counts so that sets nobody uses any more are freed.
 *
 * <p>{@link #acquire} returns a stable int id (never 0) that the table keeps per path instead of an
 * object reference; {@link #get} maps it back to the canonical instance and {@link #release} drops
 * the reference. Not thread-safe: each {@link RouteTable} owns one and guards it with its lock.
 */
public final class AttributeInterner {

    private final Interner<PathAttributes> attributes = new Interner<>();
    private final Interner<AsPath> asPaths = new Interner<>();
    private final Interner<Communities> communitySets = new Interner<>();
    private int[] asPathIdOf = new int[16];
    private int[] communitiesIdOf = new int[16];

    /** Takes a reference to the canonical instance equal to {@code attrs} and returns its id. */
    public int acquire(PathAttributes attrs) {
        int id = attributes.find(attrs);
        if (id != 0) {
            attributes.retain(id);
            return id;
        }
        int pathId = asPaths.find(attrs.asPath());
        if (pathId == 0) {
            pathId = asPaths.add(attrs.asPath());
        } else {
            asPaths.retain(pathId);
        }
        int commId = communitySets.find(attrs.communities());
        if (commId == 0) {
            commId = communitySets.add(attrs.communities());
        } else {
            communitySets.retain(commId);
        }
        id = attributes.add(attrs.withShared(asPaths.get(pathId), communitySets.get(commId)));
        if (id >= asPathIdOf.length) {
            int n = Math.max(id + 1, asPathIdOf.length * 2);
            asPathIdOf = Arrays.copyOf(asPathIdOf, n);
            communitiesIdOf = Arrays.copyOf(communitiesIdOf, n);
        }
        asPathIdOf[id] = pathId;
        communitiesIdOf[id] = commId;
        return id;
    }

    /** Adds a reference to an id already held. */
    public void retain(int id) {
        attributes.retain(id);
    }

    /** The canonical attributes for a live id. */
    public PathAttributes get(int id) {
        return attributes.get(id);
    }

    /** Drops one reference; the set (and its AS path and communities) is freed with the last one. */
    public void release(int id) {
        if (attributes.release(id)) {
            asPaths.release(asPathIdOf[id]);
            communitySets.release(communitiesIdOf[id]);
        }
    }

    /** The canonical instance equal to {@code attrs}, or null when no path uses such a set. */
    public PathAttributes canonical(PathAttributes attrs) {
        int id = attributes.find(attrs);
        return id == 0 ? null : attributes.get(id);
    }

    public int distinctAttributeSets() {
        return attributes.size();
    }

    public int distinctAsPaths() {
        return asPaths.size();
    }

    public int distinctCommunitySets() {
        return communitySets.size();
    }
}
