package io.meshwatch.inventory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Reading an inventory document from a file or the class path, and its content hash. Plain Java. */
public final class InventoryFiles {

    /** Prefix of a location that names a class-path resource, e.g. {@code classpath:inventory/demo.yaml}. */
    public static final String CLASSPATH = "classpath:";

    private InventoryFiles() {
    }

    /** The text of the document at {@code location}: a file path, or {@code classpath:} and a resource name. */
    public static String read(String location) throws IOException {
        if (location.startsWith(CLASSPATH)) {
            String name = location.substring(CLASSPATH.length()).replaceFirst("^/+", "");
            ClassLoader cl = Thread.currentThread().getContextClassLoader();
            try (InputStream in = (cl != null ? cl : InventoryFiles.class.getClassLoader()).getResourceAsStream(name)) {
                if (in == null) {
                    throw new NoSuchFileException(location, null, "no such class-path resource");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        // Follows symbolic links: a Kubernetes ConfigMap volume's files are links into ..data/
        return Files.readString(Path.of(location), StandardCharsets.UTF_8);
    }

    /** Lower-case hex SHA-256 of the document's UTF-8 bytes. */
    public static String sha256(String document) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(document.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
