package io.meshwatch.platform;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * Which start-up failures are waited out (the server does not take connections yet) and which stop
 * start-up at once (it answered with a refusal, or the problem is not the connection). The wait
 * itself, against a server that starts late, is in {@code DatabaseOutageDrillTest}.
 */
class DatabaseStartupTest {

    static RuntimeException flyway(Throwable cause) {
        return new RuntimeException("Unable to obtain connection from database", cause);
    }

    @Test
    void aServerThatDoesNotTakeConnectionsYetIsWaitedFor() {
        assertTrue(DatabaseStartup.notAccepting(flyway(new SQLException("Connection to 127.0.0.1:5432 refused", "08001",
                new ConnectException("Connection refused")))));
        assertTrue(DatabaseStartup.notAccepting(flyway(new SQLException("the database system is starting up", "57P03"))));
        assertTrue(DatabaseStartup.notAccepting(flyway(new SQLException("sorry, too many clients already", "53300"))));
        assertTrue(DatabaseStartup.notAccepting(flyway(new ConnectException("Connection refused"))));
    }

    @Test
    void aRefusalOrAFailedMigrationStopsStartUpAtOnce() {
        assertFalse(DatabaseStartup.notAccepting(flyway(new SQLException("password authentication failed", "28P01"))));
        assertFalse(DatabaseStartup.notAccepting(flyway(new SQLException("database \"x\" does not exist", "3D000"))));
        assertFalse(DatabaseStartup.notAccepting(new RuntimeException("Validate failed: checksum mismatch")));
        assertFalse(DatabaseStartup.notAccepting(flyway(new SQLException("syntax error", "42601"))));
    }
}
