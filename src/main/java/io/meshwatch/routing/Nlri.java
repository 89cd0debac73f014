package io.meshwatch.routing;

/** One NLRI of an update: a prefix and its ADD-PATH path id (0 when ADD-PATH is not negotiated). */
public record Nlri(Prefix prefix, int pathId) {

    public Nlri {
        Prefix.require(prefix, "prefix");
    }

    /** An NLRI without ADD-PATH (path id 0). */
    public static Nlri of(Prefix prefix) {
        return new Nlri(prefix, 0);
    }

    /** Parses the prefix text; path id 0. */
    public static Nlri of(String prefix) {
        return new Nlri(Prefix.parse(prefix), 0);
    }
}
