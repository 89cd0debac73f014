package io.meshwatch.sim;

import io.meshwatch.inventory.Circuit;
import io.meshwatch.inventory.Inventory;
import io.meshwatch.inventory.Router;
import io.meshwatch.inventory.RouterRole;
import io.meshwatch.inventory.SessionRef;
import io.meshwatch.inventory.Tunnel;
import io.meshwatch.inventory.TunnelGroup;
import io.meshwatch.inventory.TunnelRole;
import io.meshwatch.inventory.WatchedPrefix;
import io.meshwatch.routing.Addresses;
import io.meshwatch.routing.Afi;
import io.meshwatch.routing.IpAddress;
import io.meshwatch.routing.Prefix;
import io.meshwatch.sim.SimNetwork.CircuitDef;
import io.meshwatch.sim.SimNetwork.GroupDef;
import io.meshwatch.sim.SimNetwork.Iface;
import io.meshwatch.sim.SimNetwork.Node;
import io.meshwatch.sim.SimNetwork.NodeKind;
import io.meshwatch.sim.SimNetwork.PrefixGroup;
import io.meshwatch.sim.SimNetwork.PrefixKind;
import io.meshwatch.sim.SimNetwork.Session;
import io.meshwatch.sim.SimNetwork.SessionKind;
import io.meshwatch.sim.SimNetwork.Side;
import io.meshwatch.sim.SimNetwork.TunnelDef;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Derives the simulated network from an inventory. Rules (documented in {@code docs/simulator.md}):
 *
 * <ul>
 * <li>A circuit's sessions pair up: the session the a-end router lists and the one the z-end router
 *     lists are two ends of one session, each end's own address being the other's peer address. An
 *     end the inventory does not list gets the other address of the /30 (or /31). A circuit whose
 *     far end is a cloud peers with that cloud's edge (ExpressRoute AS 12076, Interconnect AS
 *     16550, Direct Connect gateway AS 64512).</li>
 * <li>A primary tunnel's session is its circuit's session. A backup tunnel's session goes to the
 *     same far-end router as the primary's, or, when the primary reaches a cloud, to that cloud's
 *     VPN gateway (Azure AS 65515, GCP Cloud Router AS 64514, AWS AS 64512), which originates the
 *     same prefixes. Both ends prepend their AS twice over a backup session, so the primary wins.</li>
 * <li>Transit routers form a full mesh over the backbone (169.254.250.0/24, one /30 per pair): eBGP
 *     between different ASNs, iBGP within one.</li>
 * <li>A watched prefix is originated by the far end of the tunnel group whose primary's remote
 *     gateway lies inside it; else by the origin of a watched prefix covering it; else by the router
 *     whose region, site or id its name mentions; else by the first transit router.</li>
 * <li>Each router also originates {@code extraPrefixes} /24s from 10.128.0.0/9, and has an
 *     internet transit session (AS 3356) that only the full-table scenario brings up.</li>
 * </ul>
 */
public final class NetworkBuilder {

    /** Extra /24s that fit in 10.128.0.0/9, summed over all routers. */
    public static final int MAX_EXTRA_PREFIXES = 32_768;

    static final long TRANSIT_AS = 3356;
    private static final int MESH_BASE = Addresses.parseIpv4("169.254.250.0");
    private static final int EXTRA_BASE = Addresses.parseIpv4("10.128.0.0");

    private final Inventory inv;
    private final SimSettings settings;
    private final List<Node> nodes = new ArrayList<>();
    private final List<List<Integer>> origins = new ArrayList<>();
    private final List<Session> sessions = new ArrayList<>();
    private final List<CircuitDef> circuits = new ArrayList<>();
    private final List<TunnelDef> tunnels = new ArrayList<>();
    private final List<GroupDef> groups = new ArrayList<>();
    private final List<PrefixGroup> prefixGroups = new ArrayList<>();
    private final Map<String, Integer> routerIndex = new HashMap<>();
    /** VPN gateways that originate what a cloud node originates: gateway node -> cloud node. */
    private final Map<Integer, Integer> sameOrigins = new HashMap<>();

