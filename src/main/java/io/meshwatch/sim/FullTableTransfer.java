package io.meshwatch.sim;

import io.meshwatch.event.BgpUpdateEvent;
import io.meshwatch.event.Nlri;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A full internet table sent by a router's transit peer: the updates of a {@link SyntheticTable}
 * (1..8 prefixes sharing one attribute set, as routers pack a real table), or, to take it back,
 * withdrawals of every prefix in updates of {@code updateSize}. Expands lazily, one update at a
 * time, so it costs no memory beyond the table itself.
 */
final class FullTableTransfer implements BgpOutbox.Item {

    private final SyntheticTable table;
    private final String router;
    private final String peer;
    private final long peerAs;
    private final String nextHop4;
    private final String nextHop6;
    private final int session;
    private final boolean withdraw;
    private final int updateSize;
    private int next;

    FullTableTransfer(SyntheticTable table, String router, String peer, long peerAs, String nextHop4, String nextHop6,
                      int session, boolean withdraw, int updateSize) {
        this.table = table;
        this.router = router;
        this.peer = peer;
        this.peerAs = peerAs;
        this.nextHop4 = nextHop4;
        this.nextHop6 = nextHop6;
        this.session = session;
        this.withdraw = withdraw;
        this.updateSize = updateSize;
    }

    @Override
    public int session() {
        return session;
    }

    private int total() {
        return withdraw ? table.ipv4Prefixes() + table.ipv6Prefixes() : table.groupCount();
    }

    @Override
    public int emit(Instant now, int maxEvents, long allowance, SimSink sink, long[] prefixesSent) {
        int events = 0;
        long left = allowance;
        while (next < total() && events < maxEvents && left >= 1) {
            BgpUpdateEvent e;
            if (withdraw) {
                int n = (int) Math.min(Math.min(updateSize, total() - next), left);
                List<Nlri> nlri = new ArrayList<>(n);
                for (int i = next; i < next + n; i++) {
                    nlri.add(new Nlri(table.prefix(i), 0));
                }
                next += n;
                e = new BgpUpdateEvent(router, now, "default", peer, peerAs, "adj-in-post", null, List.of(), nlri);
            } else {
                e = table.event(next++, router, now, peer, peerAs, nextHop4, nextHop6);
            }
            int prefixes = e.announce().size() + e.withdraw().size();
            left -= prefixes;
            prefixesSent[0] += prefixes;
            sink.emit(e);
            events++;
        }
        return events;
    }

    @Override
    public boolean done() {
        return next >= total();
    }
}
