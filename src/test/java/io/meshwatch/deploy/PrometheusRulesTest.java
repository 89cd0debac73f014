package io.meshwatch.deploy;

import io.meshwatch.testing.ExternalProgram;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The rules of grafana/rules through the real promtool: {@code check rules} (syntax, PromQL, label
 * templates) and {@code test rules} (the unit tests in meshwatch.rules.test.yaml, where each rule
 * fires on the series that should fire it and stays silent otherwise).
 */
class PrometheusRulesTest {

    private static final Path DIR = Path.of("grafana/rules");

    @Test
    void promtoolChecksTheRules() throws Exception {
        String out = promtool("check", "rules", DIR.resolve("meshwatch.rules.yaml").toString());
        assertTrue(out.contains("SUCCESS: 9 rules found"), out);
    }

    @Test
    void promtoolUnitTestsFireEveryRule() throws Exception {
        String out = promtool("test", "rules", DIR.resolve("meshwatch.rules.test.yaml").toString());
        assertTrue(out.contains("SUCCESS"), out);
    }

    private static String promtool(String... args) throws IOException, InterruptedException {
        Path binary = ExternalProgram.require("promtool", "prometheus");
        List<String> cmd = new ArrayList<>(List.of(binary.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + "\n" + out);
        return out;
    }
}
