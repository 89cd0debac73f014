package io.meshwatch.inventory;

import java.time.Instant;

/**
 * Which stored revision an inventory is, and where it came from.
 *
 * @param version   the revision number, 1 for the first one stored; 0 for the empty inventory of a
 *                  service that has nothing stored and no file
 * @param source    file, api, or none (version 0)
 * @param sha256    hex SHA-256 of the stored document's UTF-8 bytes; null for version 0
 * @param location  the file it was seeded from (source file), else null
 * @param updatedBy who stored it: the API caller, or {@code start-up of <host>} for a file
 * @param updatedAt when it was stored; null for version 0
 */
public record InventoryRevision(long version, InventorySource source, String sha256, String location,
                                String updatedBy, Instant updatedAt) {

    /** The revision of the empty inventory a service starts with when nothing is stored or configured. */
    public static final InventoryRevision NONE = new InventoryRevision(0, InventorySource.NONE, null, null, null, null);
}
