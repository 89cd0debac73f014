package io.meshwatch.rib;

import io.meshwatch.event.BgpState;
import io.meshwatch.event.BgpUpdateEvent;
import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.event.EndOfRibEvent;
import io.meshwatch.event.PeerStateEvent;
import io.meshwatch.routing.Afi;
import io.meshwatch.routing.BgpUpdate;
import io.meshwatch.routing.IpAddress;
import io.meshwatch.routing.LocRibUpdate;
import io.meshwatch.routing.Peer;
import io.meshwatch.routing.RouteDelta;
import io.meshwatch.routing.RouteTable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

/**
 * The live route tables of every router, fed by the BGP topic: one {@link RouteTable} per router,
 * created on the router's first BGP event.
 *
 * <p>Rules: {@code adj-in-post} updates (the default) feed the Adj-RIB-In and the computed
 * Loc-RIB; {@code loc-rib} updates are the router's own best paths, kept beside the computed ones;
 * pre-policy and Adj-RIB-Out updates are counted and not applied. A session leaving
 * {@code established} flushes that peer's paths. A peer that comes back with another AS is a new
 * session: the old one's paths are flushed first. The router's own AS (which decides eBGP versus
 * iBGP) comes from {@code local_as} of its peer-state events; a table created before any is seen
 * uses 0, so every session counts as eBGP.
 *
 * <p>{@link #apply(List, BiPredicate)} returns the best-path changes the events caused that the
 * caller asked for (detection's interest); nothing is pushed to listeners.
 *
 * <p>Threading: {@link #apply} runs on the input channel's context only (single writer for every
 * table); readers use {@link #table} from any thread, and the tables' own locking keeps them
 * consistent.
 */
@ApplicationScoped
public class RibService {

    /** A router's table and the peers it has seen, by (VRF, address). */
    private record RouterRib(RouteTable table, Map<String, Peer> peers) {
    }

    private final Clock clock;
    private final Map<String, RouterRib> routers = new ConcurrentHashMap<>();
    private final Map<String, Long> localAs = new ConcurrentHashMap<>();
    private final Counter announced;
    private final Counter withdrawn;
    private final Counter ignored;
    private final Counter bestChanges;
    private final Counter updates;
    private final Consumer<RouteDelta> deltas;
    private final List<RouteDelta> pending = new ArrayList<>();
    /** The caller's interest during one {@link #apply(List, BiPredicate)}; null outside it. */
    private BiPredicate<String, RouteDelta> wanted;
    private String current;

    public RibService(Clock clock, MeterRegistry registry) {
        this.clock = clock;
        this.announced = Counter.builder("meshwatch.rib.prefixes.applied").tag("op", "announce")
                .description("Prefixes applied to route tables").register(registry);
        this.withdrawn = Counter.builder("meshwatch.rib.prefixes.applied").tag("op", "withdraw")
                .description("Prefixes applied to route tables").register(registry);
        this.ignored = Counter.builder("meshwatch.rib.updates.ignored")
                .description("BGP updates of pre-policy or Adj-RIB-Out views, not applied to route tables")
                .register(registry);
        this.updates = Counter.builder("meshwatch.rib.updates.applied")
                .description("BGP update events applied to route tables (Adj-RIB-In or router-reported Loc-RIB)")
                .register(registry);
        this.bestChanges = Counter.builder("meshwatch.rib.best.changes")
                .description("Best-path changes (new, changed or lost best path of a prefix)").register(registry);
        this.deltas = d -> {
            bestChanges.increment();
            BiPredicate<String, RouteDelta> w = wanted;
            if (w != null && w.test(current, d)) {
                pending.add(d);
            }
        };
    }

    /** Applies the batch's BGP events in order, keeping none of the best-path changes they cause. */
    public void apply(List<CanonicalEvent> events) {
        apply(events, null);
    }

    /**
     * Applies the batch's BGP events in order and returns, per event, the best-path changes it
     * caused that {@code wanted} accepts (asked once per change, with the router: a full table makes
     * millions, so it must be a cheap look-up); null keeps none.
     */
    public List<RouteChange> apply(List<CanonicalEvent> events, BiPredicate<String, RouteDelta> wanted) {
        List<RouteChange> out = wanted == null ? List.of() : new ArrayList<>();
        this.wanted = wanted;
        try {
            for (CanonicalEvent e : events) {
                current = e.router();
                applyOne(e);
                if (!pending.isEmpty()) {
                    out.add(new RouteChange(e.router(), e.time(), pending));
                    pending.clear();
                }
            }
        } finally {
            this.wanted = null;
            pending.clear();
        }
        return out;
    }

