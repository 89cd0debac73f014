package io.meshwatch.rib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.meshwatch.event.BgpAttributes;
import io.meshwatch.event.BgpUpdateEvent;
import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.event.Nlri;
import io.meshwatch.routing.Prefix;
import io.meshwatch.testing.ManualClock;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Route-table gauges: one series per router, VRF and family, values read from the tables when asked. */
class RibGaugesTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final RibService rib = new RibService(new ManualClock(Instant.parse("2026-11-26T08:00:00Z")), registry);
    private final RibGauges gauges = new RibGauges(rib, registry, null);

    @Test
    void seriesFollowTheTablesAndValuesAreReadAtScrapeTime() {
        rib.apply(List.of(update("r1", "default", "192.0.2.1", "10.0.0.0/8", "10.1.0.0/16"),
                update("r1", "default", "192.0.2.2", "10.0.0.0/8"),
                update("r1", "blue", "192.0.2.1", "2001:db8::/32")));
        gauges.sync();
        assertEquals(2, value("meshwatch.rib.prefixes", "r1", "default", "ipv4"));
        assertEquals(3, value("meshwatch.rib.paths", "r1", "default", "ipv4"));
        assertEquals(0, value("meshwatch.rib.prefixes", "r1", "default", "ipv6"));
        assertEquals(1, value("meshwatch.rib.prefixes", "r1", "blue", "ipv6"));
        // a later change shows without another sync
        rib.apply(List.of(update("r1", "default", "192.0.2.1", "10.2.0.0/16")));
        assertEquals(3, value("meshwatch.rib.prefixes", "r1", "default", "ipv4"));
        // a router whose partition left the instance loses its series at the next sync
        rib.replace(List.of("r1"), List.of());
        gauges.sync();
        assertNull(registry.find("meshwatch.rib.prefixes").tag("router", "r1").gauge());
        assertEquals(4.0, registry.get("meshwatch.rib.updates.applied").counter().count());
    }

    private double value(String name, String router, String vrf, String family) {
        Gauge g = registry.get(name).tag("router", router).tag("vrf", vrf).tag("family", family).gauge();
        return g.value();
    }

    private static CanonicalEvent update(String router, String vrf, String peer, String... prefixes) {
        List<Nlri> announce = java.util.Arrays.stream(prefixes).map(p -> new Nlri(Prefix.parse(p), 0)).toList();
        BgpAttributes attrs = new BgpAttributes("igp", List.of(64512L), peer, null, null, List.of(), List.of(),
                List.of(), null, List.of(), false);
        return new BgpUpdateEvent(router, Instant.parse("2026-11-26T08:00:00Z"), vrf, peer, 64512L, "adj-in-post",
                attrs, announce, List.of());
    }
}
