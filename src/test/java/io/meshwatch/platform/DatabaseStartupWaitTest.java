package io.meshwatch.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.testing.PrivatePostgres;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Start-up with a PostgreSQL server that is not running yet: {@link DatabaseStartup} waits and tries
 * again instead of stopping, and migrates once the server is up; a server that never comes within
 * {@code meshwatch.db.startup-wait} stops start-up with one line. A real server of the test's own
 * ({@link PrivatePostgres}); Flyway as the service configures it (the project's migrations).
 */
class DatabaseStartupWaitTest {

    PrivatePostgres pg;

    @AfterEach
    void stop() {
        pg.close();
    }

    static MeshwatchConfig config(PrivatePostgres pg, Duration wait) {
        MeshwatchConfig.Db db = new MeshwatchConfig.Db() {
            public String host() {
                return "127.0.0.1";
            }

            public int port() {
                return pg.port();
            }

            public String name() {
                return pg.database();
            }

            public Duration startupWait() {
                return wait;
            }
        };
        return (MeshwatchConfig) Proxy.newProxyInstance(MeshwatchConfig.class.getClassLoader(),
                new Class<?>[] {MeshwatchConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("db")) {
                        return db;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    static DatabaseStartup startup(PrivatePostgres pg, Duration wait) {
        DatabaseStartup d = new DatabaseStartup();
        d.config = config(pg, wait);
        d.flyway = Flyway.configure().dataSource(pg.jdbcUrl() + "?connectTimeout=5", "meshwatch", "meshwatch")
                .locations("classpath:db/migration").load();
        return d;
    }

    @Test
    void aServerThatStartsLateIsWaitedForThenMigrated() throws Exception {
        pg = PrivatePostgres.create("meshwatch_wait");
        Thread late = new Thread(() -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                return;
            }
            pg.start();
        }, "late-postgres");
        late.start();
        DatabaseStartup d = startup(pg, Duration.ofMinutes(2));
        d.migrate(null); // returns once migrated
        late.join();
        assertTrue(d.failedTries() > 0, "the server was not running at the first try");
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), "meshwatch", "meshwatch");
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM outbox")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "the schema is there");
        }
    }

    @Test
    void aServerThatNeverComesStopsStartUpWithOneLineAfterTheWait() {
        pg = PrivatePostgres.create("meshwatch_wait"); // created, never started
        DatabaseStartup d = startup(pg, Duration.ofSeconds(2));
        try {
            d.migrate(null);
            throw new AssertionError("start-up went on without a database");
        } catch (StartupFailure e) {
            assertTrue(e.getMessage().startsWith("Meshwatch cannot start: cannot use PostgreSQL database 'meshwatch_wait' at "
                    + "127.0.0.1:" + pg.port()), e.getMessage());
            assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertTrue(d.failedTries() > 0, "it tried again before giving up");
    }
}
