package io.meshwatch.alerting;

import io.meshwatch.alerting.AlertLifecycle.Notify;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import java.time.Instant;

/**
 * What alerting needs of notification, and all it knows of it: the notifications of an alert change
 * are written in the change's own transaction, and delivered once it committed. Implemented by the
 * notify capability (its transactional outbox); alerting depends on this contract only.
 */
public interface AlertNotifications {

    /**
     * Writes, in the caller's transaction, what every integration sends for this change: a raise or
     * resolve ({@code kind}) and, when {@code change} is not null, its lifecycle event. Returns how
     * many rows were written.
     */
    Uni<Integer> enqueue(SqlClient c, Alert alert, Notify kind, AlertChange change, Instant now);

    /** After the transaction committed: deliver what it wrote. */
    void committed();
}
