package io.meshwatch.inventory;

import java.util.Locale;

/** Where the current inventory came from. */
public enum InventorySource {
    /** Nothing stored and no file configured: the empty inventory. */
    NONE,
    /** Seeded at start-up from the file {@code meshwatch.inventory.file} names. */
    FILE,
    /** Replaced through {@code PUT /api/v1/inventory}. */
    API;

    /** The spelling in the database, the API headers and the logs. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static InventorySource fromWire(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
