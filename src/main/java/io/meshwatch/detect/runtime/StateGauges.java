package io.meshwatch.detect.runtime;

import io.meshwatch.detect.CircuitState;
import io.meshwatch.detect.CircuitView;
import io.meshwatch.detect.TunnelGroupView;
import io.meshwatch.detect.TunnelStatus;
import io.meshwatch.inventory.Circuit;
import io.meshwatch.inventory.Inventory;
import io.meshwatch.inventory.InventoryReader;
import io.meshwatch.inventory.Tunnel;
import io.meshwatch.inventory.TunnelGroup;
import io.meshwatch.network.BgpSession;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.FunctionCounter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import java.util.function.LongSupplier;

/**
 * State gauges of the network, one series per inventory circuit and tunnel and per BGP session seen
 * (bounded by the network's size; never per prefix):
 * <ul>
 * <li>{@code meshwatch_network_circuit_state{circuit,kind}}: 0 up, 1 degraded, 2 down, -1 unknown;</li>
 * <li>{@code meshwatch_network_tunnel_up{tunnel_group,tunnel,role}}: 1 up, 0 down, -1 unknown;</li>
 * <li>{@code meshwatch_network_tunnel_carrying{tunnel_group,tunnel,role}}: 1 for the tunnel of its group that
 *     carries traffic, else 0;</li>
 * <li>{@code meshwatch_network_probe_latency_seconds{circuit}}, {@code meshwatch_network_probe_jitter_seconds{circuit}}
 *     and {@code meshwatch_network_probe_loss_ratio{circuit}} (0 to 1): the latest probe round on the circuit
 *     (directly or through a tunnel that rides it); NaN until one is seen;</li>
 * <li>{@code meshwatch_network_tunnel_failover_objective_seconds{tunnel_group}}: how long a failover may take;</li>
 * <li>{@code meshwatch_network_bgp_session_up{router,vrf,peer}}: 1 established, 0 not;</li>
 * <li>{@code meshwatch_network_bgp_session_flaps_total{router,vrf,peer}}: times the session left established.</li>
 * </ul>
 * Values are read from the detection engine (and the session state) at scrape time. The inventory's
 * series are replaced when the inventory changes.
 */
final class StateGauges {

    private final MeterRegistry registry;
    private final DetectionService detection;
    private final List<Meter> inventoryMeters = new ArrayList<>();
    private final Set<String> sessions = ConcurrentHashMap.newKeySet();
    private final Set<String> feeds = ConcurrentHashMap.newKeySet();
    private final List<LongSupplier> flapSources = new java.util.concurrent.CopyOnWriteArrayList<>();

    StateGauges(MeterRegistry registry, DetectionService detection) {
        this.registry = registry;
        this.detection = detection;
    }

    /** Replaces the circuit and tunnel series by those of {@code inv}. */
    synchronized void inventory(Inventory inv) {
        inventoryMeters.forEach(registry::remove);
        inventoryMeters.clear();
        for (Circuit c : inv.circuits()) {
            String id = c.id();
            inventoryMeters.add(Gauge.builder("meshwatch.network.circuit.state", () -> circuitCode(id))
                    .description("Circuit state: 0 up, 1 degraded, 2 down, -1 unknown")
                    .tag("circuit", id).tag("kind", InventoryReader.spell(c.kind())).register(registry));
            inventoryMeters.add(probeGauge("meshwatch.network.probe.latency", "Latest probe round's latency", id,
                    "seconds", p -> p.latencyMs() / 1000));
            inventoryMeters.add(probeGauge("meshwatch.network.probe.jitter", "Latest probe round's jitter", id,
                    "seconds", p -> p.jitterMs() / 1000));
            inventoryMeters.add(probeGauge("meshwatch.network.probe.loss", "Latest probe round's loss, 0 to 1", id,
                    "ratio", p -> p.lossPct() / 100));
        }
        Duration fallback = detection.read(e -> e.settings().defaultFailoverObjective());
        for (TunnelGroup g : inv.tunnelGroups()) {
            Duration objective = g.failoverObjective() == null ? fallback : g.failoverObjective();
            double seconds = objective.toMillis() / 1000.0;
            inventoryMeters.add(Gauge.builder("meshwatch.network.tunnel.failover.objective", () -> seconds)
                    .description("How long a failover of the group may take (inventory failover-objective)")
                    .baseUnit("seconds").tag("tunnel_group", g.id()).register(registry));
        }
        for (TunnelGroup g : inv.tunnelGroups()) {
            for (Tunnel t : g.tunnels()) {
                String group = g.id();
                String tunnel = t.id();
                String role = InventoryReader.spell(t.role());
                inventoryMeters.add(Gauge.builder("meshwatch.network.tunnel.up", () -> tunnelCode(group, tunnel))
                        .description("IPSec tunnel status: 1 up, 0 down, -1 unknown")
                        .tag("tunnel_group", group).tag("tunnel", tunnel).tag("role", role).register(registry));
                inventoryMeters.add(Gauge.builder("meshwatch.network.tunnel.carrying",
                                () -> carrying(group, tunnel))
                        .description("1 for the tunnel of its group that carries traffic, else 0")
                        .tag("tunnel_group", group).tag("tunnel", tunnel).tag("role", role).register(registry));
            }
        }
    }

