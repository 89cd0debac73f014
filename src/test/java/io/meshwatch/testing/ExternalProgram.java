package io.meshwatch.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds a real program a test starts (Alertmanager, Prometheus, promtool). A missing program fails
 * the test with a line saying which Debian package has it: {@code bin/test}, the test command,
 * installs them all, and a test that quietly did not run would prove nothing.
 */
public final class ExternalProgram {

    private ExternalProgram() {
    }

    /**
     * The program's path: {@code program} as given when it contains a slash, else the first
     * executable of that name on the {@code PATH} or in {@code /usr/bin}.
     */
    public static Path require(String program, String debianPackage) {
        if (program.contains("/")) {
            Path p = Path.of(program);
            if (Files.isExecutable(p)) {
                return p;
            }
        } else {
            for (String dir : (System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin")
                    .split(File.pathSeparator)) {
                Path p = Path.of(dir.isEmpty() ? "." : dir, program);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        fail(program + " is not installed (Debian package " + debianPackage + "); this test starts the real "
                + "program: run the tests with bin/test, which installs it, or apt-get install -y " + debianPackage);
        throw new AssertionError("unreachable");
    }
}
