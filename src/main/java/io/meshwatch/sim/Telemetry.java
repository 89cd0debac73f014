package io.meshwatch.sim;

import io.meshwatch.event.InterfaceCountersEvent;
import io.meshwatch.event.InterfaceStateEvent;
import io.meshwatch.event.ProbeResultEvent;
import io.meshwatch.event.TcpRetransmitsEvent;
import io.meshwatch.event.TunnelStateEvent;
import io.meshwatch.sim.SimNetwork.CircuitDef;
import io.meshwatch.sim.SimNetwork.GroupDef;
import io.meshwatch.sim.SimNetwork.Iface;
import io.meshwatch.sim.SimNetwork.Session;
import io.meshwatch.sim.SimNetwork.TunnelDef;
import io.meshwatch.sim.SimState.Degradation;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The telemetry a router reports, derived from the network's state: probe rounds per circuit (to
 * the far gateway over it: the underlay) and per tunnel (to the BGP peer inside it: the overlay),
 * with the path's latency and jitter and loss when it is cut, down or degraded, cumulative interface
 * counters and tunnel byte counters that grow with the traffic crossing them, and TCP retransmits of
 * each BGP connection.
 *
 * <p>Traffic model: every tunnel group carries a steady flow (30..60 MB/s in, 3/4 of that out)
 * through its active tunnel only; a circuit's interfaces carry the flows of the tunnels riding it
 * (plus ESP overhead) and a little direct traffic; a router's internet uplink carries its backup
 * tunnels' flows over a baseline. Counters of a link that is down stand still.
 *
 * <p>Plain Java; confined to the simulator's thread.
 */
final class Telemetry {

    static final String SOURCE_SIGNAL = "ike";
    static final int PROBES_PER_ROUND = 50;
    private static final double PACKET_BYTES = 900;

    private final SimNetwork net;
    private final SimState state;
    private final SplittableRandom random;
    private final Map<String, long[]> ifCounters = new HashMap<>();
    private final Map<String, long[]> tunnelBytes = new HashMap<>();
    private final Map<String, Double> groupRate = new HashMap<>();

    Telemetry(SimNetwork net, SimState state, SplittableRandom random) {
        this.net = net;
        this.state = state;
        this.random = random;
        for (Iface i : net.interfaces()) {
            long in = 100_000_000_000L + random.nextLong(900_000_000_000L);
            long out = 100_000_000_000L + random.nextLong(900_000_000_000L);
            ifCounters.put(key(i), new long[] {in, out, (long) (in / PACKET_BYTES), (long) (out / PACKET_BYTES), 0, 0,
                    random.nextInt(50), 0});
        }
        for (TunnelDef t : net.tunnels().values()) {
            tunnelBytes.put(t.id(), new long[] {1_000_000_000L + random.nextLong(50_000_000_000L),
                    1_000_000_000L + random.nextLong(50_000_000_000L)});
        }
        for (GroupDef g : net.groups().values()) {
            groupRate.put(g.id(), 30e6 + random.nextDouble() * 30e6);
        }
    }

    private static String key(Iface i) {
        return i.router() + "\n" + i.name();
    }

    /** One probe round over every circuit (from its a-end) and every tunnel (from its router). */
    void probes(Instant t, SimSink sink) {
        for (CircuitDef c : net.circuits().values()) {
            sink.emit(probe(t, c.aRouter(), c.probeTarget(), c.id(), null, state.up(c), state.degradation(c.id()),
                    c.latencyMs(), c.jitterMs(), false));
        }
        for (TunnelDef tun : net.tunnels().values()) {
            sink.emit(probe(t, tun.router(), overlayTarget(tun), null, tun.id(), state.tunnelPasses(tun),
                    state.degradation(tun.circuit()), tun.latencyMs(), tun.jitterMs(), tun.circuit() == null));
        }
    }

    /** A tunnel's probes go through it: to the BGP peer inside, else to the far gateway. */
    private String overlayTarget(TunnelDef tun) {
        if (tun.session() != null) {
            Session s = net.session(tun.session());
            return s.other(net.router(tun.router()).orElseThrow().index()).address();
        }
        return tun.remoteGateway() == null ? tun.id() : tun.remoteGateway();
    }

