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
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * State gauges of the network, one series per inventory circuit and tunnel and per BGP session seen
 * (bounded by the network's size; never per prefix):
 * <ul>
 * <li>{@code meshwatch_network_circuit_state{circuit,kind}}: 0 up, 1 degraded, 2 down, -1 unknown;</li>
 * <li>{@code meshwatch_network_tunnel_up{tunnel_group,tunnel,role}}: 1 up, 0 down, -1 unknown;</li>
 * <li>{@code meshwatch_network_tunnel_carrying{tunnel_group,tunnel,role}}: 1 for the tunnel of its group that
 *     carries traffic, else 0;</li>
 * <li>{@code meshwatch_network_bgp_session_up{router,vrf,peer}}: 1 established, 0 not.</li>
 * </ul>
 * Values are read from the detection engine (and the session state) at scrape time. The inventory's
 * series are replaced when the inventory changes.
 */
final class StateGauges {

    private final MeterRegistry registry;
    private final DetectionService detection;
    private final List<Meter> inventoryMeters = new ArrayList<>();
    private final Set<String> sessions = ConcurrentHashMap.newKeySet();

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

    /** Registers the series of a session the first time it is seen; {@code up} reads its current state. */
    void session(BgpSession s, java.util.function.Supplier<Boolean> up) {
        String key = s.router() + ' ' + s.vrf() + ' ' + s.peer();
        if (sessions.add(key)) {
            Gauge.builder("meshwatch.network.bgp.session.up", () -> up.get() ? 1 : 0)
                    .description("BGP session state: 1 established, 0 not")
                    .tag("router", s.router()).tag("vrf", s.vrf()).tag("peer", s.peer()).register(registry);
        }
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
