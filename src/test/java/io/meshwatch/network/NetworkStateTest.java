package io.meshwatch.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.event.BgpState;
import io.meshwatch.event.PeerStateEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkStateTest {

    static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");
    final NetworkState state = new NetworkState(Clock.fixed(T0.plusSeconds(1000), ZoneOffset.UTC));

    static PeerStateEvent ev(String peer, BgpState st, long atSeconds) {
        return new PeerStateEvent("r1", T0.plusSeconds(atSeconds), "default", peer, 64512, 64500L, st, "why");
    }

    @Test
    void firstEventCreatesSession() {
        SessionChange c = state.apply(ev("10.0.0.1", BgpState.ESTABLISHED, 0)).orElseThrow();
        assertNull(c.before());
        assertTrue(c.stateChanged());
        assertEquals(T0, c.after().since());
        assertEquals(List.of(new RouterSummary("r1", 1, 1)), state.routers());
    }

    @Test
    void sameStateAgainChangesNothing() {
        state.apply(ev("10.0.0.1", BgpState.ESTABLISHED, 0));
        assertTrue(state.apply(ev("10.0.0.1", BgpState.ESTABLISHED, 30)).isEmpty());
        assertEquals(T0, state.sessions("r1").orElseThrow().get(0).since(), "since is when it entered the state");
    }

    @Test
    void aRestatementMovesTheNewestEventOnSoAnOlderEventAfterItIsStale() {
        state.apply(ev("10.0.0.1", BgpState.ESTABLISHED, 0));
        assertTrue(state.apply(ev("10.0.0.1", BgpState.ESTABLISHED, 10)).isEmpty(), "a restatement is no change");
        assertEquals(T0.plusSeconds(10), state.sessions("r1").orElseThrow().get(0).lastEvent());
        assertTrue(state.apply(ev("10.0.0.1", BgpState.IDLE, 5)).isEmpty(), "older than the restatement: stale");
        assertEquals(BgpState.ESTABLISHED, state.sessions("r1").orElseThrow().get(0).state());
    }

    @Test
    void leavingEstablishedCountsAFlap() {
        state.apply(ev("10.0.0.1", BgpState.ESTABLISHED, 0));
        state.apply(ev("10.0.0.1", BgpState.IDLE, 10));
        state.apply(ev("10.0.0.1", BgpState.CONNECT, 11));
        state.apply(ev("10.0.0.1", BgpState.ESTABLISHED, 20));
        state.apply(ev("10.0.0.1", BgpState.ACTIVE, 30));
        BgpSession s = state.sessions("r1").orElseThrow().get(0);
        assertEquals(2, s.flaps(), "two drops from established; idle->connect is not a flap");
        assertEquals(BgpState.ACTIVE, s.state());
        assertEquals(T0.plusSeconds(30), s.since());
        assertEquals(new RouterSummary("r1", 1, 0), state.routers().get(0));
    }

    @Test
    void staleEventAfterNewerOneIsIgnored() {
        state.apply(ev("10.0.0.1", BgpState.ESTABLISHED, 0));
        state.apply(ev("10.0.0.1", BgpState.IDLE, 10));
        assertTrue(state.apply(ev("10.0.0.1", BgpState.ESTABLISHED, 5)).isEmpty(), "a replay of an older event");
        assertEquals(BgpState.IDLE, state.sessions("r1").orElseThrow().get(0).state());
    }

    @Test
    void restoredSessionsContinueWhereTheyWere() {
        BgpSession saved = new BgpSession("r1", "default", "10.0.0.1", 64512, 64500L, BgpState.ESTABLISHED, T0, T0,
                3, null, T0);
        state.restore(List.of(saved));
        assertTrue(state.apply(ev("10.0.0.1", BgpState.ESTABLISHED, 0)).isEmpty(), "replayed event is a no-op");
        SessionChange c = state.apply(ev("10.0.0.1", BgpState.IDLE, 60)).orElseThrow();
        assertEquals(4, c.after().flaps());
        assertEquals(saved, c.before());
    }

    @Test
    void sessionsAreSortedAndUnknownRouterIsEmpty() {
        state.apply(ev("10.0.0.9", BgpState.ESTABLISHED, 0));
        state.apply(ev("10.0.0.10", BgpState.ESTABLISHED, 0));
        state.apply(ev("2001:db8::1", BgpState.ESTABLISHED, 0));
        state.apply(new PeerStateEvent("r1", T0, "blue", "10.0.0.1", 1, null, BgpState.IDLE, null));
        List<String> order = state.sessions("r1").orElseThrow().stream().map(s -> s.vrf() + "/" + s.peer()).toList();
        assertEquals(List.of("blue/10.0.0.1", "default/10.0.0.9", "default/10.0.0.10", "default/2001:db8::1"), order,
                "VRF, then addresses in numeric order with IPv4 first");
        assertFalse(state.sessions("r2").isPresent());
        assertFalse(state.knowsRouter("r2"));
    }
}
