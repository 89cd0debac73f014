package io.meshwatch.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Tests that start a real program (Alertmanager, FRR, GoBGP): when it is not installed the test
 * fails under CI ({@code CI=true}, where {@code .ci/run} installs it) and is skipped elsewhere, both
 * with a line saying what is missing and how to install it.
 */
public final class ExternalProgram {

    private ExternalProgram() {
    }

    /** The program's path, after failing (CI) or skipping (elsewhere) the test when it is missing. */
    public static Path require(String program, String install) {
        Path p = Path.of(program);
        if (Files.isExecutable(p)) {
            return p;
        }
        String why = program + " is not installed (" + install + "); this test starts the real program";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(why + ". Under CI it must be installed: .ci/run installs it.");
        }
        System.out.println("SKIPPED: " + why);
        Assumptions.abort(why);
        return p;
    }
}
