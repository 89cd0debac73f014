package io.meshwatch.inventory;

import static io.meshwatch.inventory.InventoryPrecedence.Choice.SEED_FILE;
import static io.meshwatch.inventory.InventoryPrecedence.Choice.USE_STORED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.platform.StartupFailure;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a restarted service finds, against the real PostgreSQL: each "restart" is a fresh
 * {@link InventoryLoader}, which keeps nothing in memory and does exactly what start-up does.
 */
@QuarkusTest
class InventoryRestartTest {

    @Inject
    InventoryStore store;

    @Inject
    InventoryService service;

    @Inject
    Clock clock;

    @AfterEach
    void putTheDemoBack() throws Exception {
        TestInventories.restoreDemo(service);
    }

    @Test
    void anApiEditSurvivesRestartsUntilTheFileChanges() throws Exception {
        Path file = Files.createTempDirectory("meshwatch-inventory").resolve("inventory.yaml");
        Files.writeString(file, TestInventories.oneRouter("file-a"));

        InventoryLoader.Outcome first = restart(file);
        assertEquals(SEED_FILE, first.decision().choice(), first.decision().reason());
        assertEquals(List.of("file-a"), routers(first));
        assertEquals(InventorySource.FILE, first.active().revision().source());
        assertEquals(file.toString(), first.active().revision().location());
        assertEquals(InventoryFiles.sha256(TestInventories.oneRouter("file-a")), first.active().revision().sha256());

        // the running service is "another instance": it picks the revision up from the database
        service.refresh();
        assertEquals(first.active().revision().version(), service.active().revision().version());
        assertEquals(List.of("file-a"), service.current().routers().stream().map(Router::id).toList());

        ActiveInventory edit = service.replace(TestInventories.oneRouter("api-b"), DocumentFormat.YAML, "operator");

        InventoryLoader.Outcome second = restart(file);
        assertEquals(USE_STORED, second.decision().choice(), second.decision().reason());
        assertEquals(List.of("api-b"), routers(second));
        assertEquals(edit.revision(), second.active().revision());
        assertEquals("operator", second.active().revision().updatedBy());

        InventoryLoader.Outcome withoutFile = restart(null);
        assertEquals(USE_STORED, withoutFile.decision().choice());
        assertEquals(List.of("api-b"), routers(withoutFile));

        Files.writeString(file, TestInventories.oneRouter("file-c"));
        InventoryLoader.Outcome third = restart(file);
        assertEquals(SEED_FILE, third.decision().choice());
        assertEquals(List.of("file-c"), routers(third));
        assertEquals(edit.revision().version() + 1, third.active().revision().version());

        InventoryLoader.Outcome fourth = restart(file);
        assertEquals(USE_STORED, fourth.decision().choice());
        assertEquals(third.active().revision(), fourth.active().revision());
        assertEquals(third.active().revision().version(), newestVersion(), "an unchanged file stores nothing");
    }

    @Test
    void twoInstancesStartingWithTheSameNewFileSeedItOnce() throws Exception {
        Path file = Files.createTempDirectory("meshwatch-inventory").resolve("inventory.yaml");
        Files.writeString(file, TestInventories.oneRouter("race-" + UUID.randomUUID().toString().substring(0, 8)));
        long before = newestVersion();
        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            Future<InventoryLoader.Outcome> a = two.submit(() -> {
                together.await();
                return restart(file);
            });
            Future<InventoryLoader.Outcome> b = two.submit(() -> {
                together.await();
                return restart(file);
            });
            List<InventoryPrecedence.Choice> choices = List.of(a.get().decision().choice(), b.get().decision().choice());
            assertTrue(choices.contains(SEED_FILE) && choices.contains(USE_STORED), choices.toString());
            assertEquals(before + 1, newestVersion());
            assertEquals(a.get().active().revision(), b.get().active().revision());
        } finally {
            two.shutdownNow();
        }
    }

    @Test
    void aStoredRevisionThatNoLongerReadsIsReplacedByTheFileOrStopsStartUp() throws Exception {
        store.exclusively(c -> store.insert(c, "routers: [ { id: r1, role: spine } ]\n", DocumentFormat.YAML,
                InventorySource.API, null, "an older release", clock.instant())).await().indefinitely();

        StartupFailure e = assertThrows(StartupFailure.class, () -> restart(null));
        assertEquals("Meshwatch cannot start: the stored inventory is not usable: stored version " + newestVersion()
                + " no longer reads as a valid inventory and no file is configured (routers[0].asn: missing; "
                + "routers[0].role: unknown value \"spine\"; expected one of [transit, cloud-exchange, edge, "
                + "route-reflector]); set meshwatch.inventory.file (MESHWATCH_INVENTORY_FILE) to a corrected "
                + "inventory file (docs/inventory.md)", e.getMessage());

        Path file = Files.createTempDirectory("meshwatch-inventory").resolve("inventory.yaml");
        Files.writeString(file, TestInventories.oneRouter("repaired"));
        InventoryLoader.Outcome repaired = restart(file);
        assertEquals(SEED_FILE, repaired.decision().choice());
        assertEquals(List.of("repaired"), routers(repaired));
        assertEquals(List.of("routers[0].asn: missing", "routers[0].role: unknown value \"spine\"; expected one of "
                + "[transit, cloud-exchange, edge, route-reflector]"), repaired.storedProblems());
    }

    private InventoryLoader.Outcome restart(Path file) {
        return new InventoryLoader(store, clock).load(Optional.ofNullable(file).map(Path::toString));
    }

    private long newestVersion() {
        return store.newestVersion().await().indefinitely();
    }

    private static List<String> routers(InventoryLoader.Outcome o) {
        return o.active().inventory().routers().stream().map(Router::id).toList();
    }
}
