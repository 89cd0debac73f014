package io.meshwatch.routing;

/** BGP ORIGIN attribute. Declaration order is preference order: IGP is best, INCOMPLETE worst. */
public enum Origin {
    IGP,
    EGP,
    INCOMPLETE;

    private static final Origin[] VALUES = values();

    /** The origin for an ordinal; used when decoding compact storage. */
    static Origin ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
