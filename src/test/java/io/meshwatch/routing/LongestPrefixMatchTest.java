package io.meshwatch.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LongestPrefixMatchTest {

    private final PrefixIndex v4 = new PrefixIndex(Afi.IPV4);
    private final PrefixIndex v6 = new PrefixIndex(Afi.IPV6);

    private String match(String address) {
        IpAddress a = IpAddress.parse(address);
        PrefixIndex idx = a.afi() == Afi.IPV4 ? v4 : v6;
        int id = a.afi() == Afi.IPV4 ? idx.longestMatchIpv4(a.ipv4Value()) : idx.longestMatchIpv6(a.hi(), a.lo());
        return id < 0 ? null : idx.prefix(id).toString();
    }

    private void add(String prefix) {
        Prefix p = Prefix.parse(prefix);
        (p.afi() == Afi.IPV4 ? v4 : v6).add(p);
    }

    private void remove(String prefix) {
        Prefix p = Prefix.parse(prefix);
        PrefixIndex idx = p.afi() == Afi.IPV4 ? v4 : v6;
        idx.remove(idx.find(p));
    }

    @Test
    void ipv4NestedPrefixesDefaultAndHostRoutes() {
        assertEquals(null, match("10.1.2.3"));
        add("0.0.0.0/0");
        add("10.0.0.0/8");
        add("10.1.0.0/16");
        add("10.1.2.0/24");
        add("10.1.2.3/32");
        add("10.1.2.128/25");
        assertEquals("10.1.2.3/32", match("10.1.2.3"));
        assertEquals("10.1.2.0/24", match("10.1.2.4"));
        assertEquals("10.1.2.128/25", match("10.1.2.200"));
        assertEquals("10.1.0.0/16", match("10.1.3.1"));
        assertEquals("10.0.0.0/8", match("10.200.0.1"));
        assertEquals("0.0.0.0/0", match("11.0.0.1"));
        assertEquals("0.0.0.0/0", match("255.255.255.255"));
    }

    @Test
    void ipv4RemovalFallsBackToCoveringPrefix() {
        add("0.0.0.0/0");
        add("10.0.0.0/8");
        add("10.1.0.0/16");
        add("10.1.2.0/24");
        add("10.1.2.3/32");
        remove("10.1.0.0/16");
        assertEquals("10.1.2.3/32", match("10.1.2.3"));
        assertEquals("10.0.0.0/8", match("10.1.3.1"));
        remove("10.1.2.3/32");
        assertEquals("10.1.2.0/24", match("10.1.2.3"));
        remove("10.1.2.0/24");
        assertEquals("10.0.0.0/8", match("10.1.2.3"));
        remove("0.0.0.0/0");
        assertEquals(null, match("11.0.0.1"));
        remove("10.0.0.0/8");
        assertEquals(null, match("10.1.2.3"));
        assertEquals(0, v4.trieChunks(), "chunks freed once nothing longer than /16 is left");
    }

    @Test
    void ipv6NestedPrefixesDefaultAndHostRoutes() {
        add("::/0");
        add("2001:db8::/32");
        add("2001:db8:1::/48");
        add("2001:db8:1:2::/64");
        add("2001:db8:1:2::1/128");
        assertEquals("2001:db8:1:2::1/128", match("2001:db8:1:2::1"));
        assertEquals("2001:db8:1:2::/64", match("2001:db8:1:2::2"));
        assertEquals("2001:db8:1::/48", match("2001:db8:1:3::1"));
        assertEquals("2001:db8::/32", match("2001:db8:ffff::1"));
        assertEquals("::/0", match("2001:db9::1"));
        remove("2001:db8:1:2::1/128");
        assertEquals("2001:db8:1:2::/64", match("2001:db8:1:2::1"));
        remove("2001:db8:1::/48");
        assertEquals("2001:db8:1:2::/64", match("2001:db8:1:2::1"));
        assertEquals("2001:db8::/32", match("2001:db8:1:3::1"));
        remove("::/0");
        assertEquals(null, match("2001:db9::1"));
        remove("2001:db8::/32");
        remove("2001:db8:1:2::/64");
        assertEquals(null, match("2001:db8:1:2::1"));
        assertEquals(0, v6.trieChunks());
    }

    @Test
    void ipv4TrieMatchesBruteForceOverRandomPrefixes() {
        randomized(Afi.IPV4, 42);
    }

    @Test
    void ipv6TrieMatchesBruteForceOverRandomPrefixes() {
        randomized(Afi.IPV6, 43);
    }

    /** Inserts and removes thousands of random nested prefixes, checking every lookup by brute force. */
    private void randomized(Afi afi, long seed) {
        Random rnd = new Random(seed);
        PrefixIndex idx = afi == Afi.IPV4 ? v4 : v6;
        Map<Prefix, Boolean> present = new HashMap<>();
        List<Prefix> live = new ArrayList<>();
        // cluster prefixes under a few roots so that they nest deeply
        long[] roots = new long[8];
        for (int i = 0; i < roots.length; i++) {
            roots[i] = rnd.nextLong();
        }
        for (int round = 0; round < 6; round++) {
            for (int i = 0; i < 1500; i++) {
                Prefix p = randomPrefix(afi, rnd, roots);
                if (present.putIfAbsent(p, true) == null) {
                    idx.add(p);
                    live.add(p);
                }
            }
            for (int i = 0; i < 600 && !live.isEmpty(); i++) {
                Prefix p = live.remove(rnd.nextInt(live.size()));
                present.remove(p);
                idx.remove(idx.find(p));
            }
            for (int q = 0; q < 3000; q++) {
                long[] addr = randomAddress(afi, rnd, roots, live);
                Prefix expected = null;
                for (Prefix p : live) {
                    if (covers(p, addr) && (expected == null || p.length() > expected.length())) {
                        expected = p;
                    }
                }
                int id = afi == Afi.IPV4 ? idx.longestMatchIpv4((int) addr[1]) : idx.longestMatchIpv6(addr[0], addr[1]);
                assertEquals(expected, id < 0 ? null : idx.prefix(id), "round " + round + " query " + q);
            }
            assertEquals(live.size(), idx.size());
        }
    }

    private static Prefix randomPrefix(Afi afi, Random rnd, long[] roots) {
        int bits = afi.bits();
        int len = rnd.nextInt(10) == 0 ? rnd.nextInt(bits + 1) : bits / 4 + rnd.nextInt(bits - bits / 4 + 1);
        long hi = roots[rnd.nextInt(roots.length)] ^ (rnd.nextLong() >>> (8 + rnd.nextInt(40)));
        long lo = rnd.nextLong();
        if (afi == Afi.IPV4) {
            int a = (int) (hi >>> 32);
            return Prefix.ipv4(a & Prefix.mask32(len), len);
        }
        return Prefix.ipv6(hi & Prefix.mask64(len), lo & Prefix.mask64(len - 64), len);
    }

    private static long[] randomAddress(Afi afi, Random rnd, long[] roots, List<Prefix> live) {
        if (!live.isEmpty() && rnd.nextBoolean()) {
            // an address inside a live prefix, random host bits
            Prefix p = live.get(rnd.nextInt(live.size()));
            long hostHi = rnd.nextLong();
            long hostLo = rnd.nextLong();
            if (afi == Afi.IPV4) {
                return new long[] {0, (p.lo() | (hostLo & ~Prefix.mask32(p.length()))) & 0xFFFF_FFFFL};
            }
            return new long[] {p.hi() | (hostHi & ~Prefix.mask64(p.length())), p.lo() | (hostLo & ~Prefix.mask64(p.length() - 64))};
        }
        long hi = roots[rnd.nextInt(roots.length)] ^ (rnd.nextLong() >>> rnd.nextInt(64));
        return afi == Afi.IPV4 ? new long[] {0, hi >>> 32} : new long[] {hi, rnd.nextLong()};
    }

    private static boolean covers(Prefix p, long[] addr) {
        if (p.afi() == Afi.IPV4) {
            return ((int) addr[1] & Prefix.mask32(p.length())) == p.ipv4Address();
        }
        return (addr[0] & Prefix.mask64(p.length())) == p.hi() && (addr[1] & Prefix.mask64(p.length() - 64)) == p.lo();
    }
}
