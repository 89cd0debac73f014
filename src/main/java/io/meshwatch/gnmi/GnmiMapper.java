package io.meshwatch.gnmi;

import io.meshwatch.event.BgpState;
import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.event.InterfaceCountersEvent;
import io.meshwatch.event.InterfaceStateEvent;
import io.meshwatch.event.PeerStateEvent;
import io.meshwatch.routing.IpAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Turns gNMI telemetry samples ({@link GnmiMetric}, from Telegraf or gnmic) into canonical events.
 * Leaves and tags are matched by their last path element, without module prefix, with {@code -}
 * read as {@code _}, so OpenConfig paths ({@code /interfaces/interface/state/counters/in-octets})
 * and Telegraf's shortened names ({@code in_octets}) are the same.
 *
 * <ul>
 *   <li>Router: the id configured for the {@code source} tag, else the source (a {@code :port}
 *       suffix removed).</li>
 *   <li>Interface: tag {@code interface_name} (gnmic) or {@code name} (Telegraf) on an interface
 *       metric (an {@code interface} path or measurement); a subinterface index
 *       ({@code subinterface_index}, or {@code index} under {@code subinterfaces}) is appended as
 *       {@code name.index}. {@code oper_status} (and {@code admin_status}) make
 *       {@code interface.state}; {@code in/out_octets, _pkts, _errors, _discards} make
 *       {@code interface.counters}.</li>
 *   <li>BGP neighbour: {@code session_state} with tag {@code neighbor_address} (Telegraf) or
 *       {@code neighbor_neighbor_address} (gnmic) makes {@code bgp.peer_state}; VRF from
 *       {@code network_instance_name} (or Telegraf's {@code name}); the peer AS from a
 *       {@code peer_as} leaf of the same or an earlier sample of that neighbour.</li>
 *   <li>Anything else: no event.</li>
 * </ul>
 *
 * <p>A sample about an interface or neighbour that cannot be identified (no name, no peer AS yet,
 * an unknown state) is refused with an {@link IllegalArgumentException}. Not thread-safe (it keeps
 * the peer ASes seen).
 */
public final class GnmiMapper {

    private static final Set<String> OPER = Set.of("up", "down", "testing", "dormant", "lower_layer_down",
            "not_present", "unknown");
    private static final Set<String> ADMIN = Set.of("up", "down", "testing");

    private final Map<String, String> routerIds;
    private final Clock clock;
    private final Map<String, Long> peerAs = new HashMap<>();

    /** @param routerIds router id per {@code source} tag value; others use the source itself */
    public GnmiMapper(Map<String, String> routerIds, Clock clock) {
        this.routerIds = routerIds;
        this.clock = clock;
    }

    /** Maps one sample; events go to {@code out}. */
    public void map(GnmiMetric m, Consumer<CanonicalEvent> out) {
        Map<String, String> tags = new LinkedHashMap<>();
        m.tags().forEach((k, v) -> tags.putIfAbsent(leaf(k), v));
        Map<String, Object> f = new LinkedHashMap<>();
        m.fields().forEach((k, v) -> f.putIfAbsent(leaf(k), v));
        String source = m.tags().get("source");
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("metric '" + m.name() + "' has no 'source' tag");
        }
        String router = routerIds.getOrDefault(source, source.replaceFirst("^([^:]+):\\d+$", "$1"));
        Instant time = m.time() != null ? m.time() : clock.instant();
        String where = (m.name() + " " + m.tags().getOrDefault("path", "")).toLowerCase(Locale.ROOT);

        String neighbor = tags.getOrDefault("neighbor_neighbor_address", tags.get("neighbor_address"));
        if (neighbor != null) {
            bgp(router, time, tags, f, neighbor, out);
            return;
        }
        boolean counters = f.keySet().stream().anyMatch(GnmiMapper::counter);
        if (!f.containsKey("oper_status") && !counters) {
            return;
        }
        String iface = tags.get("interface_name");
        if (iface == null && (where.contains("interface") || m.name().startsWith("if"))) {
            iface = tags.get("name");
        }
        if (iface == null || iface.isBlank()) {
            throw new IllegalArgumentException("metric '" + m.name() + "' has interface values but no interface name");
        }
        String index = tags.getOrDefault("subinterface_index", where.contains("subinterface") ? tags.get("index") : null);
        if (index != null && !index.isBlank()) {
            iface = iface + "." + index;
        }
        if (f.containsKey("oper_status")) {
            String oper = status(f.get("oper_status"), OPER, "oper_status");
            String admin = f.containsKey("admin_status") ? status(f.get("admin_status"), ADMIN, "admin_status") : null;
            out.accept(new InterfaceStateEvent(router, time, iface, oper, admin));
        }
        if (counters) {
            out.accept(new InterfaceCountersEvent(router, time, iface, count(f, "in_octets"), count(f, "out_octets"),
                    count(f, "in_pkts"), count(f, "out_pkts"), count(f, "in_errors"), count(f, "out_errors"),
                    count(f, "in_discards"), count(f, "out_discards")));
        }
    }

    private void bgp(String router, Instant time, Map<String, String> tags, Map<String, Object> f, String neighbor,
                     Consumer<CanonicalEvent> out) {
        String peer = IpAddress.parse(neighbor).toString();
        String vrf = tags.getOrDefault("network_instance_name", tags.getOrDefault("name", "default"));
        String key = router + '\n' + vrf + '\n' + peer;
        if (f.get("peer_as") instanceof Number as) {
            peerAs.put(key, as.longValue());
        }
        Object state = f.get("session_state");
        if (state == null) {
            return;
        }
        BgpState s = BgpState.fromWire(String.valueOf(state).toLowerCase(Locale.ROOT));
        if (s == null) {
            throw new IllegalArgumentException("BGP neighbor " + peer + ": session_state '" + state + "' is not a BGP state");
        }
        Long as = peerAs.get(key);
        if (as == null) {
            throw new IllegalArgumentException("BGP neighbor " + peer + " of " + router + ": no peer AS seen yet "
                    + "(subscribe to the neighbor's state/peer-as as well)");
        }
        Long local = f.get("local_as") instanceof Number n ? n.longValue() : null;
        out.accept(new PeerStateEvent(router, time, vrf, peer, as, local, s, null));
    }

    private static boolean counter(String leaf) {
        return switch (leaf) {
            case "in_octets", "out_octets", "in_pkts", "out_pkts", "in_errors", "out_errors", "in_discards",
                 "out_discards" -> true;
            default -> false;
        };
    }

    private static Long count(Map<String, Object> f, String leaf) {
        Object v = f.get(leaf);
        if (v == null) {
            return null;
        }
        long n = v instanceof Number num ? num.longValue() : Long.parseLong(String.valueOf(v));
        if (n < 0) {
            throw new IllegalArgumentException(leaf + " is negative (" + v + ")");
        }
        return n;
    }

    private static String status(Object v, Set<String> allowed, String leaf) {
        String s = String.valueOf(v).toLowerCase(Locale.ROOT).replace('-', '_');
        if (!allowed.contains(s)) {
            throw new IllegalArgumentException(leaf + " '" + v + "' is not one of " + allowed);
        }
        return s;
    }

    /** {@code /a/b/openconfig-x:in-octets} to {@code in_octets}. */
    static String leaf(String key) {
        String k = key.substring(key.lastIndexOf('/') + 1);
        k = k.substring(k.lastIndexOf(':') + 1);
        return k.replace('-', '_').toLowerCase(Locale.ROOT);
    }
}