    private NetworkBuilder(Inventory inv, SimSettings settings) {
        this.inv = inv;
        this.settings = settings;
    }

    /** Builds the network; throws {@link IllegalArgumentException} when the inventory cannot be simulated. */
    public static SimNetwork build(Inventory inventory, SimSettings settings) {
        if (inventory.routers().isEmpty()) {
            throw new IllegalArgumentException("the inventory has no routers to simulate");
        }
        long extras = (long) settings.extraPrefixes() * inventory.routers().size();
        if (extras > MAX_EXTRA_PREFIXES) {
            throw new IllegalArgumentException("extra-prefixes " + settings.extraPrefixes() + " x "
                    + inventory.routers().size() + " routers exceeds " + MAX_EXTRA_PREFIXES
                    + " /24s in 10.128.0.0/9; use the full-table scenario for larger tables");
        }
        return new NetworkBuilder(inventory, settings).build();
    }

    private SimNetwork build() {
        for (Router r : inv.routers()) {
            String role = r.role().name().toLowerCase(Locale.ROOT).replace('_', '-');
            routerIndex.put(r.id(), addNode(r.id(), r.asn(), NodeKind.ROUTER, role, role + " router at " + r.site()));
        }
        for (Circuit c : inv.circuits()) {
            circuit(c);
        }
        for (TunnelGroup g : inv.tunnelGroups()) {
            group(g);
        }
        mesh();
        List<Router> routers = inv.routers();
        for (int r = 0; r < routers.size(); r++) {
            int base = r < 64 ? Addresses.parseIpv4("203.0.113.0") + 4 * r : Addresses.parseIpv4("100.100.0.0") + 4 * r;
            int peer = addNode("transit-" + routers.get(r).id(), TRANSIT_AS, NodeKind.INTERNET,
                    "internet transit provider of " + routers.get(r).id() + " (AS3356)");
            sessions.add(new Session(sessions.size(), SessionKind.TRANSIT, new Side(r, ipv4(base + 1)),
                    new Side(peer, ipv4(base + 2)), null, null, 0, false));
        }
        watchedPrefixes();
        extraPrefixes();
        List<Node> finished = new ArrayList<>();
        for (Node n : nodes) {
            Integer same = sameOrigins.get(n.index());
            List<Integer> o = same != null ? origins.get(same) : origins.get(n.index());
            finished.add(new Node(n.index(), n.id(), n.asn(), n.kind(), n.role(), n.description(), List.copyOf(o)));
        }
        return new SimNetwork(finished, sessions, circuits, tunnels, groups, prefixGroups, interfaces());
    }

    private int addNode(String id, long asn, NodeKind kind, String description) {
        return addNode(id, asn, kind, kind.name().toLowerCase(Locale.ROOT), description);
    }

    private int addNode(String id, long asn, NodeKind kind, String role, String description) {
        int index = nodes.size();
        nodes.add(new Node(index, id, asn, kind, role, description, List.of()));
        origins.add(new ArrayList<>());
        return index;
    }

