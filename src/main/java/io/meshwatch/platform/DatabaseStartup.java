package io.meshwatch.platform;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

/**
 * Applies the versioned schema migrations before anything else touches the database, and turns
 * an unusable database into one line that says where it tried and how to fix it.
 *
 * <p>A database that does not accept connections yet (stopped, starting up, unreachable, out of
 * connections) is waited for: one warning line, then tries again with back-off (1 s doubling to
 * 15 s) for up to {@code meshwatch.db.startup-wait} (5 minutes), then the same line as a {@link
 * StartupFailure}. A database that answers but refuses (wrong role or password, no such database)
 * stops start-up at once: waiting would not fix a setting.
 *
 * <p>Runs before the messaging connectors start (their start-up observer has priority
 * {@code LIBRARY_BEFORE}), so no consumer sees an unmigrated schema.
 */
@ApplicationScoped
public class DatabaseStartup {

    private static final Logger LOG = Logger.getLogger(DatabaseStartup.class);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(15);

    @Inject
    Flyway flyway;

    @Inject
    MeshwatchConfig config;

    private volatile int failedTries;

    void migrate(@Observes @Priority(StartupOrder.DATABASE) StartupEvent ev) throws InterruptedException {
        long deadline = System.nanoTime() + config.db().startupWait().toNanos();
        Duration pause = Duration.ofSeconds(1);
        while (true) {
            try {
                var result = flyway.migrate();
                if (failedTries > 0) {
                    LOG.infof("Database %s at %s:%d accepts connections now (after %d failed tries)", config.db().name(),
                            config.db().host(), config.db().port(), failedTries);
                }
                LOG.infof("Database %s at %s:%d is at schema version %s", config.db().name(), config.db().host(),
                        config.db().port(), result.targetSchemaVersion != null ? result.targetSchemaVersion
                                : flyway.info().current() != null ? flyway.info().current().getVersion() : "none");
                return;
            } catch (RuntimeException e) {
                String problem = problem(e);
                if (!notAccepting(e) || System.nanoTime() + pause.toNanos() > deadline) {
                    throw new StartupFailure(problem);
                }
                if (failedTries++ == 0) {
                    LOG.warnf("Waiting for PostgreSQL (up to %s, meshwatch.db.startup-wait): %s", config.db().startupWait(),
                            problem);
                }
                Thread.sleep(pause.toMillis());
                pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
            }
        }
    }

    /** Failed tries before the migrations ran (for tests). */
    public int failedTries() {
        return failedTries;
    }

    private String problem(RuntimeException e) {
        return "cannot use PostgreSQL database '" + config.db().name() + "' at " + config.db().host() + ":"
                + config.db().port() + " (" + rootMessage(e) + "); start it and create the role and database with "
                + "bin/db-setup, or point MESHWATCH_DB_HOST, MESHWATCH_DB_PORT, MESHWATCH_DB_NAME, MESHWATCH_DB_USER "
                + "and MESHWATCH_DB_PASSWORD at yours";
    }

    /**
     * True when the server did not take the connection (SQL state class 08, connection exception;
     * 57P03, starting up; 53300, too many connections; or a socket error), false when it answered
     * with a refusal (28, authentication; 3D000, no such database) or the failure is not about the
     * connection at all (a migration that fails, a checksum mismatch).
     */
    static boolean notAccepting(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String s = sql.getSQLState();
                if (s.startsWith("08") || s.equals("57P03") || s.equals("53300")) {
                    return true;
                }
            }
            if (t instanceof java.net.ConnectException || t instanceof java.net.SocketTimeoutException
                    || t instanceof java.net.UnknownHostException) {
                return true;
            }
        }
        return false;
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        String best = String.valueOf(e.getMessage());
        while (t != null) {
            if (t instanceof SQLException || t instanceof java.net.ConnectException) {
                best = t.getMessage();
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        int nl = best.indexOf('\n');
        return nl < 0 ? best : best.substring(0, nl);
    }
}
