package io.meshwatch.strongswan;

import io.meshwatch.event.TunnelStateEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns charon's vici events into {@code ipsec.tunnel_state} events with {@code signal: ike}, for one
 * router. Plain Java, no I/O.
 *
 * <ul>
 * <li>{@code child-updown} with {@code up = yes}: each CHILD_SA of the event {@code up}, with its
 * {@code bytes-in} and {@code bytes-out}; without: {@code down}, with its last counters.</li>
 * <li>{@code ike-updown} without {@code up}: {@code down} (a dead-peer-detection timeout, a delete, a
 * failed rekey all end this way). With {@code up}: nothing yet; the tunnel is up when its CHILD_SA is
 * (the traffic rides that).</li>
 * <li>{@code ike-rekey}, {@code child-rekey}: {@code up} again, without counters (a rekeyed CHILD_SA
 * starts its counters at zero; reporting those would read as a counter reset).</li>
 * <li>{@code list-sa} (the relay's look at the SAs when it connects): {@code up} for each installed
 * CHILD_SA of an established IKE_SA.</li>
 * </ul>
 *
 * <p>Tunnel id: the one configured for the CHILD_SA's name, else for the IKE_SA's (connection) name,
 * else the IKE_SA's name itself (which the inventory may list as the tunnel's id or an alias). One
 * event per tunnel and vici event: a connection with several CHILD_SAs mapped to one tunnel reports it
 * once, up if any of them is.
 *
 * <p>Not thread-safe: one mapper per relay thread.
 */
public final class ViciMapper {

    /** The vici events the relay registers for. */
    public static final List<String> EVENTS = List.of("ike-updown", "child-updown", "ike-rekey", "child-rekey");

    private final String router;
    private final Map<String, String> tunnels;

    /**
     * @param router  the router id the events are keyed by (the one running this charon)
     * @param tunnels tunnel id by IKE_SA or CHILD_SA (connection or child) name
     */
    public ViciMapper(String router, Map<String, String> tunnels) {
        this.router = router;
        this.tunnels = Map.copyOf(tunnels);
    }

    /** The tunnel states one vici event (or a {@code list-sa} answer) says, in the order met. */
    public List<TunnelStateEvent> map(String event, Map<String, Object> message, Instant time) {
        boolean up = "yes".equals(message.get("up"));
        List<TunnelStateEvent> out = new ArrayList<>();
        for (Map.Entry<String, Object> e : message.entrySet()) {
            if (!(e.getValue() instanceof Map<?, ?> ike)) {
                continue; // "up" and any other plain member
            }
            String ikeName = e.getKey();
            switch (event) {
                case "ike-updown" -> {
                    if (!up) {
                        add(out, new TunnelStateEvent(router, time, tunnel(null, ikeName), "down", "ike", null, null));
                    }
                }
                case "child-updown" -> children(ike).forEach((name, child) -> add(out, new TunnelStateEvent(router,
                        time, tunnel(name, ikeName), up ? "up" : "down", "ike", counter(child, "bytes-in"),
                        counter(child, "bytes-out"))));
                case "ike-rekey" -> add(out, new TunnelStateEvent(router, time, tunnel(null, ikeName), "up", "ike",
                        null, null));
                case "child-rekey" -> children(ike).forEach((name, child) -> add(out, new TunnelStateEvent(router,
                        time, tunnel(name, ikeName), "up", "ike", null, null)));
                case "list-sa" -> {
                    if ("ESTABLISHED".equals(ike.get("state"))) {
                        children(ike).forEach((name, child) -> {
                            if ("INSTALLED".equals(child.get("state"))) {
                                add(out, new TunnelStateEvent(router, time, tunnel(name, ikeName), "up", "ike",
                                        counter(child, "bytes-in"), counter(child, "bytes-out")));
                            }
                        });
                    }
                }
                default -> {
                }
            }
        }
        return out;
    }

    /** One event per tunnel: a later one for the same tunnel replaces it unless it says down over up. */
    private static void add(List<TunnelStateEvent> out, TunnelStateEvent e) {
        for (int i = 0; i < out.size(); i++) {
            TunnelStateEvent o = out.get(i);
            if (o.tunnel().equals(e.tunnel())) {
                if ("up".equals(o.state()) && "down".equals(e.state())) {
                    return;
                }
                out.set(i, e);
                return;
            }
        }
        out.add(e);
    }

    /** The CHILD_SAs of an IKE_SA section by their name ({@code name}, else the section's key). */
    private static Map<String, Map<?, ?>> children(Map<?, ?> ike) {
        Map<String, Map<?, ?>> out = new java.util.LinkedHashMap<>();
        if (ike.get("child-sas") instanceof Map<?, ?> sas) {
            sas.forEach((key, v) -> {
                if (v instanceof Map<?, ?> child) {
                    Object name = child.get("name");
                    // child-rekey: the section holds old and new; the name is the key
                    out.put(name != null ? name.toString() : key.toString(), child.get("new") instanceof Map<?, ?> n
                            ? n : child);
                }
            });
        }
        return out;
    }

    private String tunnel(String child, String ike) {
        if (child != null && tunnels.containsKey(child)) {
            return tunnels.get(child);
        }
        return tunnels.getOrDefault(ike, ike);
    }

    private static Long counter(Map<?, ?> child, String key) {
        Object v = child.get(key);
        if (v == null) {
            return null;
        }
        try {
            long n = Long.parseLong(v.toString());
            return n < 0 ? null : n;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