    /** Adds the circuit and its session (to the far-end router, or to a cloud node it adds). */
    private void circuit(Circuit c) {
        int a = routerIndex.get(c.a().router());
        String zRouter = c.z() == null ? null : c.z().router();
        List<Integer> onIt = new ArrayList<>();
        SessionRef aRef = c.sessions().stream().filter(s -> s.router().equals(c.a().router())).findFirst().orElse(null);
        SessionRef zRef = zRouter == null ? null
                : c.sessions().stream().filter(s -> s.router().equals(zRouter)).findFirst().orElse(null);
        if (zRouter != null && (aRef != null || zRef != null)) {
            int z = routerIndex.get(zRouter);
            String aAddr = zRef != null ? zRef.peer() : otherEnd(aRef.peer());
            String zAddr = aRef != null ? aRef.peer() : otherEnd(zRef.peer());
            onIt.add(addSession(SessionKind.CIRCUIT, new Side(a, aAddr), new Side(z, zAddr), c.id(), 0));
        } else if (zRouter == null) {
            long asn = switch (c.kind()) {
                case EXPRESSROUTE -> 12076;
                case INTERCONNECT -> 16550;
                case DIRECT_CONNECT -> 64512;
                case CROSS_CONNECT -> 65000;
            };
            String what = switch (c.kind()) {
                case EXPRESSROUTE -> "Microsoft Enterprise Edge (ExpressRoute)";
                case INTERCONNECT -> "Google Cloud Router (Interconnect)";
                case DIRECT_CONNECT -> "AWS Direct Connect gateway";
                case CROSS_CONNECT -> "cross-connect peer";
            };
            int cloud = addNode("cloud-" + c.id(), asn, NodeKind.CLOUD, what + " at the far end of " + c.id());
            if (aRef != null) {
                onIt.add(addSession(SessionKind.CIRCUIT, new Side(a, otherEnd(aRef.peer())),
                        new Side(cloud, aRef.peer()), c.id(), 0));
            }
        }
        double latency = switch (c.kind()) {
            case DIRECT_CONNECT -> 1.8;
            case EXPRESSROUTE -> 2.1;
            case INTERCONNECT -> 2.4;
            case CROSS_CONNECT -> 0.5;
        };
        List<Tunnel> riding = inv.tunnelGroups().stream().flatMap(g -> g.tunnels().stream())
                .filter(t -> c.id().equals(t.circuit())).toList();
        List<String> riders = riding.stream().map(Tunnel::id).toList();
        // the circuit's probes test the underlay: the far gateway of a tunnel riding it, else the BGP peer
        String target = riding.stream().map(Tunnel::remoteGateway).filter(java.util.Objects::nonNull).findFirst()
                .orElse(onIt.isEmpty() ? (c.z() == null ? c.id() : c.z().iface()) : sessions.get(onIt.get(0)).b().address());
        circuits.add(new CircuitDef(c.id(), c.kind(), c.a().router(), c.a().iface(), zRouter,
                c.z() == null ? null : c.z().iface(), target, latency, latency / 12, c.thresholds(), onIt, riders));
    }

    private void group(TunnelGroup g) {
        Tunnel primary = g.tunnels().stream().filter(t -> t.role() == TunnelRole.PRIMARY).findFirst().orElseThrow();
        Integer primarySession = tunnelSession(primary, null, 64512);
        Session ps = primarySession == null ? null : sessions.get(primarySession);
        List<String> backups = new ArrayList<>();
        for (Tunnel t : g.tunnels()) {
            if (t == primary) {
                continue;
            }
            backups.add(t.id());
            Integer far = null;
            long gatewayAs = 64512;
            if (ps != null) {
                int farNode = ps.other(routerIndex.get(primary.router())).node();
                if (nodes.get(farNode).reports()) {
                    far = farNode;
                } else {
                    gatewayAs = nodes.get(farNode).asn() == 12076 ? 65515 : nodes.get(farNode).asn() == 16550 ? 64514 : 64512;
                    int gw = addNode("vpn-gw-" + t.id(), gatewayAs, NodeKind.CLOUD, "VPN gateway at the far end of "
                            + t.id() + " (" + t.remoteGateway() + ")");
                    sameOrigins.put(gw, farNode);
                    far = gw;
                }
            }
            tunnelSession(t, far, gatewayAs);
        }
        groups.add(new GroupDef(g.id(), g.failoverObjective(), primary.id(), backups));
    }

