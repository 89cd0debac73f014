package io.meshwatch.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PrefixTest {

    @ParameterizedTest
    @CsvSource({
        "10.0.0.0/8, 10.0.0.0/8",
        "0.0.0.0/0, 0.0.0.0/0",
        "255.255.255.255/32, 255.255.255.255/32",
        "2001:0DB8::/32, 2001:db8::/32",
        "2001:db8:0:0:1:0:0:1/128, 2001:db8::1:0:0:1/128",
        "2001:db8:0:1:1:1:1:1/128, 2001:db8:0:1:1:1:1:1/128",
        "2001:0:0:1:0:0:0:0/64, 2001:0:0:1::/64",
        "0:0:0:0:0:0:0:0/0, ::/0",
        "0:0:0:0:0:0:0:1/128, ::1/128",
        "::ffff:192.0.2.128/128, ::ffff:c000:280/128",
        "fe80:0:0:0:0:0:0:0/10, fe80::/10"
    })
    void formatsCanonicallyPerRfc5952(String in, String canonical) {
        Prefix p = Prefix.parse(in);
        assertEquals(canonical, p.toString());
        assertEquals(p, Prefix.parse(canonical));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1/8", "192.168.1.0/16", "2001:db8::1/32", "::1/127", "1.0.0.0/0"})
    void rejectsHostBits(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Prefix.parse(text));
        assertTrue(e.getMessage().contains("host bits"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.0.0.0", "10.0.0/8", "10.0.0.0.0/8", "256.0.0.0/8", "10.0.0.0/33", "10.0.0.0/-1",
        "10.0.0.0/x", "::/129", "2001:db8::1::/64", "2001:db8:::/64", "12345::/16", "g::/16", "1:2:3:4:5:6:7:8:9/128",
        "hello/8", "1.2.3.4 /32"})
    void rejectsBadText(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Prefix.parse(text));
        assertTrue(e.getMessage().contains(text.isEmpty() ? "''" : text.substring(0, Math.min(3, text.length()))),
                e.getMessage());
    }

    @Test
    void ordersByFamilyAddressThenLength() {
        assertTrue(Prefix.parse("10.0.0.0/8").compareTo(Prefix.parse("10.0.0.0/16")) < 0);
        assertTrue(Prefix.parse("10.0.0.0/16").compareTo(Prefix.parse("10.1.0.0/16")) < 0);
        assertTrue(Prefix.parse("200.0.0.0/8").compareTo(Prefix.parse("10.0.0.0/8")) > 0, "unsigned");
        assertTrue(Prefix.parse("255.0.0.0/8").compareTo(Prefix.parse("::/0")) < 0);
    }

    @Test
    void coversNestedOnly() {
        assertTrue(Prefix.parse("10.0.0.0/8").covers(Prefix.parse("10.1.0.0/16")));
        assertTrue(!Prefix.parse("10.1.0.0/16").covers(Prefix.parse("10.0.0.0/8")));
        assertTrue(Prefix.parse("::/0").covers(Prefix.parse("2001:db8::/32")));
        assertTrue(!Prefix.parse("2001:db8::/32").covers(Prefix.parse("2001:db9::/32")));
    }

    @Test
    void asPathTextRoundTripsAndCountsUnsigned() {
        AsPath p = AsPath.parse("4200000000 65001 {3,1,2}");
        assertEquals("4200000000 65001 {3,1,2}", p.toString());
        assertEquals(3, p.decisionLength());
        assertEquals(AsPathSegmentType.AS_SET, p.segmentType(1));
        assertEquals(4200000000L, Integer.toUnsignedLong(p.firstAs()));
        assertThrows(IllegalArgumentException.class, () -> AsPath.parse("65001 4294967296"));
    }

    @Test
    void communitiesAreSetsInUnsignedOrder() {
        Communities a = Communities.of(new int[] {0xFFFF0001, 5, 5}, new long[] {2, 1}, new int[] {2, 0, 0, 1, 9, 9});
        Communities b = Communities.of(new int[] {5, 0xFFFF0001}, new long[] {1, 2}, new int[] {1, 9, 9, 2, 0, 0});
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(2, a.standardCount());
        assertEquals(5, a.standard(0));
        assertTrue(a.hasStandard(0xFFFF0001));
        assertThrows(IllegalArgumentException.class, () -> Communities.of(new int[0], new long[0], new int[] {1, 2}));
    }
}
