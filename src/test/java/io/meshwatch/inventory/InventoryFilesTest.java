package io.meshwatch.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.platform.StartupFailure;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryFilesTest {

    @TempDir
    Path dir;

    @Test
    void readsTheClassPathAndFilesThroughSymbolicLinks() throws Exception {
        assertEquals(InventoryReaderTest.demo(), InventoryFiles.read("classpath:inventory/demo.yaml"));
        assertEquals(InventoryReaderTest.demo(), InventoryFiles.read("classpath:/inventory/demo.yaml"));
        // the layout of a Kubernetes ConfigMap volume: the file is a link into ..data/
        Path data = Files.createDirectories(dir.resolve("..2026_11_26").resolve("x"));
        Files.writeString(data.resolve("inventory.yaml"), "routers: []\n");
        Files.createSymbolicLink(dir.resolve("inventory.yaml"), data.resolve("inventory.yaml"));
        assertEquals("routers: []\n", InventoryFiles.read(dir.resolve("inventory.yaml").toString()));
        assertThrows(NoSuchFileException.class, () -> InventoryFiles.read("classpath:inventory/none.yaml"));
        assertThrows(NoSuchFileException.class, () -> InventoryFiles.read(dir.resolve("none.yaml").toString()));
    }

    @Test
    void theInventoryShippedWithTheKubernetesManifestsIsValid() throws Exception {
        assertEquals(Inventory.empty(), InventoryReader.read(InventoryFiles.read("k8s/inventory.yaml")));
    }

    @Test
    void sha256IsOverTheUtf8Bytes() {
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", InventoryFiles.sha256("abc"));
        // U+00E9 is two bytes in UTF-8 (c3 a9)
        assertEquals("4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c", InventoryFiles.sha256("\u00e9"));
    }

    @Test
    void anInvalidFileIsOneLineNamingTheFileAndEveryProblem() throws Exception {
        Path f = dir.resolve("inventory.yaml");
        Files.writeString(f, """
                routers:
                  - { id: r1, asn: 65001 }
                circuits:
                  - { id: c1, kind: dx, a: { router: r9, interface: eth0 } }
                """);
        StartupFailure e = assertThrows(StartupFailure.class, () -> InventoryLoader.readFile(f.toString()));
        String line = e.getMessage();
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.startsWith("Meshwatch cannot start: the inventory file '" + f + "' named by "
                + "meshwatch.inventory.file (MESHWATCH_INVENTORY_FILE) is invalid (1 problem): circuits[0].kind: "
                + "unknown value \"dx\""), line);
    }

    @Test
    void aSyntaxErrorSpanningLinesStaysOneLine() throws Exception {
        Path f = dir.resolve("broken.yaml");
        Files.writeString(f, "routers: [ { id: r1\n");
        String line = assertThrows(StartupFailure.class, () -> InventoryLoader.readFile(f.toString())).getMessage();
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.contains("is invalid (1 problem): not valid YAML or JSON at line"), line);
    }

    @Test
    void aMissingFileSaysWhichSettingNamedIt() {
        String line = assertThrows(StartupFailure.class,
                () -> InventoryLoader.readFile(dir.resolve("none.yaml").toString())).getMessage();
        assertTrue(line.startsWith("Meshwatch cannot start: cannot read the inventory file '" + dir.resolve("none.yaml")
                + "' named by meshwatch.inventory.file (MESHWATCH_INVENTORY_FILE): NoSuchFileException"), line);
    }
}
