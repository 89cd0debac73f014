package io.meshwatch.inventory;

/**
 * The inventory in force, its lookup index and its revision, swapped as one immutable value so a
 * reader never sees an inventory with another one's index or metadata.
 */
public record ActiveInventory(Inventory inventory, InventoryIndex index, InventoryRevision revision) {

    /** The inventory of a service with nothing stored and no file. */
    public static ActiveInventory empty() {
        return of(Inventory.empty(), InventoryRevision.NONE);
    }

    /** Builds the index once, here. */
    public static ActiveInventory of(Inventory inventory, InventoryRevision revision) {
        return new ActiveInventory(inventory, InventoryIndex.of(inventory), revision);
    }
}