    /** Adds the tunnel and, when it has one that is not its circuit's, its session; returns the session. */
    private Integer tunnelSession(Tunnel t, Integer farNode, long gatewayAs) {
        Integer session = null;
        if (t.session() != null) {
            session = findSession(t.session()).orElse(null);
            if (session == null) {
                int me = routerIndex.get(t.router());
                int far = farNode != null ? farNode
                        : addNode("vpn-gw-" + t.id(), gatewayAs, NodeKind.CLOUD, "VPN gateway of " + t.id());
                String peer = t.session().peer();
                boolean backup = t.role() == TunnelRole.BACKUP;
                session = addSession(t.circuit() == null ? SessionKind.INTERNET_TUNNEL : SessionKind.CIRCUIT,
                        new Side(me, otherEnd(peer)), new Side(far, peer), t.circuit(), backup ? 2 : 0);
            }
            Session s = sessions.get(session);
            sessions.set(session, new Session(s.index(), s.kind(), s.a(), s.b(), s.circuit(), t.id(), s.prepend(), s.ibgp()));
        }
        double latency;
        double jitter;
        CircuitDef c = circuits.stream().filter(x -> x.id().equals(t.circuit())).findFirst().orElse(null);
        if (c != null) {
            latency = c.latencyMs() + 0.3;
            jitter = c.jitterMs() + 0.05;
        } else {
            long h = Integer.toUnsignedLong(t.id().hashCode());
            latency = 20 + (h % 600) / 10.0;          // internet paths: 20..80 ms
            jitter = 2 + ((h / 600) % 40) / 10.0;     // 2..6 ms
        }
        tunnels.add(new TunnelDef(t.id(), groupOf(t), t.router(), t.role(), t.circuit(), session, t.remoteGateway(),
                latency, jitter));
        return session;
    }

    private String groupOf(Tunnel t) {
        return inv.tunnelGroups().stream().filter(g -> g.tunnels().contains(t)).map(TunnelGroup::id).findFirst()
                .orElseThrow();
    }

    private java.util.Optional<Integer> findSession(SessionRef ref) {
        Integer me = routerIndex.get(ref.router());
        for (Session s : sessions) {
            if ((s.a().node() == me && s.b().address().equals(ref.peer()))
                    || (s.b().node() == me && s.a().address().equals(ref.peer()))) {
                return java.util.Optional.of(s.index());
            }
        }
        return java.util.Optional.empty();
    }

    private void mesh() {
        List<Router> transit = inv.routers().stream().filter(r -> r.role() == RouterRole.TRANSIT).toList();
        int pair = 0;
        for (int i = 0; i < transit.size(); i++) {
            for (int j = i + 1; j < transit.size(); j++, pair++) {
                int base = MESH_BASE + 4 * pair;
                addSession(SessionKind.MESH, new Side(routerIndex.get(transit.get(i).id()), ipv4(base + 1)),
                        new Side(routerIndex.get(transit.get(j).id()), ipv4(base + 2)), null, 0);
            }
        }
    }

    private int addSession(SessionKind kind, Side a, Side b, String circuit, int prepend) {
        boolean ibgp = nodes.get(a.node()).asn() == nodes.get(b.node()).asn();
        sessions.add(new Session(sessions.size(), kind, a, b, circuit, null, prepend, ibgp));
        return sessions.size() - 1;
    }

    private void watchedPrefixes() {
        List<WatchedPrefix> watched = inv.prefixes().stream().filter(w -> SessionRef.DEFAULT_VRF.equals(w.vrf()))
                .sorted(Comparator.comparingInt(w -> Prefix.parse(w.prefix()).length())).toList();
        Map<String, Integer> originOf = new HashMap<>();
        for (WatchedPrefix w : watched) {
            Prefix p = Prefix.parse(w.prefix());
            int origin = gatewayOrigin(p);
            if (origin < 0) {
                origin = watched.stream().filter(o -> originOf.containsKey(o.prefix())
                                && Prefix.parse(o.prefix()).covers(p) && !o.prefix().equals(w.prefix()))
                        .map(o -> originOf.get(o.prefix())).reduce((x, y) -> y).orElse(-1);
            }
            if (origin < 0) {
                origin = mentioned(w.name());
            }
            if (origin < 0) {
                origin = inv.routers().stream().filter(r -> r.role() == RouterRole.TRANSIT).findFirst()
                        .map(r -> routerIndex.get(r.id())).orElse(0);
            }
            originOf.put(w.prefix(), origin);
            addGroup(origin, w.name() == null ? w.prefix() : w.name(), PrefixKind.WATCHED, List.of(p), 100);
        }
    }

