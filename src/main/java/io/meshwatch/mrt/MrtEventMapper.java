package io.meshwatch.mrt;

import io.meshwatch.event.BgpAttributes;
import io.meshwatch.event.BgpState;
import io.meshwatch.event.BgpUpdateEvent;
import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.event.EndOfRibEvent;
import io.meshwatch.event.Nlri;
import io.meshwatch.event.PeerStateEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns {@link MrtRecord}s into canonical events for one router id.
 *
 * <ul>
 *   <li>RIB entries become {@link BgpUpdateEvent}s ({@code adj-in-post}, time = originated time).
 *       Entries sharing peer, peer AS, originated time and attributes are grouped into one event
 *       (at most {@link #MAX_PREFIXES_PER_EVENT} prefixes; at most {@link #MAX_OPEN_GROUPS} groups
 *       held, the oldest flushed first). A RIB dump holds each (peer, prefix, path id) once, so the
 *       reordering this causes changes nothing a consumer can observe.</li>
 *   <li>A BGP UPDATE becomes one {@link BgpUpdateEvent} (withdrawals travel with the first
 *       announcement group); when IPv4 NLRI and MP_REACH NLRI carry different next hops it becomes
 *       one event per next hop. An End-of-RIB UPDATE becomes an {@link EndOfRibEvent}; an UPDATE
 *       left with no unicast prefix yields nothing. Updates are emitted in stream order, after
 *       any pending RIB groups.</li>
 *   <li>A STATE_CHANGE becomes a {@link PeerStateEvent}; the old state is written into
 *       {@code reason} as {@code "previous state: <state>"}.</li>
 * </ul>
 *
 * <p>Not thread-safe. Call {@link #flush()} at the end of the input.
 */
public final class MrtEventMapper {

    /** Most prefixes put into one grouped RIB event. */
    public static final int MAX_PREFIXES_PER_EVENT = 1000;
    /** Most RIB groups held open at once. */
    public static final int MAX_OPEN_GROUPS = 4096;

    private static final String VRF = "default";
    private static final BgpState[] FSM = {null, BgpState.IDLE, BgpState.CONNECT, BgpState.ACTIVE,
        BgpState.OPENSENT, BgpState.OPENCONFIRM, BgpState.ESTABLISHED};

    private record GroupKey(String peer, long peerAs, Instant time, BgpAttributes attributes) {
    }

    private final String router;
    private final Consumer<CanonicalEvent> sink;
    private final LinkedHashMap<GroupKey, List<Nlri>> open = new LinkedHashMap<>();
    private long events;
    private long prefixes;

    /**
     * @param router the router id written into every event (e.g. a RIS collector name, {@code rrc00})
     * @param sink   receives events in the order they should be published
     */
    public MrtEventMapper(String router, Consumer<CanonicalEvent> sink) {
        this.router = router;
        this.sink = sink;
    }

    /** Events emitted so far. */
    public long events() {
        return events;
    }

    /** Prefixes (announced plus withdrawn) in the events emitted so far. */
    public long prefixes() {
        return prefixes;
    }

    /** Maps one record; RIB entries may be held back until a group fills or {@link #flush()}. */
    public void accept(MrtRecord record) {
        if (record instanceof MrtRecord.Rib rib) {
            rib(rib);
        } else if (record instanceof MrtRecord.Update u) {
            flush();
            update(u);
        } else if (record instanceof MrtRecord.StateChange s) {
            flush();
            emit(new PeerStateEvent(router, s.time(), VRF, s.peer(), s.peerAs(), s.localAs(),
                    FSM[s.newState()], "previous state: " + FSM[s.oldState()].wire()), 0);
        }
    }

    /** Emits every held RIB group. */
    public void flush() {
        for (Iterator<Map.Entry<GroupKey, List<Nlri>>> it = open.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<GroupKey, List<Nlri>> e = it.next();
            it.remove();
            emitGroup(e.getKey(), e.getValue());
        }
    }

    private void rib(MrtRecord.Rib rib) {
        for (MrtRecord.RibEntry entry : rib.entries()) {
            GroupKey key = new GroupKey(entry.peer(), entry.peerAs(), entry.originated(), entry.attributes());
            List<Nlri> group = open.get(key);
            if (group == null) {
                if (open.size() >= MAX_OPEN_GROUPS) {
                    Iterator<Map.Entry<GroupKey, List<Nlri>>> it = open.entrySet().iterator();
                    Map.Entry<GroupKey, List<Nlri>> eldest = it.next();
                    it.remove();
                    emitGroup(eldest.getKey(), eldest.getValue());
                }
                group = new ArrayList<>();
                open.put(key, group);
            }
            group.add(new Nlri(rib.prefix(), entry.pathId()));
            if (group.size() >= MAX_PREFIXES_PER_EVENT) {
                open.remove(key);
                emitGroup(key, group);
            }
        }
    }

    private void emitGroup(GroupKey k, List<Nlri> nlri) {
        emit(new BgpUpdateEvent(router, k.time(), VRF, k.peer(), k.peerAs(), "adj-in-post", k.attributes(),
                List.copyOf(nlri), List.of()), nlri.size());
    }

    private void update(MrtRecord.Update u) {
        String rib = u.local() ? "adj-out-post" : "adj-in-post";
        if (u.endOfRib() != null) {
            emit(new EndOfRibEvent(router, u.time(), VRF, u.peer(), u.peerAs(), u.endOfRib()), 0);
            return;
        }
        List<Nlri> withdraw = u.withdraw();
        for (io.meshwatch.bgp.UpdateMessage.Announce a : u.announces()) {
            emit(new BgpUpdateEvent(router, u.time(), VRF, u.peer(), u.peerAs(), rib, a.attributes(), a.nlri(),
                    withdraw), a.nlri().size() + withdraw.size());
            withdraw = List.of();
        }
        if (!withdraw.isEmpty()) {
            emit(new BgpUpdateEvent(router, u.time(), VRF, u.peer(), u.peerAs(), rib, null, List.of(), withdraw),
                    withdraw.size());
        }
    }

    private void emit(CanonicalEvent e, int prefixCount) {
        events++;
        prefixes += prefixCount;
        sink.accept(e);
    }
}
