/**
 * The network inventory: what the operator tells Meshwatch about the network (routers, circuits,
 * IPSec tunnel groups, watched prefixes; format in {@code docs/inventory.md}).
 *
 * <p>Plain Java core: the records, {@link io.meshwatch.inventory.InventoryReader} (YAML or JSON in,
 * every problem with its path out), {@link io.meshwatch.inventory.InventoryValidator},
 * {@link io.meshwatch.inventory.InventoryWriter}, {@link io.meshwatch.inventory.InventoryIndex} and
 * the start-up rule {@link io.meshwatch.inventory.InventoryPrecedence}. Adapters:
 * {@link io.meshwatch.inventory.InventoryStore} (PostgreSQL {@code inventory_revision}),
 * {@link io.meshwatch.inventory.InventoryLoader} (start-up) and
 * {@link io.meshwatch.inventory.InventoryService} (the inventory in force).
 *
 * <p>Invariants: an inventory is immutable and valid (nothing unvalidated is ever put in force);
 * it is replaced whole, never edited in place, together with its index and revision
 * ({@link io.meshwatch.inventory.ActiveInventory}); it is stored before it takes effect; the
 * version in force only moves forward; {@link io.meshwatch.inventory.InventoryChanged} is fired once
 * per change, in version order.
 *
 * <p>Threading: one writer at a time (start-up, an API replace, or the refresh that picks up another
 * instance's revision, serialised on the service's lock and, across instances, on a PostgreSQL
 * advisory lock); many readers (consumers, detectors, the API) read one volatile reference and
 * never block.
 */
package io.meshwatch.inventory;
