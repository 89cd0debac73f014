package io.meshwatch.alerting;

import io.meshwatch.detect.Incident;
import io.meshwatch.detect.Signal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The alert writer's queue (plain Java): detection's signals and incident snapshots in the order
 * they happened, waiting to be written, for as long as the database is away.
 *
 * <p>Policy, so that memory stays bounded and nothing that matters is lost:
 * <ul>
 *   <li>Every transition (a firing or a resolved signal) is kept, in order, never merged: each is a
 *       state change that must be stored and notified.</li>
 *   <li>A re-statement ({@link Signal#update()}: incident, inhibition and annotations refreshed) is
 *       replaced by a later re-statement of the same alert: only the latest state of those fields is
 *       what must be stored. An incident snapshot is replaced by a later snapshot of the same incident
 *       (its row is an upsert of the whole snapshot). The replacement takes the place at the end of
 *       the queue; the one replaced is gone.</li>
 *   <li>The item being written ({@link #head()}) is never replaced or removed but by {@link #done}.</li>
 *   <li>At {@code limit} items a new item is refused ({@link #add} returns false): the caller counts
 *       and logs it. The limit is far above what a network outage produces (a circuit cut is a
 *       handful of transitions), so reaching it means a storm of distinct alerts during a long
 *       database outage.</li>
 * </ul>
 *
 * <p>Each item keeps the instant it was queued: the writer applies it as of that instant, so the
 * alert's transitions carry the time detection decided them, not the time the database came back.
 *
 * <p>Threading: every method is synchronized; detection adds on its thread, the writer takes and
 * removes on its own context.
 */
final class AlertBacklog {

    /** One queued signal or incident snapshot and when it was queued. */
    record Item(long seq, Object work, Instant queuedAt) {
    }

    private final int limit;
    private final LinkedHashMap<Long, Item> items = new LinkedHashMap<>();
    /** Coalescing key (update of a fingerprint, snapshot of an incident) to the queued item's sequence. */
    private final Map<String, Long> replaceable = new HashMap<>();
    private long next;
    private long inFlight = -1;
    private long coalesced;

    AlertBacklog(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        this.limit = limit;
    }

    /** Queues a signal or incident snapshot; false when it was refused because the backlog is full. */
    synchronized boolean add(Object work, Instant now) {
        String key = keyOf(work);
        if (key != null) {
            Long old = replaceable.remove(key);
            if (old != null && old != inFlight && items.remove(old) != null) {
                coalesced++;
            }
        }
        if (items.size() >= limit) {
            return false;
        }
        long seq = next++;
        items.put(seq, new Item(seq, work, now));
        if (key != null) {
            replaceable.put(key, seq);
        }
        return true;
    }

    /** The oldest item, now being written (never replaced until {@link #done}); null when empty. */
    synchronized Item head() {
        Iterator<Item> it = items.values().iterator();
        if (!it.hasNext()) {
            return null;
        }
        Item head = it.next();
        inFlight = head.seq();
        return head;
    }

    /** The item was written (or set aside): it leaves the queue. */
    synchronized void done(Item item) {
        items.remove(item.seq());
        String key = keyOf(item.work());
        if (key != null) {
            replaceable.remove(key, item.seq());
        }
        if (inFlight == item.seq()) {
            inFlight = -1;
        }
    }

    synchronized int size() {
        return items.size();
    }

    /** How many queued items were replaced by a later one of the same key, since the start. */
    synchronized long coalesced() {
        return coalesced;
    }

    /** How long the oldest item has waited; zero when empty. */
    synchronized Duration oldest(Instant now) {
        Iterator<Item> it = items.values().iterator();
        if (!it.hasNext()) {
            return Duration.ZERO;
        }
        Duration d = Duration.between(it.next().queuedAt(), now);
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** The queued work, oldest first (for the shutdown report and tests). */
    synchronized List<Object> contents() {
        List<Object> out = new ArrayList<>(items.size());
        items.values().forEach(i -> out.add(i.work()));
        return out;
    }

    /** The key under which a later item replaces this one, or null when it is never replaced. */
    private static String keyOf(Object work) {
        if (work instanceof Signal s) {
            return s.update() ? "update " + s.fingerprint() : null;
        }
        if (work instanceof Incident i) {
            return "incident " + i.id();
        }
        throw new IllegalArgumentException("not a signal or incident: " + work);
    }
}
