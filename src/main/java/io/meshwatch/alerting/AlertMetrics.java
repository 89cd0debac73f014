package io.meshwatch.alerting;

import io.meshwatch.platform.StartupOrder;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * {@code meshwatch_alerts_open{alertname,severity,state}}: open alerts (state firing or acknowledged)
 * counted from the {@code alert} table, so every instance reports the shared truth. Refreshed
 * every {@value #REFRESH_MS} ms and soon after each committed change of this instance (one query at
 * a time; a change during a query triggers one more).
 */
@ApplicationScoped
public class AlertMetrics {

    private static final Logger LOG = Logger.getLogger(AlertMetrics.class);
    static final long REFRESH_MS = 5000;

    private final AlertStore store;
    private final Vertx vertx;
    private final MultiGauge open;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();

    public AlertMetrics(AlertStore store, Vertx vertx,
                        io.micrometer.core.instrument.MeterRegistry registry) {
        this.store = store;
        this.vertx = vertx;
        this.open = MultiGauge.builder("meshwatch.alerts.open")
                .description("Open alerts by name, severity and state (firing, acknowledged)").register(registry);
    }

    void start(@Observes @Priority(StartupOrder.RESTORE + 3) StartupEvent ev) {
        vertx.setPeriodic(REFRESH_MS, id -> refresh());
        refresh();
    }

    /** A committed alert change (a CDI event): the counts may have moved. */
    void changed(@Observes AlertChange c) {
        refresh();
    }

    /** Re-counts the open alerts (any thread). */
    void refresh() {
        again.set(true);
        if (!running.compareAndSet(false, true)) {
            return;
        }
        again.set(false);
        store.openCounts().subscribe().with(counts -> {
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            counts.forEach((k, n) -> rows.add(MultiGauge.Row.of(Tags.of("alertname", k.get(0), "severity", k.get(1),
                    "state", k.get(2)), n)));
            open.register(rows, true);
            done();
        }, err -> {
            LOG.debugf("Counting open alerts failed: %s", err.getMessage());
            done();
        });
    }

    private void done() {
        running.set(false);
        if (again.get()) {
            refresh();
        }
    }
}
