package io.meshwatch.platform;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

/**
 * Applies the versioned schema migrations before anything else touches the database, and turns
 * an unreachable database into one line that says where it tried and how to fix it.
 *
 * <p>Runs before the messaging connectors start (their start-up observer has priority
 * {@code LIBRARY_BEFORE}), so no consumer sees an unmigrated schema.
 */
@ApplicationScoped
public class DatabaseStartup {

    private static final Logger LOG = Logger.getLogger(DatabaseStartup.class);

    @Inject
    Flyway flyway;

    @Inject
    MeshwatchConfig config;

    void migrate(@Observes @Priority(StartupOrder.DATABASE) StartupEvent ev) {
        try {
            var result = flyway.migrate();
            LOG.infof("Database %s at %s:%d is at schema version %s", config.db().name(), config.db().host(),
                    config.db().port(), result.targetSchemaVersion != null ? result.targetSchemaVersion
                            : flyway.info().current() != null ? flyway.info().current().getVersion() : "none");
        } catch (RuntimeException e) {
            throw new StartupFailure("cannot use PostgreSQL database '" + config.db().name() + "' at "
                    + config.db().host() + ":" + config.db().port() + " (" + rootMessage(e) + "); start it and "
                    + "create the role and database with bin/db-setup, or point MESHWATCH_DB_HOST, "
                    + "MESHWATCH_DB_PORT, MESHWATCH_DB_NAME, MESHWATCH_DB_USER and MESHWATCH_DB_PASSWORD at yours");
        }
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
