package io.meshwatch.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds a real program a test starts. A missing program fails the test under CI ({@code CI=true}),
 * where .ci/run installs it; elsewhere the test is skipped with the reason printed.
 */
final class ExternalProgram {

    private ExternalProgram() {
    }

    static Path require(String name, String debianPackage) {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin")
                .split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        String why = name + " is not installed (Debian package " + debianPackage + "; .ci/run installs it)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(why);
        }
        System.out.println("SKIPPED: " + why);
        Assumptions.abort(why);
        throw new AssertionError("unreachable");
    }
}