    /**
     * Registers a router's feed series the first time its feed is reported; {@code staleSince} reads
     * since when its state is stale (its feed lost), null when it is not.
     */
    void feed(String router, java.util.function.Supplier<java.time.Instant> staleSince) {
        if (feeds.add(router)) {
            Gauge.builder("meshwatch.network.router.stale", () -> staleSince.get() == null ? 0 : 1)
                    .description("1 while the router's feed is lost (its sessions, routes and tunnel states are as "
                            + "last reported), else 0").tag("router", router).register(registry);
            Gauge.builder("meshwatch.network.router.stale.since", () -> {
                java.time.Instant since = staleSince.get();
                return since == null ? 0 : since.toEpochMilli() / 1000.0;
            }).description("When the router's feed was lost (Unix time), 0 while it is not")
                    .baseUnit("seconds").tag("router", router).register(registry);
        }
    }

    /** Registers the series of a session the first time it is seen; {@code up} reads its current state. */
    void session(BgpSession s, java.util.function.Supplier<Boolean> up, LongSupplier flaps) {
        String key = s.router() + ' ' + s.vrf() + ' ' + s.peer();
        if (sessions.add(key)) {
            Gauge.builder("meshwatch.network.bgp.session.up", () -> up.get() ? 1 : 0)
                    .description("BGP session state: 1 established, 0 not")
                    .tag("router", s.router()).tag("vrf", s.vrf()).tag("peer", s.peer()).register(registry);
            flapSources.add(flaps); // a function counter holds its object weakly
            FunctionCounter.builder("meshwatch.network.bgp.session.flaps", flaps, LongSupplier::getAsLong)
                    .description("Times the BGP session left established")
                    .tag("router", s.router()).tag("vrf", s.vrf()).tag("peer", s.peer()).register(registry);
        }
    }

    private Meter probeGauge(String name, String description, String circuit, String unit,
                             ToDoubleFunction<CircuitView.Probe> value) {
        return Gauge.builder(name, () -> detection.read(e -> e.circuit(circuit)).map(CircuitView::probe)
                        .map(value::applyAsDouble).orElse(Double.NaN))
                .description(description).baseUnit(unit).tag("circuit", circuit).register(registry);
    }

    private double circuitCode(String id) {
        Optional<CircuitView> c = detection.read(e -> e.circuit(id));
        if (c.isEmpty()) {
            return -1;
        }
        CircuitState s = c.get().state();
        return switch (s) {
            case UP -> 0;
            case DEGRADED -> 1;
            case DOWN -> 2;
            default -> -1;
        };
    }

    private double tunnelCode(String group, String tunnel) {
        TunnelStatus s = view(group).flatMap(g -> g.tunnels().stream().filter(t -> t.id().equals(tunnel))
                .findFirst()).map(TunnelGroupView.TunnelView::status).orElse(TunnelStatus.UNKNOWN);
        return switch (s) {
            case UP -> 1;
            case DOWN -> 0;
            default -> -1;
        };
    }

    private double carrying(String group, String tunnel) {
        return view(group).map(g -> Objects.equals(g.carrying(), tunnel) ? 1 : 0).orElse(0);
    }

    private Optional<TunnelGroupView> view(String group) {
        return detection.read(e -> e.tunnelGroup(group));
    }
}
