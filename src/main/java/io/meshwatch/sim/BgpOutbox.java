package io.meshwatch.sim;

import io.meshwatch.event.BgpAttributes;
import io.meshwatch.event.BgpUpdateEvent;
import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.event.Nlri;
import io.meshwatch.routing.Prefix;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The BGP events waiting to go out, in one FIFO so that each router's events keep their order
 * (peer up, then its table, then End-of-RIB; a withdrawal after the announcement it undoes).
 * Table transfers are items that expand into {@code bgp.update}s lazily, so a million-prefix table
 * costs no memory until it is sent, and are paced by the burst limit (prefixes per second, token
 * bucket holding at most one second's worth; 0 = unlimited). Nothing crosses a cut path: a
 * session's items wait while its transport is down, and a session going down cancels what is still
 * queued for it, as a router stops sending on a dead session.
 *
 * <p>Plain Java; confined to the simulator's thread.
 */
final class BgpOutbox {

    /** Something to send for a session (or -1 for none in particular). */
    interface Item {
        int session();

        /**
         * Emits events at {@code now}, at most {@code maxEvents} and about {@code prefixes} prefixes
         * (at least one prefix when it has any); returns the events emitted.
         */
        int emit(Instant now, int maxEvents, long prefixes, SimSink sink, long[] prefixesSent);

        boolean done();
    }

    private final double burst;
    private final int updateSize;
    private final Deque<Item> queue = new ArrayDeque<>();
    private double tokens;
    private Instant last;
    private long prefixesSent;

    BgpOutbox(double burstPerSecond, int updateSize) {
        this.burst = burstPerSecond;
        this.updateSize = updateSize;
    }

    void add(CanonicalEvent event, int session) {
        queue.add(new OneShot(event, session));
    }

    void add(Item item) {
        queue.add(item);
    }

    /** Announcements ({@code attributes} set) or withdrawals of {@code prefixes} by one router from one peer. */
    void prefixes(String router, String peer, long peerAs, BgpAttributes attributes, List<Prefix> prefixes, int session) {
        if (!prefixes.isEmpty()) {
            queue.add(new Prefixes(router, peer, peerAs, attributes, prefixes, session, updateSize));
        }
    }

    /** Drops whatever is still queued for {@code session}. */
    void cancel(int session) {
        queue.removeIf(i -> i.session() == session);
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Items still queued (a table transfer counts once). */
    int pending() {
        return queue.size();
    }

    long prefixesSent() {
        return prefixesSent;
    }

    /**
     * Sends what the burst limit allows at {@code now}, at most {@code maxEvents} events, skipping the
     * items of sessions {@code held} says cannot pass now (their path is cut while the hold timer
     * runs: they wait, in order, and go when it is back or are cancelled when the session drops).
     * Returns true when it stopped because of {@code maxEvents} with more that could go now.
     */
    boolean drain(Instant now, int maxEvents, SimSink sink, IntPredicate held) {
        if (burst > 0) {
            if (last == null) {
                tokens = Math.max(burst, 1);
            } else if (now.isAfter(last)) {
                double elapsed = Duration.between(last, now).toNanos() / 1e9;
                tokens = Math.min(Math.max(burst, updateSize), tokens + elapsed * burst);
            }
            last = now;
        }
        int events = 0;
        long[] sent = new long[1];
        for (Iterator<Item> it = queue.iterator(); it.hasNext() && events < maxEvents; ) {
            Item item = it.next();
            if (item.session() >= 0 && held.test(item.session())) {
                continue;
            }
            long allowance = burst > 0 ? (long) tokens : Long.MAX_VALUE;
            if (allowance < 1 && !(item instanceof OneShot)) {
                break;
            }
            sent[0] = 0;
            events += item.emit(now, maxEvents - events, allowance, sink, sent);
            prefixesSent += sent[0];
            if (burst > 0) {
                tokens -= sent[0];
            }
            if (!item.done()) {
                break; // out of events or tokens in the middle of a transfer: it keeps its place
            }
            it.remove();
        }
        return events >= maxEvents && !queue.isEmpty();
    }

    /** One event, sent as it is (its time is when it happened, not when it is sent). */
    private static final class OneShot implements Item {
        private final CanonicalEvent event;
        private final int session;
        private boolean sent;

        OneShot(CanonicalEvent event, int session) {
            this.event = event;
            this.session = session;
        }

        @Override
        public int session() {
            return session;
        }

        @Override
        public int emit(Instant now, int maxEvents, long prefixes, SimSink sink, long[] prefixesSent) {
            sink.emit(event);
            if (event instanceof BgpUpdateEvent u) {
                prefixesSent[0] += u.announce().size() + u.withdraw().size();
            }
            sent = true;
            return 1;
        }

        @Override
        public boolean done() {
            return sent;
        }
    }

    /** A list of prefixes announced with one attribute set, or withdrawn, in updates of {@code size}. */
    private static final class Prefixes implements Item {
        private final String router;
        private final String peer;
        private final long peerAs;
        private final BgpAttributes attributes;
        private final List<Prefix> prefixes;
        private final int session;
        private final int size;
        private int next;

        Prefixes(String router, String peer, long peerAs, BgpAttributes attributes, List<Prefix> prefixes,
                 int session, int size) {
            this.router = router;
            this.peer = peer;
            this.peerAs = peerAs;
            this.attributes = attributes;
            this.prefixes = prefixes;
            this.session = session;
            this.size = size;
        }

        @Override
        public int session() {
            return session;
        }

        @Override
        public int emit(Instant now, int maxEvents, long allowance, SimSink sink, long[] prefixesSent) {
            int events = 0;
            long left = allowance;
            while (next < prefixes.size() && events < maxEvents && left >= 1) {
                int n = (int) Math.min(Math.min(size, prefixes.size() - next), left);
                List<Nlri> nlri = new ArrayList<>(n);
                for (int i = next; i < next + n; i++) {
                    nlri.add(new Nlri(prefixes.get(i), 0));
                }
                next += n;
                left -= n;
                prefixesSent[0] += n;
                sink.emit(new BgpUpdateEvent(router, now, "default", peer, peerAs, "adj-in-post", attributes,
                        attributes == null ? List.of() : nlri, attributes == null ? nlri : List.of()));
                events++;
            }
            return events;
        }

        @Override
        public boolean done() {
            return next >= prefixes.size();
        }
    }
}
