package io.meshwatch.sim;

import io.meshwatch.sim.SimNetwork.CircuitDef;
import io.meshwatch.sim.SimNetwork.GroupDef;
import io.meshwatch.sim.SimNetwork.Session;
import io.meshwatch.sim.SimNetwork.TunnelDef;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The simulated network's current physical and control-plane state: which circuits, tunnels and
 * sessions are up, and which circuits are degraded. Written by {@link Simulator} when it applies a
 * scenario action, read by it and by {@link Telemetry}. Plain Java; confined to the simulator's
 * thread.
 */
final class SimState {

    /** A circuit's quality while degraded: what its probes and TCP sessions show. */
    record Degradation(double lossPct, double jitterMs, double latencyMs, double retransmitPct) {
    }

    private final SimNetwork net;
    final boolean[] sessionUp;
    private final Set<String> circuitsDown = new HashSet<>();
    private final Set<String> tunnelsDown = new HashSet<>();
    private final Map<String, Degradation> degraded = new HashMap<>();

    SimState(SimNetwork net) {
        this.net = net;
        this.sessionUp = new boolean[net.sessions().size()];
    }

    boolean circuitUp(String circuit) {
        return circuit == null || !circuitsDown.contains(circuit);
    }

    void circuit(String circuit, boolean up) {
        if (up) {
            circuitsDown.remove(circuit);
        } else {
            circuitsDown.add(circuit);
        }
    }

    boolean tunnelUp(String tunnel) {
        return tunnel == null || !tunnelsDown.contains(tunnel);
    }

    void tunnel(String tunnel, boolean up) {
        if (up) {
            tunnelsDown.remove(tunnel);
        } else {
            tunnelsDown.add(tunnel);
        }
    }

    /** The circuit's degradation, or null when it is healthy. */
    Degradation degradation(String circuit) {
        return circuit == null ? null : degraded.get(circuit);
    }

    void degrade(String circuit, Degradation d) {
        if (d == null) {
            degraded.remove(circuit);
        } else {
            degraded.put(circuit, d);
        }
    }

    /** Whether a tunnel can carry packets: it is up and so is the circuit under it. */
    boolean tunnelPasses(TunnelDef t) {
        return tunnelUp(t.id()) && circuitUp(t.circuit());
    }

    /** Whether a session's packets get through: its circuit and its tunnel pass. */
    boolean transportUp(Session s) {
        TunnelDef t = s.tunnel() == null ? null : net.tunnels().get(s.tunnel());
        return circuitUp(s.circuit()) && (t == null || tunnelPasses(t));
    }

    /** The degradation a session's packets suffer (through its circuit, or its tunnel's). */
    Degradation degradation(Session s) {
        Degradation d = degradation(s.circuit());
        if (d == null && s.tunnel() != null) {
            d = degradation(net.tunnels().get(s.tunnel()).circuit());
        }
        return d;
    }

    /**
     * The tunnel of a group that carries its traffic: the primary while it passes and its session is
     * up, else the first backup that does, else null (traffic is dropped).
     */
    String activeTunnel(GroupDef g) {
        if (carries(net.tunnels().get(g.primary()))) {
            return g.primary();
        }
        for (String b : g.backups()) {
            if (carries(net.tunnels().get(b))) {
                return b;
            }
        }
        return null;
    }

    private boolean carries(TunnelDef t) {
        return tunnelPasses(t) && (t.session() == null || sessionUp[t.session()]);
    }

    /** Whether the circuit's a-end is up (circuits are cut as a whole). */
    boolean up(CircuitDef c) {
        return circuitUp(c.id());
    }
}
