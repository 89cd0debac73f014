package io.meshwatch.history;

import io.meshwatch.event.BgpState;
import io.meshwatch.event.BgpUpdateEvent;
import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.event.Nlri;
import io.meshwatch.event.PeerStateEvent;
import io.meshwatch.rib.EventMapping;
import io.meshwatch.routing.BestPathReason;
import io.meshwatch.routing.Path;
import io.meshwatch.routing.PathAttributes;
import io.meshwatch.routing.Prefix;
import io.meshwatch.routing.RouteDelta;
import io.meshwatch.routing.RouteTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The changes of one prefix of one router while its events are replayed: every announcement and
 * withdrawal of it by a peer (or by the router's own Loc-RIB report), the paths a session going
 * down takes with it, and every change of its best path with the decision step that chose the new
 * one. At most {@code limit} changes are kept; later ones only set {@link #truncated()}.
 *
 * <p>Recording starts with the first {@link #event} (the replay calls it only for records after the
 * start of the asked window); best-path changes before that, while the table is rebuilt up to the
 * window, are not recorded. Plain Java; the replay's thread.
 */
public final class PrefixHistory {

    /** One change. */
    public sealed interface Change {
        /** The router's time of the event that caused it. */
        Instant time();
    }

    /** A peer (null: the router's own Loc-RIB report) announced the prefix with these attributes. */
    public record Announced(Instant time, String vrf, String peer, long peerAs, String rib, long pathId,
                            PathAttributes attributes) implements Change {
    }

    /** A peer withdrew the prefix; {@code cause} is {@code withdrawn} or {@code session down: <state>}. */
    public record Withdrawn(Instant time, String vrf, String peer, long peerAs, String rib, long pathId,
                            String cause) implements Change {
    }

    /** The best path changed: {@code before} null for a new prefix, {@code after} null when it is gone. */
    public record BestChanged(Instant time, String vrf, Path before, Path after, BestPathReason reason)
            implements Change {
    }

    private final String router;
    private final Prefix prefix;
    private final String vrf;
    private final int limit;
    private final List<Change> changes = new ArrayList<>();
    private Rebuild rebuild;
    private boolean recording;
    private boolean truncated;

    /** @param vrf the core's VRF name ({@code ""} for the global table) */
    public PrefixHistory(String router, String vrf, Prefix prefix, int limit) {
        this.router = router;
        this.vrf = vrf;
        this.prefix = prefix;
        this.limit = limit;
    }

    /** Before the replay: listens to the rebuild's best-path changes. */
    public void attach(Rebuild r) {
        this.rebuild = r;
        r.watch(this::interested, c -> deltas(c.router(), c.eventTime(), c.deltas()));
    }

    /** An event of the router inside the window, before it is applied. */
    public void event(CanonicalEvent e) {
        recording = true;
        if (e instanceof BgpUpdateEvent u && EventMapping.vrf(u.vrf()).equals(vrf)) {
            String rib = u.rib();
            if (!rib.equals("adj-in-post") && !rib.equals("loc-rib")) {
                return; // not applied to the table either
            }
            String peer = rib.equals("loc-rib") ? null : u.peer();
            for (Nlri n : u.withdraw()) {
                if (n.prefix().equals(prefix)) {
                    add(new Withdrawn(u.time(), vrf, peer, u.peerAs(), rib, n.pathId(), "withdrawn"));
                }
            }
            for (Nlri n : u.announce()) {
                if (n.prefix().equals(prefix)) {
                    add(new Announced(u.time(), vrf, peer, u.peerAs(), rib, n.pathId(), EventMapping.attributes(u)));
                }
            }
        } else if (e instanceof PeerStateEvent s && s.state() != BgpState.ESTABLISHED
                && EventMapping.vrf(s.vrf()).equals(vrf)) {
            RouteTable t = rebuild == null ? null : rebuild.current();
            if (t == null) {
                return;
            }
            for (Path p : t.paths(vrf, prefix)) {
                if (p.peer() != null && p.peer().address().toString().equals(normal(s.peer()))) {
                    add(new Withdrawn(s.time(), vrf, s.peer(), s.peerAs(), "adj-in-post", p.pathId(),
                            "session down: " + s.state().wire()));
                }
            }
        }
    }

    /** Whether a best-path change of the rebuild is this prefix's, inside the window. */
    public boolean interested(String r, RouteDelta d) {
        return recording && d.prefix().equals(prefix) && d.vrf().equals(vrf) && router.equals(r);
    }

    /** The best-path changes one event caused that {@link #interested} accepted. */
    public void deltas(String r, Instant eventTime, List<RouteDelta> deltas) {
        for (RouteDelta d : deltas) {
            add(new BestChanged(eventTime, d.vrf(), d.oldBest(), d.newBest(), d.reason()));
        }
    }

    public List<Change> changes() {
        return changes;
    }

    /** True when more than {@code limit} changes happened in the window. */
    public boolean truncated() {
        return truncated;
    }

    private void add(Change c) {
        if (changes.size() < limit) {
            changes.add(c);
        } else {
            truncated = true;
        }
    }

    private static String normal(String address) {
        try {
            return io.meshwatch.routing.IpAddress.parse(address).toString();
        } catch (IllegalArgumentException e) {
            return address;
        }
    }
}
