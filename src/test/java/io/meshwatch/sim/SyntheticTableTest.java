package io.meshwatch.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.routing.Afi;
import io.meshwatch.routing.Prefix;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The synthetic internet table carries no private or special-use IPv4 space, as a real one does not. */
class SyntheticTableTest {

    static final List<Prefix> BOGONS = List.of(Prefix.parse("10.0.0.0/8"), Prefix.parse("100.64.0.0/10"),
            Prefix.parse("127.0.0.0/8"), Prefix.parse("169.254.0.0/16"), Prefix.parse("172.16.0.0/12"),
            Prefix.parse("192.168.0.0/16"));

    @Test
    void noIpv4PrefixFallsInPrivateOrSpecialUseSpace() {
        SyntheticTable t = new SyntheticTable(7, 400_000, 0, 2, 100, 10);
        List<Prefix> inside = new ArrayList<>();
        for (int i = 0; i < t.ipv4Prefixes(); i++) {
            Prefix p = t.prefix(i);
            assertEquals(Afi.IPV4, p.afi());
            BOGONS.stream().filter(b -> b.covers(p) || p.covers(b)).findFirst().ifPresent(b -> inside.add(p));
        }
        assertEquals(List.of(), inside);
    }

    @Test
    void theBogonTestOnBothSidesOfEachRange() {
        assertTrue(SyntheticTable.bogon(Prefix.parse("10.255.0.0/16").ipv4Address()));
        assertFalse(SyntheticTable.bogon(Prefix.parse("11.0.0.0/16").ipv4Address()));
        assertTrue(SyntheticTable.bogon(Prefix.parse("100.64.0.0/16").ipv4Address()));
        assertTrue(SyntheticTable.bogon(Prefix.parse("100.127.0.0/16").ipv4Address()));
        assertFalse(SyntheticTable.bogon(Prefix.parse("100.128.0.0/16").ipv4Address()));
        assertFalse(SyntheticTable.bogon(Prefix.parse("100.63.0.0/16").ipv4Address()));
        assertTrue(SyntheticTable.bogon(Prefix.parse("172.31.0.0/16").ipv4Address()));
        assertFalse(SyntheticTable.bogon(Prefix.parse("172.32.0.0/16").ipv4Address()));
        assertTrue(SyntheticTable.bogon(Prefix.parse("192.168.0.0/16").ipv4Address()));
        assertFalse(SyntheticTable.bogon(Prefix.parse("192.169.0.0/16").ipv4Address()));
        assertTrue(SyntheticTable.bogon(Prefix.parse("169.254.0.0/16").ipv4Address()));
        assertTrue(SyntheticTable.bogon(Prefix.parse("127.0.0.0/16").ipv4Address()));
    }
}