    private ProbeResultEvent probe(Instant t, String router, String target, String circuit, String tunnel,
            boolean passes, Degradation d, double latency, double jitter, boolean internet) {
        int sent = PROBES_PER_ROUND;
        if (!passes) {
            return new ProbeResultEvent(router, t, target, circuit, tunnel, 0, 0, 100, sent, 0);
        }
        int lost = 0;
        double lat = latency + Math.abs(random.nextGaussian()) * jitter;
        double jit = jitter * (0.7 + 0.6 * random.nextDouble());
        if (d != null) {
            lost = (int) Math.max(1, Math.round(sent * d.lossPct() / 100 * (0.8 + 0.4 * random.nextDouble())));
            jit = d.jitterMs() * (0.9 + 0.2 * random.nextDouble());
            lat = latency + d.latencyMs() + Math.abs(random.nextGaussian()) * jit;
        } else if (internet && random.nextDouble() < 0.03) {
            lost = 1; // the internet drops the odd probe
        }
        return new ProbeResultEvent(router, t, target, circuit, tunnel, round(lat), round(jit),
                round(100.0 * lost / sent), sent, sent - lost);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /** The state of an interface. */
    static InterfaceStateEvent interfaceState(Instant t, Iface i, boolean up) {
        return new InterfaceStateEvent(i.router(), t, i.name(), up ? "up" : "down", "up");
    }

    /** Interfaces of {@code circuit} on the routers (both ends when both are routers). */
    List<Iface> interfacesOf(String circuit) {
        return net.interfaces().stream().filter(i -> circuit.equals(i.circuit())).toList();
    }

    /** The tunnel's state with its byte counters. */
    TunnelStateEvent tunnelState(Instant t, TunnelDef tun) {
        long[] b = tunnelBytes.get(tun.id());
        return new TunnelStateEvent(tun.router(), t, tun.id(), state.tunnelUp(tun.id()) ? "up" : "down", SOURCE_SIGNAL,
                b[0], b[1]);
    }

    /**
     * Advances every counter by {@code seconds} of traffic and reports it: interface counters, tunnel
     * state with bytes, TCP retransmits of each established BGP connection.
     */
    void periodic(Instant t, double seconds, SimSink sink) {
        Map<String, double[]> ifRate = new HashMap<>();
        for (Iface i : net.interfaces()) {
            ifRate.put(key(i), i.uplink() ? new double[] {20e6, 15e6} : new double[] {2e6, 2e6});
        }
        for (GroupDef g : net.groups().values()) {
            String active = state.activeTunnel(g);
            if (active == null) {
                continue;
            }
            double in = groupRate.get(g.id()) * (0.9 + 0.2 * random.nextDouble());
            double out = in * 0.75;
            long[] b = tunnelBytes.get(active);
            b[0] += (long) (in * seconds);
            b[1] += (long) (out * seconds);
            TunnelDef tun = net.tunnels().get(active);
            for (Iface i : net.interfaces()) {
                boolean near = i.router().equals(tun.router());
                boolean carries = tun.circuit() != null ? tun.circuit().equals(i.circuit()) : i.uplink() && (near
                        || farRouter(tun).equals(i.router()));
                if (carries) {
                    double[] r = ifRate.get(key(i));
                    r[0] += 1.05 * (near ? in : out);
                    r[1] += 1.05 * (near ? out : in);
                }
            }
        }
        for (Iface i : net.interfaces()) {
            boolean up = i.uplink() || state.circuitUp(i.circuit());
            long[] c = ifCounters.get(key(i));
            Degradation d = state.degradation(i.circuit());
            if (up) {
                double[] r = ifRate.get(key(i));
                long in = (long) (r[0] * seconds * (0.95 + 0.1 * random.nextDouble()));
                long out = (long) (r[1] * seconds * (0.95 + 0.1 * random.nextDouble()));
                c[0] += in;
                c[1] += out;
                c[2] += (long) (in / PACKET_BYTES);
                c[3] += (long) (out / PACKET_BYTES);
                c[4] += d == null ? 0 : 5 + random.nextInt(20);
                c[6] += random.nextInt(100) == 0 ? 1 : 0;
            }
            sink.emit(new InterfaceCountersEvent(i.router(), t, i.name(), c[0], c[1], c[2], c[3], c[4], c[5], c[6],
                    c[7]));
        }
        for (TunnelDef tun : net.tunnels().values()) {
            sink.emit(tunnelState(t, tun));
        }
        retransmits(t, seconds, sink);
    }

    private String farRouter(TunnelDef tun) {
        if (tun.session() == null) {
            return "";
        }
        Session s = net.session(tun.session());
        int me = net.router(tun.router()).orElseThrow().index();
        SimNetwork.Node far = net.node(s.other(me).node());
        return far.reports() ? far.id() : "";
    }

    private void retransmits(Instant t, double seconds, SimSink sink) {
        for (Session s : net.sessions()) {
            if (!state.sessionUp[s.index()]) {
                continue;
            }
            boolean passes = state.transportUp(s);
            Degradation d = state.degradation(s);
            for (SimNetwork.Side me : List.of(s.a(), s.b())) {
                SimNetwork.Node n = net.node(me.node());
                if (!n.reports()) {
                    continue;
                }
                long segments;
                long retrans;
                if (!passes) {
                    segments = 3 + random.nextInt(4); // retries with back-off, none answered
                    retrans = segments;
                } else {
                    segments = Math.max(1, Math.round(seconds * (16 + random.nextInt(9))));
                    if (d != null) {
                        retrans = Math.min(segments, Math.max(1, Math.round(segments * d.retransmitPct() / 100
                                * (0.9 + 0.2 * random.nextDouble()))));
                    } else {
                        retrans = random.nextInt(4000) < segments ? 1 : 0; // the odd retransmit, ~0.025%
                    }
                }
                sink.emit(new TcpRetransmitsEvent(n.id(), t, s.other(me.node()).address(), seconds, segments, retrans));
            }
        }
    }
}
