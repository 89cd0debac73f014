package io.meshwatch.rib;

import io.meshwatch.routing.Afi;
import io.meshwatch.routing.RouteTable;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Route-table size gauges, one series per router, VRF and address family that has a table here:
 * {@code meshwatch_rib_prefixes{router,vrf,family}} (prefixes with a best path) and
 * {@code meshwatch_rib_paths{router,vrf,family}} (received paths, all peers and path ids). Never a
 * label per prefix or per peer.
 *
 * <p>Values are computed when Prometheus scrapes, from the tables' own counters under their read
 * lock; the apply loop does no extra work for them. The set of series is brought in line with the
 * tables every {@link #PERIOD_MS} ms (a new router or VRF appears within that time; a router whose
 * partition moved to another instance loses its series).
 *
 * <p>Threading: {@link #sync} runs on a Vert.x timer and only reads {@link RibService}'s concurrent
 * map; gauges read tables from the scrape thread.
 */
@ApplicationScoped
public class RibGauges {

    static final long PERIOD_MS = 5000;

    private final RibService rib;
    private final MeterRegistry registry;
    private final Vertx vertx;
    private final Map<String, List<Meter>> series = new HashMap<>();

    public RibGauges(RibService rib, MeterRegistry registry, Vertx vertx) {
        this.rib = rib;
        this.registry = registry;
        this.vertx = vertx;
    }

    void start(@Observes @Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION + 100) StartupEvent ev) {
        vertx.setPeriodic(PERIOD_MS, PERIOD_MS, id -> sync());
    }

    /** Registers the series of new (router, VRF, family) tables and removes those of forgotten routers. */
    synchronized void sync() {
        Set<String> live = new HashSet<>();
        for (String router : rib.routers()) {
            RouteTable table = rib.table(router).orElse(null);
            if (table == null) {
                continue;
            }
            for (String vrf : table.vrfs()) {
                for (Afi afi : Afi.values()) {
                    String key = router + '\n' + vrf + '\n' + afi.wireName();
                    live.add(key);
                    series.computeIfAbsent(key, k -> List.of(
                            gauge("meshwatch.rib.prefixes", "Prefixes with a best path", router, vrf, afi,
                                    t -> t.prefixCount(vrf, afi)),
                            gauge("meshwatch.rib.paths", "Received paths (all peers and path ids)", router, vrf, afi,
                                    t -> t.pathCount(vrf, afi))));
                }
            }
        }
        series.entrySet().removeIf(e -> {
            if (live.contains(e.getKey())) {
                return false;
            }
            e.getValue().forEach(registry::remove);
            return true;
        });
    }

    private Meter gauge(String name, String description, String router, String vrf, Afi afi,
                        ToIntFunction<RouteTable> count) {
        // the table is looked up at scrape time: a restore may have replaced the router's table
        return Gauge.builder(name, () -> rib.table(router).map(count::applyAsInt).orElse(0))
                .description(description).tag("router", router).tag("vrf", EventMapping.canonicalVrf(vrf))
                .tag("family", afi.wireName()).register(registry);
    }
}