    private void applyOne(CanonicalEvent e) {
        if (e instanceof BgpUpdateEvent u) {
            update(u);
        } else if (e instanceof PeerStateEvent s) {
            peerState(s);
        } else if (e instanceof EndOfRibEvent r) {
            RouterRib rib = rib(r.router());
            rib.table().endOfRib(peer(rib, r.vrf(), r.peer(), r.peerAs()), r.afi());
        }
    }

    private void update(BgpUpdateEvent u) {
        RouterRib rib = rib(u.router());
        switch (u.rib()) {
            case "adj-in-post" -> {
                Peer peer = peer(rib, u.vrf(), u.peer(), u.peerAs());
                rib.table().apply(new BgpUpdate(peer, EventMapping.attributes(u), EventMapping.nlris(u.announce()),
                        EventMapping.nlris(u.withdraw())), deltas);
            }
            case "loc-rib" -> rib.table().applyLocRib(new LocRibUpdate(EventMapping.vrf(u.vrf()),
                    EventMapping.attributes(u), EventMapping.prefixes(u.announce()),
                    EventMapping.prefixes(u.withdraw())), deltas);
            default -> {
                ignored.increment();
                return;
            }
        }
        updates.increment();
        announced.increment(u.announce().size());
        withdrawn.increment(u.withdraw().size());
    }

    private void peerState(PeerStateEvent s) {
        if (s.localAs() != null) {
            localAs.put(s.router(), s.localAs());
        }
        if (s.state() == BgpState.ESTABLISHED) {
            return;
        }
        RouterRib rib = routers.get(s.router());
        if (rib == null) {
            return;
        }
        Peer peer = rib.peers().remove(key(s.vrf(), s.peer()));
        if (peer != null) {
            rib.table().peerDown(peer, deltas);
        }
    }

    private RouterRib rib(String router) {
        return routers.computeIfAbsent(router, r -> new RouterRib(
                new RouteTable((int) (long) localAs.getOrDefault(r, 0L), clock), new ConcurrentHashMap<>()));
    }

    /** The peer as the table knows it; a changed AS means a new session, whose predecessor is flushed. */
    private Peer peer(RouterRib rib, String vrf, String address, long peerAs) {
        String key = key(vrf, address);
        Peer known = rib.peers().get(key);
        if (known != null && known.peerAs() == (int) peerAs) {
            return known;
        }
        if (known != null) {
            rib.table().peerDown(known, deltas);
        }
        IpAddress ip = IpAddress.parse(address);
        int bgpId = ip.afi() == Afi.IPV4 ? ip.ipv4Value() : 0;
        Peer peer = new Peer(EventMapping.vrf(vrf), ip, (int) peerAs, bgpId);
        rib.peers().put(key, peer);
        return peer;
    }

    private static String key(String vrf, String address) {
        return vrf + '\n' + address;
    }

    /**
     * What a snapshot keeps of one router: its table (null when it has none yet), the AS of its
     * peer-state events (null when none seen) and the peers by (VRF, address) as events named them.
     */
    public record RouterImage(String router, Long localAs, RouteTable table, Map<String, Peer> peers) {
    }

    /**
     * The current state of the given routers (writer only). Tables are shared, not copied: the
     * caller serialises them under their read lock.
     */
    public List<RouterImage> capture(Collection<String> names) {
        List<RouterImage> out = new ArrayList<>(names.size());
        for (String r : names) {
            RouterRib rib = routers.get(r);
            Long as = localAs.get(r);
            if (rib != null || as != null) {
                out.add(new RouterImage(r, as, rib == null ? null : rib.table(),
                        rib == null ? Map.of() : Map.copyOf(rib.peers())));
            }
        }
        return out;
    }

    /**
     * Replaces the state of the routers in {@code drop} by the restored {@code images} (writer only,
     * or before the first batch): routers in {@code drop} without an image are forgotten.
     */
    public void replace(Collection<String> drop, List<RouterImage> images) {
        for (String r : drop) {
            routers.remove(r);
            localAs.remove(r);
        }
        for (RouterImage i : images) {
            if (i.localAs() != null) {
                localAs.put(i.router(), i.localAs());
            } else {
                localAs.remove(i.router());
            }
            if (i.table() != null) {
                routers.put(i.router(), new RouterRib(i.table(), new ConcurrentHashMap<>(i.peers())));
            } else {
                routers.remove(i.router());
            }
        }
    }

    /** The router's table, if it has one. */
    public Optional<RouteTable> table(String router) {
        RouterRib rib = routers.get(router);
        return rib == null ? Optional.empty() : Optional.of(rib.table());
    }

    /** Routers that have a route table, sorted. */
    public Set<String> routers() {
        return new TreeSet<>(routers.keySet());
    }
}
