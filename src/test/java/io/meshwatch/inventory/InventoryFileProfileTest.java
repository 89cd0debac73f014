package io.meshwatch.inventory;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Wiring: the service started with {@code meshwatch.inventory.file} naming a file on disk (as a
 * mounted ConfigMap) seeds it at start-up, before the API answers, and tells its observers.
 */
@QuarkusTest
@TestProfile(InventoryFileProfileTest.LabFile.class)
class InventoryFileProfileTest {

    static final Path FILE = labFile();

    /** The lab inventory in a file of its own. */
    public static class LabFile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("meshwatch.inventory.file", FILE.toString());
        }
    }

    @Inject
    InventoryChanges changes;

    @Inject
    InventoryService service;

    @Test
    void theConfiguredFileIsInForceFromStartUp() throws Exception {
        given().get("/api/v1/inventory").then().statusCode(200)
                .header("Meshwatch-Inventory-Source", "file")
                .header("Meshwatch-Inventory-File", FILE.toString())
                .header("Meshwatch-Inventory-Sha256", InventoryFiles.sha256(TestInventories.LAB))
                .body("routers.id", equalTo(List.of("lab-a", "lab-b")));
        InventoryChanged atStartUp = changes.seen().get(0);
        assertEquals(0, atStartUp.previous().revision().version());
        assertEquals(InventoryReader.read(TestInventories.LAB), atStartUp.inventory());
        assertEquals(service.active(), atStartUp.current());
    }

    private static Path labFile() {
        try {
            Path f = Files.createTempDirectory("meshwatch-inventory").resolve("inventory.yaml");
            Files.writeString(f, TestInventories.LAB);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
