package io.meshwatch.rib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.meshwatch.rib.RibService.RouterImage;
import io.meshwatch.routing.AsPath;
import io.meshwatch.routing.BgpUpdate;
import io.meshwatch.routing.IpAddress;
import io.meshwatch.routing.Nlri;
import io.meshwatch.routing.PathAttributes;
import io.meshwatch.routing.Peer;
import io.meshwatch.routing.RibSnapshot;
import io.meshwatch.routing.RouteTable;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The partition image keeps every router's table, its local AS and its peer keys. */
class PartitionSnapshotTest {

    @Test
    void roundTripOfRoutersWithAndWithoutTables() throws IOException {
        Clock clock = Clock.systemUTC();
        RouteTable table = new RouteTable(64500, clock);
        Peer peer = new Peer("", IpAddress.parse("2001:db8::1"), 65001, 0);
        table.apply(BgpUpdate.announce(peer, PathAttributes.builder().asPath(AsPath.sequence(65001))
                .nextHop(IpAddress.parse("2001:db8::1")).build(), Nlri.of("2001:db8:100::/40"), Nlri.of("10.0.0.0/8")));
        List<RouterImage> images = List.of(
                new RouterImage("r1", 64500L, table, Map.of("default\n2001:DB8::1", peer)),
                new RouterImage("r2", 64501L, null, Map.of()));

        PartitionSnapshot.Encoded e = PartitionSnapshot.encode(images);
        assertEquals(2, e.routers());
        assertEquals(2, e.paths());
        List<RouterImage> back = PartitionSnapshot.decode(e.data(), clock);

        assertEquals(2, back.size());
        assertEquals("r1", back.get(0).router());
        assertEquals(64500L, back.get(0).localAs());
        assertEquals(Map.of("default\n2001:DB8::1", peer), back.get(0).peers());
        assertEquals(RibSnapshot.digest(table), RibSnapshot.digest(back.get(0).table()));
        assertEquals(64501L, back.get(1).localAs());
        assertNull(back.get(1).table());
    }

    @Test
    void refusesGarbage() {
        assertThrows(IOException.class, () -> PartitionSnapshot.decode(new byte[] {1, 2, 3}, Clock.systemUTC()));
    }
}
