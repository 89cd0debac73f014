package io.meshwatch.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What can be checked of src/main/docker/Dockerfile.jvm without a container engine (none runs on
 * the build machines): after {@code package}, every COPY source exists in the fast-jar layout, and
 * the image runs as the non-root user the Deployment expects.
 */
class ContainerImageIT {

    private static final Path DOCKERFILE = Path.of("src/main/docker/Dockerfile.jvm");

    @Test
    void everyCopySourceExistsAfterPackageAndTheImageRunsAsTheDeploymentsUser() throws Exception {
        List<String> lines = Files.readAllLines(DOCKERFILE).stream().map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        List<String> sources = new ArrayList<>();
        String user = null;
        for (String l : lines) {
            String[] words = l.split("\\s+");
            if (words[0].equalsIgnoreCase("COPY")) {
                List<String> args = new ArrayList<>();
                for (int i = 1; i < words.length; i++) {
                    if (!words[i].startsWith("--")) {
                        args.add(words[i]);
                    }
                }
                sources.addAll(args.subList(0, args.size() - 1));
            } else if (words[0].equalsIgnoreCase("USER")) {
                user = words[1];
            }
        }
        assertFalse(sources.isEmpty(), "COPY instructions");
        for (String s : sources) {
            Path p = Path.of(s);
            assertTrue(Files.exists(p), s + " (a COPY source) does not exist after package");
            if (s.endsWith("/")) {
                assertTrue(Files.isDirectory(p) && Files.list(p).findAny().isPresent(), s + " is an empty directory");
            }
        }
        assertTrue(sources.contains("target/quarkus-app/quarkus-run.jar"), "the runner jar is copied");
        String runAs = K8s.one("Deployment").node().path("spec").path("template").path("spec").path("securityContext")
                .path("runAsUser").asText();
        assertEquals(runAs, user, "the image's USER is the Deployment's runAsUser");
        assertTrue(!"0".equals(user) && !"root".equals(user), "non-root image");
    }
}