    /** The far end of the group whose primary tunnel's remote gateway lies in {@code p}, or -1. */
    private int gatewayOrigin(Prefix p) {
        for (TunnelDef t : tunnels) {
            if (t.role() != TunnelRole.PRIMARY || t.session() == null || t.remoteGateway() == null) {
                continue;
            }
            IpAddress gw;
            try {
                gw = IpAddress.parse(t.remoteGateway());
            } catch (IllegalArgumentException notAnAddress) {
                continue;
            }
            if (gw.afi() == p.afi() && p.covers(gw.afi() == Afi.IPV4 ? Prefix.ipv4(gw.ipv4Value(), 32)
                    : Prefix.ipv6(gw.hi(), gw.lo(), 128))) {
                return sessions.get(t.session()).other(routerIndex.get(t.router())).node();
            }
        }
        return -1;
    }

    private int mentioned(String name) {
        if (name == null) {
            return -1;
        }
        for (Router r : inv.routers()) {
            if ((r.region() != null && name.contains(r.region())) || (r.site() != null && name.contains(r.site()))
                    || name.contains(r.id())) {
                return routerIndex.get(r.id());
            }
        }
        return -1;
    }

    private void extraPrefixes() {
        int n = settings.extraPrefixes();
        if (n == 0) {
            return;
        }
        for (int r = 0; r < inv.routers().size(); r++) {
            List<Prefix> list = new ArrayList<>(n);
            int base = EXTRA_BASE + r * n * 256;
            for (int i = 0; i < n; i++) {
                list.add(Prefix.ipv4(base + i * 256, 24));
            }
            addGroup(r, inv.routers().get(r).id() + " extra prefixes", PrefixKind.EXTRA, list, 300);
        }
    }

    private void addGroup(int origin, String name, PrefixKind kind, List<Prefix> prefixes, int tag) {
        long asn = nodes.get(origin).asn();
        List<String> communities = asn <= 0xFFFF ? List.of(asn + ":" + tag) : List.of();
        prefixGroups.add(new PrefixGroup(prefixGroups.size(), name, kind, List.copyOf(prefixes), communities));
        origins.get(origin).add(prefixGroups.size() - 1);
    }

    private List<Iface> interfaces() {
        List<Iface> out = new ArrayList<>();
        for (CircuitDef c : circuits) {
            out.add(new Iface(c.aRouter(), c.aIface(), c.id()));
            if (c.zRouter() != null) {
                out.add(new Iface(c.zRouter(), c.zIface(), c.id()));
            }
        }
        for (Router r : inv.routers()) {
            boolean taken = out.stream().anyMatch(i -> i.router().equals(r.id()) && i.name().equals("eth0"));
            out.add(new Iface(r.id(), taken ? "uplink0" : "eth0", null));
        }
        return out;
    }

    /** The other address of a /30 (.1 and .2) or /31 point-to-point link. */
    static String otherEnd(String address) {
        IpAddress ip = IpAddress.parse(address);
        long low = ip.afi() == Afi.IPV4 ? ip.ipv4Value() & 3 : ip.lo() & 3;
        long delta = low == 1 ? 1 : low == 2 ? -1 : (low == 0 ? 1 : -1);
        if (ip.afi() == Afi.IPV4) {
            return ipv4((int) (ip.ipv4Value() + delta));
        }
        return IpAddress.ipv6(ip.hi(), ip.lo() + delta).toString();
    }

    private static String ipv4(int address) {
        return Addresses.formatIpv4(address);
    }
}
