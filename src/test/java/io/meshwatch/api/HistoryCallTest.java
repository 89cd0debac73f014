package io.meshwatch.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which forwarded router calls get the routing-history time to answer. */
class HistoryCallTest {

    @Test
    void historyCallsAreTheMrtExportTheHistoriesAndTablesAtAPastInstant() {
        assertTrue(ClusterCalls.historyCall("/api/v1/routers/r1/mrt"));
        assertTrue(ClusterCalls.historyCall("/api/v1/incidents/inc-1/route-changes?limit=50"));
        assertTrue(ClusterCalls.historyCall("/api/v1/routers/r1/mrt?at=2026-12-07T03%3A12%3A00Z"));
        assertTrue(ClusterCalls.historyCall("/api/v1/routers/r1/history?prefix=10.0.0.0/8"));
        assertTrue(ClusterCalls.historyCall("/api/v1/routers/r1/peers/10.0.0.1/history"));
        assertTrue(ClusterCalls.historyCall("/api/v1/routers/r1/routes?limit=5&at=2026-12-07T03:12:00Z"));
        assertTrue(ClusterCalls.historyCall("/api/v1/routers/r1/lookup?at=2026-12-07T03:12:00Z&ip=10.0.0.1"));
        assertFalse(ClusterCalls.historyCall("/api/v1/routers/r1/routes?limit=5"));
        assertFalse(ClusterCalls.historyCall("/api/v1/routers/r1/lookup?ip=10.0.0.1&vrf=at"));
        assertFalse(ClusterCalls.historyCall("/api/v1/routers/r1/routes?format=1"));
        assertFalse(ClusterCalls.historyCall("/api/v1/routers/r1/digest"));
        assertFalse(ClusterCalls.historyCall("/api/v1/routers/r1/peers"));
    }
}
