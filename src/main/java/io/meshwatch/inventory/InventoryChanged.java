package io.meshwatch.inventory;

/**
 * CDI event fired synchronously after a new inventory took effect: at start-up, after an accepted
 * {@code PUT /api/v1/inventory}, and when an instance picks up a revision another instance stored.
 * Observers run on the writer's thread (never a Vert.x event loop), one change at a time and in
 * version order; they should be quick, and must not throw (a throwing observer is logged and the
 * change stays in force).
 *
 * @param previous what was in force before (version 0 and empty at start-up)
 * @param current  what is in force now; the same value {@code InventoryService.active()} returns
 */
public record InventoryChanged(ActiveInventory previous, ActiveInventory current) {

    public Inventory inventory() {
        return current.inventory();
    }

    public InventoryIndex index() {
        return current.index();
    }
}
