package io.meshwatch.bmp;

import io.meshwatch.bgp.WireIssue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The collector's meters, all registered up front (label values are fixed enumerations, so the
 * maps are read-only after construction and safe from any thread):
 * {@code meshwatch_bmp_messages_total{type}}, {@code meshwatch_bmp_errors_total{reason}},
 * {@code meshwatch_bmp_quirks_total{quirk}}, {@code meshwatch_bmp_events_total},
 * {@code meshwatch_bmp_connections} (open now), {@code meshwatch_bmp_pauses_total} (times a
 * connection stopped being read because Kafka lagged),
 * {@code meshwatch_bmp_connections_refused_total{reason}} ({@link #REFUSALS}).
 */
public final class BmpMetrics {

    static final List<String> TYPES = List.of("route_monitoring", "statistics_report", "peer_down", "peer_up",
            "initiation", "termination", "route_mirroring");

    private final Map<String, Counter> messages = new HashMap<>();
    private final Map<BmpError, Counter> errors = new EnumMap<>(BmpError.class);
    private final Map<BmpQuirk, Counter> quirks = new EnumMap<>(BmpQuirk.class);
    private final Counter events;
    private final Counter pauses;
    private final AtomicInteger connections = new AtomicInteger();
    private final Map<String, Counter> refused = new HashMap<>();

    /** Why the collector closed or refused a connection on its own (see {@link BmpServer.Limits}). */
    static final List<String> REFUSALS = List.of("per_address", "total", "idle", "slow");

    public BmpMetrics(MeterRegistry registry) {
        for (String t : TYPES) {
            messages.put(t, Counter.builder("meshwatch.bmp.messages").tag("type", t)
                    .description("BMP messages decoded, by type").register(registry));
        }
        for (BmpError e : BmpError.values()) {
            errors.put(e, Counter.builder("meshwatch.bmp.errors").tag("reason", e.label())
                    .description("BMP input refused (whole messages, parts of messages, connections), by reason")
                    .register(registry));
        }
        for (BmpQuirk q : BmpQuirk.values()) {
            quirks.put(q, Counter.builder("meshwatch.bmp.quirks").tag("quirk", q.label())
                    .description("Router behaviours the BMP collector corrected or tolerated").register(registry));
        }
        events = Counter.builder("meshwatch.bmp.events").description("Canonical events produced from BMP")
                .register(registry);
        pauses = Counter.builder("meshwatch.bmp.pauses")
                .description("Times a BMP connection was paused because Kafka acknowledged too slowly").register(registry);
        registry.gauge("meshwatch.bmp.connections", connections);
        for (String r : REFUSALS) {
            refused.put(r, Counter.builder("meshwatch.bmp.connections.refused").tag("reason", r)
                    .description("BMP connections refused (over a limit) or closed (idle, slow sender) by the "
                            + "collector").register(registry));
        }
    }

    void refused(String reason) {
        refused.get(reason).increment();
    }

    void message(BmpMessage m) {
        messages.get(m.typeName()).increment();
    }

    void error(BmpError e) {
        errors.get(e).increment();
    }

    void issue(WireIssue i) {
        errors.get(BmpError.of(i)).increment();
    }

    void quirk(BmpQuirk q) {
        quirks.get(q).increment();
    }

    void event() {
        events.increment();
    }

    void paused() {
        pauses.increment();
    }

    void opened() {
        connections.incrementAndGet();
    }

    void closed() {
        connections.decrementAndGet();
    }
}
