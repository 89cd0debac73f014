package io.meshwatch.notify;

import io.meshwatch.alerting.Alert;
import io.meshwatch.alerting.AlertChange;
import io.meshwatch.alerting.AlertLifecycle.Notify;
import io.meshwatch.alerting.AlertNotifications;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/** Alerting's notifications through the transactional outbox: rows in the change's transaction, then a wake-up. */
@ApplicationScoped
public class OutboxNotifications implements AlertNotifications {

    private final Outbox outbox;
    private final OutboxSender sender;

    public OutboxNotifications(Outbox outbox, OutboxSender sender) {
        this.outbox = outbox;
        this.sender = sender;
    }

    @Override
    public Uni<Integer> enqueue(SqlClient c, Alert alert, Notify kind, AlertChange change, Instant now) {
        return outbox.enqueue(c, alert, kind, change, now);
    }

    @Override
    public void committed() {
        sender.wake();
    }
}
