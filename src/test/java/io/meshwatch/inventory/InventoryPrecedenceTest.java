package io.meshwatch.inventory;

import static io.meshwatch.inventory.InventoryPrecedence.Choice.EMPTY;
import static io.meshwatch.inventory.InventoryPrecedence.Choice.FAIL;
import static io.meshwatch.inventory.InventoryPrecedence.Choice.SEED_FILE;
import static io.meshwatch.inventory.InventoryPrecedence.Choice.USE_STORED;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meshwatch.inventory.InventoryPrecedence.Choice;
import io.meshwatch.inventory.InventoryPrecedence.Decision;
import io.meshwatch.inventory.InventoryPrecedence.Situation;
import org.junit.jupiter.api.Test;

/** The start-up rule between the configured file and PostgreSQL, case by case. */
class InventoryPrecedenceTest {

    static final String A = "a".repeat(64);
    static final String B = "b".repeat(64);

    @Test
    void nothingAnywhereIsTheEmptyInventory() {
        assertChoice(EMPTY, new Situation(null, 0, null, false, null, 0));
    }

    @Test
    void aFileWithNothingStoredIsSeeded() {
        Decision d = decide(new Situation(A, 0, null, false, null, 0));
        assertEquals(SEED_FILE, d.choice());
        assertEquals("nothing is stored yet", d.reason());
    }

    @Test
    void anUnchangedFileKeepsTheStoredApiEdit() {
        Decision d = decide(new Situation(A, 7, InventorySource.API, true, A, 5));
        assertEquals(USE_STORED, d.choice());
        assertEquals("the file is unchanged since it was seeded as version 5; using stored version 7 (api)", d.reason());
    }

    @Test
    void anUnchangedFileKeepsItsOwnSeed() {
        assertChoice(USE_STORED, new Situation(A, 5, InventorySource.FILE, true, A, 5));
    }

    @Test
    void aChangedFileWinsOverTheStoredApiEdit() {
        Decision d = decide(new Situation(B, 7, InventorySource.API, true, A, 5));
        assertEquals(SEED_FILE, d.choice());
        assertEquals("the file changed since it was seeded as version 5; it replaces stored version 7", d.reason());
    }

    @Test
    void aFileConfiguredForTheFirstTimeWinsOverApiEdits() {
        Decision d = decide(new Situation(A, 3, InventorySource.API, true, null, 0));
        assertEquals(SEED_FILE, d.choice());
        assertEquals("no file was seeded before; the file replaces stored version 3", d.reason());
    }

    @Test
    void withoutAFileTheStoredInventoryIsUsed() {
        Decision d = decide(new Situation(null, 4, InventorySource.FILE, true, A, 4));
        assertEquals(USE_STORED, d.choice());
        assertEquals("no file configured; using stored version 4 (file)", d.reason());
    }

    @Test
    void anUnreadableStoredInventoryIsReplacedByTheFileEvenWhenUnchanged() {
        assertChoice(SEED_FILE, new Situation(A, 7, InventorySource.API, false, A, 5));
    }

    @Test
    void anUnreadableStoredInventoryWithoutAFileStopsStartUp() {
        Decision d = decide(new Situation(null, 7, InventorySource.API, false, null, 0));
        assertEquals(FAIL, d.choice());
        assertEquals("stored version 7 no longer reads as a valid inventory and no file is configured", d.reason());
    }

    private static Decision decide(Situation s) {
        return InventoryPrecedence.decide(s);
    }

    private static void assertChoice(Choice expected, Situation s) {
        assertEquals(expected, decide(s).choice(), decide(s).reason());
    }
}
