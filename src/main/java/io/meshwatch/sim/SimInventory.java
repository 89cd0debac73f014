package io.meshwatch.sim;

import io.meshwatch.inventory.InvalidInventoryException;
import io.meshwatch.inventory.Inventory;
import io.meshwatch.inventory.InventoryReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads the inventory the simulator plays, from {@code classpath:...} or a file path. */
public final class SimInventory {

    /** The demo network that ships with Meshwatch. */
    public static final String DEMO = "classpath:inventory/demo.yaml";

    private SimInventory() {
    }

    /**
     * Reads and validates the inventory at {@code location}.
     *
     * @throws IllegalArgumentException naming the location and every problem found
     */
    public static Inventory load(String location) {
        String text;
        try {
            if (location.startsWith("classpath:")) {
                String resource = location.substring("classpath:".length()).replaceFirst("^/", "");
                ClassLoader cl = Thread.currentThread().getContextClassLoader();
                try (InputStream in = (cl != null ? cl : SimInventory.class.getClassLoader()).getResourceAsStream(resource)) {
                    if (in == null) {
                        throw new IllegalArgumentException("simulator inventory " + location + " is not on the classpath");
                    }
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            } else {
                text = Files.readString(Path.of(location));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read simulator inventory " + location + ": " + e.getMessage(), e);
        }
        try {
            return InventoryReader.read(text);
        } catch (InvalidInventoryException e) {
            throw new IllegalArgumentException("simulator inventory " + location + ": " + e.getMessage(), e);
        }
    }
}
