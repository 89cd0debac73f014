package io.meshwatch.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Test resource: the machine's real PostgreSQL, made ready by the project's own {@code bin/db-setup}
 * (server up, role and test database present). Runs once per test JVM.
 */
public class LocalPostgres implements QuarkusTestResourceLifecycleManager {

    /**
     * The test database: {@code meshwatch_test}, or {@code MESHWATCH_TEST_DB_NAME} so that several
     * work trees on one machine (whose branches may carry different migrations) do not share it.
     */
    public static final String DATABASE = System.getenv().getOrDefault("MESHWATCH_TEST_DB_NAME", "meshwatch_test");
    private static boolean ready;

    public static synchronized void ensure() {
        if (ready) {
            return;
        }
        try {
            ProcessBuilder pb = new ProcessBuilder("bin/db-setup").redirectErrorStream(true);
            pb.environment().put("MESHWATCH_DB_NAME", DATABASE);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("bin/db-setup failed: " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run bin/db-setup", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        clearState();
        ready = true;
    }

    /**
     * Starts each test JVM from an empty schema: every table (and the migration history) the test
     * role owns is dropped, so Flyway builds the schema of this checkout from scratch and nothing a
     * previous run (or another branch's migrations) left behind can fail the run.
     */
    private static void clearState() {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(jdbcUrl(), "meshwatch", "meshwatch");
             java.sql.Statement st = c.createStatement()) {
            st.execute("DROP OWNED BY meshwatch CASCADE");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot clear the test database " + DATABASE, e);
        }
    }

    /** JDBC URL of the test database, for tests that look at rows directly. */
    public static String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:5432/" + DATABASE;
    }

    @Override
    public Map<String, String> start() {
        ensure();
        return Map.of("meshwatch.db.name", DATABASE);
    }

    @Override
    public void stop() {
    }
}
