package io.meshwatch.inventory;

import java.util.Locale;

/**
 * How an inventory document is written. Stored with each revision so it is read back with the
 * parser it was accepted with: JSON with tab indentation or {@code \/} escapes is not YAML.
 */
public enum DocumentFormat {
    YAML,
    JSON;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DocumentFormat fromWire(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }

    /** A file ending in {@code .json} is JSON; any other is YAML. */
    public static DocumentFormat ofLocation(String location) {
        return location.toLowerCase(Locale.ROOT).endsWith(".json") ? JSON : YAML;
    }
}
