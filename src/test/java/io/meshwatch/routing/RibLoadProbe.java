package io.meshwatch.routing;

import java.util.Random;
import java.util.SplittableRandom;

/**
 * Rough memory and speed probe, not a unit test: loads synthetic full tables into one
 * {@link RouteTable} and prints heap bytes per path after GC, load rate and a single-thread
 * longest-match rate. Run with e.g.
 * {@code java -Xmx4g -cp target/classes:target/test-classes io.meshwatch.routing.RibLoadProbe 1000000 250000 2}.
 * Arguments: IPv4 prefixes, IPv6 prefixes, peers (each peer announces every prefix).
 */
public final class RibLoadProbe {

    private RibLoadProbe() {
    }

    public static void main(String[] args) {
        int n4 = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int n6 = args.length > 1 ? Integer.parseInt(args[1]) : 250_000;
        int peerCount = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int asPathsPerPeer = 70_000 / peerCount;
        int communitySets = 20_000;

        long base = usedAfterGc();
        RouteTable table = new RouteTable(65000, Fixtures.CLOCK);
        Peer[] peers = new Peer[peerCount];
        AsPath[][] paths = new AsPath[peerCount][asPathsPerPeer];
        Random rnd = new Random(1);
        for (int p = 0; p < peerCount; p++) {
            int peerAs = 100 + p;
            peers[p] = new Peer("", IpAddress.ipv4(0x0A000001 + p), peerAs, 0x01010101 * (p + 1));
            for (int i = 0; i < asPathsPerPeer; i++) {
                int[] as = new int[2 + rnd.nextInt(6)];
                as[0] = peerAs;
                for (int k = 1; k < as.length; k++) {
                    as[k] = 1000 + rnd.nextInt(80_000);
                }
                paths[p][i] = AsPath.sequence(as);
            }
        }
        Communities[] comms = new Communities[communitySets];
        for (int i = 0; i < communitySets; i++) {
            int[] c = new int[1 + rnd.nextInt(6)];
            for (int k = 0; k < c.length; k++) {
                c[k] = (65000 + rnd.nextInt(500)) << 16 | rnd.nextInt(1000);
            }
            comms[i] = Communities.of(c, new long[0], i % 10 == 0 ? new int[] {65000, i, 1} : new int[0]);
        }

        long t0 = System.nanoTime();
        long announced = 0;
        for (int p = 0; p < peerCount; p++) {
            SplittableRandom pr = new SplittableRandom(7); // same prefixes for every peer
            for (int i = 0; i < n4 + n6; i++) {
                Prefix prefix = i < n4 ? randomV4(pr) : randomV6(pr);
                int asIdx = (int) (((i * 2654435761L) >>> 8) % asPathsPerPeer);
                PathAttributes a = PathAttributes.builder()
                        .asPath(paths[p][asIdx])
                        .communities(comms[(asIdx * 7 + (i & 3)) % communitySets])
                        .nextHop(prefix.afi() == Afi.IPV4 ? IpAddress.ipv4(0x0A000001 + p) : IpAddress.ipv6(0x20010db8L << 32, p + 1))
                        .med(asIdx % 3 == 0 ? 10 : 0)
                        .build();
                table.apply(BgpUpdate.announce(peers[p], a, Nlri.of(prefix)), d -> { });
                announced++;
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        paths = null;
        comms = null;
        long used = usedAfterGc() - base;
        int pathsStored = table.pathCount("", Afi.IPV4) + table.pathCount("", Afi.IPV6);
        int[] stats = table.internStats();
        System.out.printf("prefixes v4=%d v6=%d, paths=%d (announcements %d), attr sets=%d, as paths=%d, community sets=%d%n",
                table.prefixCount("", Afi.IPV4), table.prefixCount("", Afi.IPV6), pathsStored, announced, stats[0], stats[1], stats[2]);
        System.out.printf("heap after GC: %.1f MB, %.1f bytes/path, %.1f bytes/prefix%n", used / 1e6,
                (double) used / pathsStored, (double) used / (table.prefixCount("", Afi.IPV4) + table.prefixCount("", Afi.IPV6)));
        System.out.printf("load: %.2f s, %.0f announcements/s%n", secs, announced / secs);

        lookupRate(table, n4, n6);
        System.out.println("keep " + table.localAs());
    }

    private static void lookupRate(RouteTable table, int n4, int n6) {
        SplittableRandom r = new SplittableRandom(3);
        SplittableRandom prefixes = new SplittableRandom(7);
        int[] v4 = new int[1 << 20];
        long[] v6 = new long[1 << 21];
        for (int i = 0; i < v4.length; i++) {
            v4[i] = (int) (0x01000000L + r.nextLong(0xDF000000L - 0x01000000L));
        }
        for (int i = 0; i < n4; i++) {
            randomV4(prefixes); // skip to the IPv6 part of the sequence
        }
        for (int i = 0; i < v4.length; i++) {
            // half inside a loaded prefix with random host bits, half random
            Prefix p = i % 2 == 0 && i / 2 < n6 ? randomV6(prefixes) : null;
            v6[2 * i] = p != null ? p.hi() | (r.nextLong() & ~Prefix.mask64(p.length()))
                    : 0x2000000000000000L | r.nextLong() >>> 6;
            v6[2 * i + 1] = r.nextLong();
        }
        RibTable[] pair = table.ribsForProbe("");
        PrefixIndex idx4 = pair[0].index;
        PrefixIndex idx6 = pair[1].index;
        for (int rep = 0; rep < 3; rep++) {
            long hits = 0;
            long t = System.nanoTime();
            for (int i = 0; i < v4.length; i++) {
                hits += table.longestMatchIpv4("", v4[i]) != null ? 1 : 0;
            }
            double api4 = v4.length / ((System.nanoTime() - t) / 1e9) / 1e6;
            long hits6 = 0;
            t = System.nanoTime();
            for (int i = 0; i < v4.length; i++) {
                hits6 += table.longestMatchIpv6("", v6[2 * i], v6[2 * i + 1]) != null ? 1 : 0;
            }
            double api6 = v4.length / ((System.nanoTime() - t) / 1e9) / 1e6;
            long pfx = 0;
            t = System.nanoTime();
            for (int i = 0; i < v4.length; i++) {
                pfx += table.longestMatchingPrefix("", IpAddress.ipv4(v4[i])) != null ? 1 : 0;
            }
            double pfx4 = v4.length / ((System.nanoTime() - t) / 1e9) / 1e6;
            long sum = pfx;
            t = System.nanoTime();
            for (int i = 0; i < v4.length; i++) {
                sum += idx4.longestMatchIpv4(v4[i]);
            }
            double raw4 = v4.length / ((System.nanoTime() - t) / 1e9) / 1e6;
            t = System.nanoTime();
            for (int i = 0; i < v4.length; i++) {
                sum += idx6.longestMatchIpv6(v6[2 * i], v6[2 * i + 1]);
            }
            double raw6 = v4.length / ((System.nanoTime() - t) / 1e9) / 1e6;
            System.out.printf("lookup M/s: API (optimistic read + result record) v4 %.1f v6 %.1f | prefix-only API v4 %.1f | raw trie v4 %.1f v6 %.1f"
                    + " | hits v4 %d v6 %d (%d)%n", api4, api6, pfx4, raw4, raw6, hits, hits6, sum & 1);
        }
        System.out.printf("trie chunks v4=%d v6=%d, index bytes v4=%.1f MB v6=%.1f MB%n", idx4.trieChunks(),
                idx6.trieChunks(), idx4.memoryBytes() / 1e6, idx6.memoryBytes() / 1e6);
    }

    /** Roughly the length mix of the global IPv4 table, random addresses in 1.0.0.0-223.255.255.255. */
    private static Prefix randomV4(SplittableRandom r) {
        int x = r.nextInt(100);
        int len = x < 58 ? 24 : x < 68 ? 23 : x < 78 ? 22 : x < 84 ? 21 : x < 89 ? 20 : x < 93 ? 19 : x < 96 ? 18 : x < 98 ? 17 : 16;
        int addr = (int) (0x01000000L + r.nextLong(0xDF000000L - 0x01000000L));
        return Prefix.ipv4(addr & Prefix.mask32(len), len);
    }

    /** Roughly the IPv6 mix: mostly /48, /32 to /44, inside 2000::/6-ish space. */
    private static Prefix randomV6(SplittableRandom r) {
        int x = r.nextInt(100);
        int len = x < 50 ? 48 : x < 70 ? 32 : x < 80 ? 44 : x < 88 ? 40 : x < 93 ? 36 : x < 97 ? 29 : 64;
        long hi = 0x2000000000000000L | ((long) r.nextInt(4) << 56) | (r.nextLong() >>> 16);
        return Prefix.ipv6(hi & Prefix.mask64(len), 0, len);
    }

    private static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
