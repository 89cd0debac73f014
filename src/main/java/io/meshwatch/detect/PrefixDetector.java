package io.meshwatch.detect;

import io.meshwatch.inventory.Severity;
import io.meshwatch.inventory.Tunnel;
import io.meshwatch.inventory.TunnelGroup;
import io.meshwatch.inventory.TunnelRole;
import io.meshwatch.inventory.WatchedPrefix;
import io.meshwatch.routing.Prefix;
import io.meshwatch.routing.RouteDelta;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * {@code PrefixUnreachable} and {@code BestPathOnBackup}, from route deltas.
 *
 * <p>A watched prefix (exact prefix in its VRF, on its listed routers or, when none are listed, on
 * any router that reports a delta for it) that loses its last path ({@code newBest == null}) starts
 * a debounce (clock); a new path within it cancels silently, otherwise the signal fires with the
 * withdrawal's event time and resolves when a path returns. With {@code anyPrefixUnreachable}
 * every prefix is watched the same way, at most {@code maxAnyPrefixTracked} pending or firing at a
 * time (the rest are counted in {@link #dropped()}). {@code BestPathOnBackup}: a watched prefix whose
 * new best path is via a backup tunnel's BGP session; it resolves when the best path moves off it.
 * While the tunnel's group is converging (its primary never seen up: a router joining, whose backup
 * session came up first) the best path has not settled: the signal waits up to {@code convergence}
 * (clock) and fires then, with its original start, if the prefix is still on the backup.
 */
final class PrefixDetector {

    /** A prefix on a router. */
    record Key(String router, String vrf, Prefix prefix) {
    }

    private final Clock clock;
    private final DetectionSettings settings;
    private final SignalBook book;
    private final Supplier<Topology> topology;
    private final Deadlines<Key> debounce = new Deadlines<>();
    private final Map<Key, Instant> lostAt = new HashMap<>();
    private final Set<Key> unreachable = new HashSet<>();
    private final Map<Key, Tunnel> onBackup = new HashMap<>();
    private final Set<Key> anyTracked = new HashSet<>();
    private final Predicate<TunnelGroup> converging;
    /** Prefixes on a backup whose group is converging: when they went there, until {@code convergence}. */
    private final Map<Key, Instant> settling = new HashMap<>();
    private final Deadlines<Key> settle = new Deadlines<>();
    private long dropped;

    PrefixDetector(Clock clock, DetectionSettings settings, SignalBook book, Supplier<Topology> topology,
                   Predicate<TunnelGroup> converging) {
        this.clock = clock;
        this.converging = converging;
        this.settings = settings;
        this.book = book;
        this.topology = topology;
    }

    void delta(String router, RouteDelta d, Instant time) {
        Key k = new Key(router, Topology.vrf(d.vrf()), d.prefix());
        WatchedPrefix w = topology.get().watched(k.vrf(), k.prefix());
        boolean applies = w != null && (w.routers().isEmpty() || w.routers().contains(router));
        if (d.newBest() == null) {
            resolveBackup(k, time);
            if ((applies || settings.anyPrefixUnreachable()) && !unreachable.contains(k) && !debounce.pending(k)) {
                if (!applies && anyTracked.size() >= settings.maxAnyPrefixTracked()) {
                    dropped++;
                    return;
                }
                if (!applies) {
                    anyTracked.add(k);
                }
                lostAt.put(k, time);
                if (settings.prefixDebounce().isZero()) {
                    fireUnreachable(k);
                } else {
                    debounce.schedule(k, clock.instant().plus(settings.prefixDebounce()));
                }
            }
            return;
        }
        if (debounce.cancel(k)) {
            forget(k);
        } else if (unreachable.remove(k)) {
            forget(k);
            book.resolve(SignalType.PREFIX_UNREACHABLE, labels(k), time, Map.of());
        }
        if (applies) {
            Tunnel t = topology.get().tunnelVia(router, d.vrf(), d.newBest());
            if (t != null && t.role() == TunnelRole.BACKUP) {
                fireBackup(k, w, t, time);
            } else {
                resolveBackup(k, time);
            }
        }
    }

    private void forget(Key k) {
        lostAt.remove(k);
        anyTracked.remove(k);
    }

    void tick(Instant now) {
        for (Key k : debounce.due(now)) {
            fireUnreachable(k);
        }
        for (Key k : settle.due(now)) {
            Instant since = settling.remove(k);
            Tunnel t = onBackup.get(k);
            WatchedPrefix w = topology.get().watched(k.vrf(), k.prefix());
            // the tunnel may have left the inventory meanwhile: then there is no backup to speak of
            if (since != null && t != null && w != null && topology.get().groupOf(t) != null) {
                announceBackup(k, w, t, since);
            }
        }
    }

    Optional<Instant> nextDeadline() {
        return Deadlines.earliest(debounce.next(), settle.next());
    }

    /** Losses not tracked because {@code maxAnyPrefixTracked} was reached. */
    long dropped() {
        return dropped;
    }

    /** Forgets prefixes no longer watched (unless every prefix is) and resolves their signals. */
    void inventoryChanged(Instant now) {
        for (Key k : Set.copyOf(lostAt.keySet())) {
            if (!settings.anyPrefixUnreachable() && topology.get().watched(k.vrf(), k.prefix()) == null) {
                debounce.cancel(k);
                forget(k);
                if (unreachable.remove(k)) {
                    book.resolve(SignalType.PREFIX_UNREACHABLE, labels(k), now, Map.of("cause", "no longer watched"));
                }
            }
        }
        for (Key k : Set.copyOf(onBackup.keySet())) {
            if (topology.get().watched(k.vrf(), k.prefix()) == null) {
                onBackup.remove(k);
                settling.remove(k);
                settle.cancel(k);
                book.resolve(SignalType.BEST_PATH_ON_BACKUP, labels(k), now, Map.of("cause", "no longer watched"));
            }
        }
    }

    private void fireUnreachable(Key k) {
        WatchedPrefix w = topology.get().watched(k.vrf(), k.prefix());
        unreachable.add(k);
        Severity sev = w != null && w.severity() != null ? w.severity() : settings.anyPrefixSeverity();
        Map<String, String> ann = new LinkedHashMap<>();
        if (w != null && w.name() != null) {
            ann.put("name", w.name());
        }
        ann.put("debounce_seconds", Long.toString(settings.prefixDebounce().toSeconds()));
        book.fire(SignalType.PREFIX_UNREACHABLE, sev, labels(k), k.prefix() + name(w) + " unreachable from "
                + k.router() + " (vrf " + k.vrf() + "): its last path was withdrawn", ann, lostAt.get(k));
    }

    private void fireBackup(Key k, WatchedPrefix w, Tunnel t, Instant time) {
        Tunnel before = onBackup.put(k, t);
        if (before != null && before.id().equals(t.id())) {
            return;
        }
        if (settling.containsKey(k)) {
            return;
        }
        if (converging.test(topology.get().groupOf(t)) && !book.isFiring(SignalType.BEST_PATH_ON_BACKUP, labels(k))) {
            settling.put(k, time);
            settle.schedule(k, clock.instant().plus(settings.convergence()));
            return;
        }
        announceBackup(k, w, t, time);
    }

    private void announceBackup(Key k, WatchedPrefix w, Tunnel t, Instant time) {
        String group = topology.get().groupOf(t).id();
        Map<String, String> ann = new LinkedHashMap<>();
        ann.put("tunnel", t.id());
        ann.put("tunnel_group", group);
        ann.put("peer", Topology.address(t.session().peer()));
        if (w.name() != null) {
            ann.put("name", w.name());
        }
        book.fire(SignalType.BEST_PATH_ON_BACKUP, Severity.WARNING, labels(k), k.prefix() + name(w) + " on "
                + k.router() + " now via backup tunnel " + t.id() + " (" + Topology.address(t.session().peer())
                + ") of " + group, ann, time);
    }

    private void resolveBackup(Key k, Instant time) {
        if (settling.remove(k) != null) {
            settle.cancel(k);
            onBackup.remove(k);
            return;
        }
        if (onBackup.remove(k) != null) {
            book.resolve(SignalType.BEST_PATH_ON_BACKUP, labels(k), time, Map.of());
        }
    }

    private static String name(WatchedPrefix w) {
        return w == null || w.name() == null ? "" : " (" + w.name() + ")";
    }

    static Map<String, String> labels(Key k) {
        return Map.of("router", k.router(), "vrf", k.vrf(), "prefix", k.prefix().toString());
    }

    /** Debounces, lost, unreachable, on-backup and settling prefixes and the dropped count, for a checkpoint. */
    EngineState.Prefixes checkpoint() {
        List<EngineState.PrefixTime> lost = new ArrayList<>();
        lostAt.forEach((k, at) -> lost.add(new EngineState.PrefixTime(key(k), at)));
        lost.sort(Comparator.comparing(EngineState.PrefixTime::key, KEY_ORDER));
        List<EngineState.PrefixTunnel> backup = new ArrayList<>();
        onBackup.forEach((k, t) -> backup.add(new EngineState.PrefixTunnel(key(k), t.id())));
        backup.sort(Comparator.comparing(EngineState.PrefixTunnel::key, KEY_ORDER));
        List<EngineState.PrefixTime> settlingList = new ArrayList<>();
        settling.forEach((k, at) -> settlingList.add(new EngineState.PrefixTime(key(k), at)));
        settlingList.sort(Comparator.comparing(EngineState.PrefixTime::key, KEY_ORDER));
        return new EngineState.Prefixes(debounce.timers(PrefixDetector::key), lost, keys(unreachable), backup,
                keys(anyTracked), settlingList, settle.timers(PrefixDetector::key), dropped);
    }

    /**
     * Takes back a checkpoint's prefix state; raises nothing. A prefix on the backup names its tunnel
     * by id, looked up in the inventory now in force (a tunnel it no longer has is kept by id only).
     */
    void restore(EngineState.Prefixes state) {
        debounce.restore(state.debounce(), PrefixDetector::key);
        state.lostAt().forEach(p -> lostAt.put(key(p.key()), p.at()));
        state.unreachable().forEach(k -> unreachable.add(key(k)));
        for (EngineState.PrefixTunnel p : state.onBackup()) {
            Tunnel t = topology.get().tunnel(p.tunnel());
            onBackup.put(key(p.key()), t != null && t.id().equals(p.tunnel()) ? t
                    : new Tunnel(p.tunnel(), p.key().router(), null, TunnelRole.BACKUP, null, null, List.of()));
        }
        state.anyTracked().forEach(k -> anyTracked.add(key(k)));
        state.settling().forEach(p -> settling.put(key(p.key()), p.at()));
        settle.restore(state.settle(), PrefixDetector::key);
        dropped = state.dropped();
    }

    private static final Comparator<EngineState.PrefixKey> KEY_ORDER = Comparator
            .comparing(EngineState.PrefixKey::router).thenComparing(EngineState.PrefixKey::vrf)
            .thenComparing(EngineState.PrefixKey::prefix);

    private static List<EngineState.PrefixKey> keys(Set<Key> set) {
        List<EngineState.PrefixKey> out = new ArrayList<>();
        set.forEach(k -> out.add(key(k)));
        out.sort(KEY_ORDER);
        return out;
    }

    private static EngineState.PrefixKey key(Key k) {
        return new EngineState.PrefixKey(k.router(), k.vrf(), k.prefix().toString());
    }

    private static Key key(EngineState.PrefixKey k) {
        return new Key(k.router(), k.vrf(), Prefix.parse(k.prefix()));
    }
}
