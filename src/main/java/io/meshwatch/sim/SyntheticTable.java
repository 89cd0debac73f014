package io.meshwatch.sim;

import io.meshwatch.event.BgpAttributes;
import io.meshwatch.event.BgpUpdateEvent;
import io.meshwatch.routing.AsPath;
import io.meshwatch.routing.BgpUpdate;
import io.meshwatch.routing.Communities;
import io.meshwatch.routing.IpAddress;
import io.meshwatch.routing.Nlri;
import io.meshwatch.routing.PathAttributes;
import io.meshwatch.routing.Peer;
import io.meshwatch.routing.Prefix;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A deterministic synthetic full table, for benchmarks and the simulator's full-table scenario:
 * {@code v4} IPv4 prefixes (about 58% /24, the rest /16../23 like the global table) and {@code v6}
 * IPv6 prefixes (mostly /48, /29../44 and some /64), all distinct, announced by every one of
 * {@code peers} eBGP peers. Prefixes are grouped into UPDATEs of 1..8 prefixes of one family sharing
 * one attribute set, as routers pack them; each peer sends the same groups with its own attributes.
 * The AS paths (1..9 hops, first hop the peer AS, {@code asPaths} distinct in all) and community
 * sets ({@code communitySets} distinct) are drawn per group.
 *
 * <p>The same table is available as routing-core {@link BgpUpdate}s ({@link #update}) and as
 * canonical {@link BgpUpdateEvent}s ({@link #event}), update for update; same seed, same table.
 * Memory: the prefixes are held as objects (about 40 bytes each); updates are built on demand.
 */
public final class SyntheticTable {

    public static final String VRF = "default";
    public static final String ROUTER = "bench-r1";
    public static final int LOCAL_AS = 64_512;
    /** Time of every update (and originated time of every MRT RIB entry). */
    public static final Instant TIME = Instant.parse("2026-11-26T08:00:00Z");
    /** BGP identifier of the collector that writes the table as an MRT dump. */
    public static final int COLLECTOR_ID = 0x0A00_00FE;
    private static final long SEED = 20261126L;

    private final int peers;
    private final Prefix[] prefixes;
    private final int v4;
    private final int[] groupStart;
    private final int[][] asPaths;
    private final Communities[] communities;
    private final long seed;

    public SyntheticTable(long seed, int v4, int v6, int peers, int asPaths, int communitySets) {
        this.seed = seed;
        this.peers = peers;
        this.v4 = v4;
        SplittableRandom r = new SplittableRandom(seed);
        this.prefixes = new Prefix[v4 + v6];
        Set<Prefix> seen = new HashSet<>(2 * (v4 + v6));
        for (int i = 0; i < prefixes.length; ) {
            Prefix p = i < v4 ? randomV4(r) : randomV6(r);
            if (seen.add(p)) {
                prefixes[i++] = p;
            }
        }
        List<Integer> starts = new ArrayList<>();
        for (int i = 0; i < prefixes.length; ) {
            starts.add(i);
            int end = Math.min(i + 1 + r.nextInt(8), i < v4 ? v4 : prefixes.length);
            i = end;
        }
        starts.add(prefixes.length);
        this.groupStart = starts.stream().mapToInt(Integer::intValue).toArray();
        this.asPaths = new int[asPaths][];
        for (int i = 0; i < asPaths; i++) {
            // 2..9 hops; a 1-hop path can only be the peer AS itself, so one per peer
            int[] as = new int[i < peers ? 1 : 2 + r.nextInt(8)];
            as[0] = peerAs(i % peers);
            for (int k = 1; k < as.length; k++) {
                as[k] = 1000 + r.nextInt(400_000);
            }
            this.asPaths[i] = as;
        }
        this.communities = new Communities[communitySets];
        for (int i = 0; i < communitySets; i++) {
            int[] c = new int[1 + r.nextInt(6)];
            for (int k = 0; k < c.length; k++) {
                c[k] = (64_512 + r.nextInt(500)) << 16 | r.nextInt(1000);
            }
            communities[i] = Communities.of(c, new long[0], i % 10 == 0 ? new int[] {LOCAL_AS, i, 1} : new int[0]);
        }
    }

    /** The benchmark table: 1.0M IPv4 + 0.25M IPv6 prefixes, 2 peers, 70k AS paths, 20k community sets. */
    public static SyntheticTable fullTable() {
        return new SyntheticTable(SEED, 1_000_000, 250_000, 2, 70_000, 20_000);
    }

    /**
     * {@link #fullTable()} for {@code prefixes} of 1.25M, or a smaller table with the same seed and
     * proportions (4/5 IPv4, AS paths and community sets scaled with the prefix count), for trial runs.
     */
    public static SyntheticTable ofSize(int prefixes) {
        if (prefixes == 1_250_000) {
            return fullTable();
        }
        if (prefixes < 10) {
            throw new IllegalArgumentException("at least 10 prefixes, not " + prefixes);
        }
        int v4 = prefixes / 5 * 4;
        return new SyntheticTable(SEED, v4, prefixes - v4, 2, Math.max(4, (int) (prefixes * 0.056)),
                Math.max(1, (int) (prefixes * 0.016)));
    }

    public int peerCount() {
        return peers;
    }

    public int ipv4Prefixes() {
        return v4;
    }

    public int ipv6Prefixes() {
        return prefixes.length - v4;
    }

    /** Paths a table holds after every update was applied: prefixes times peers. */
    public long pathCount() {
        return (long) prefixes.length * peers;
    }

    /** UPDATEs per peer. */
    public int groupCount() {
        return groupStart.length - 1;
    }

    /** UPDATEs in all: {@link #groupCount()} times peers; index {@code u} is peer {@code u % peers}. */
    public int updateCount() {
        return groupCount() * peers;
    }

    public Prefix prefix(int i) {
        return prefixes[i];
    }

    public int prefixesIn(int group) {
        return groupStart[group + 1] - groupStart[group];
    }

    public static int peerAs(int peer) {
        return 65_001 + peer;
    }

    public static Peer peer(int peer) {
        return new Peer(VRF, IpAddress.ipv4(0x0A00_0001 + peer), peerAs(peer), 0x0101_0101 * (peer + 1));
    }

    private int asPathOf(int peer, int group) {
        int perPeer = asPaths.length / peers;
        return (int) (mix(seed ^ group) % perPeer) * peers + peer;
    }

    private int communitiesOf(int group, int asPath) {
        return (int) ((asPath * 7L + (group & 3)) % communities.length);
    }

    private static boolean hasMed(int asPath) {
        return asPath % 3 == 0;
    }

    private boolean ipv6(int group) {
        return groupStart[group] >= v4;
    }

    private static long nextHopV6Hi() {
        return 0x2001_0db8_0000_0000L;
    }

    /** The {@code u}-th UPDATE (peer {@code u % peers}, group {@code u / peers}) as the routing core takes it. */
    public BgpUpdate update(int u) {
        int peer = u % peers;
        int group = u / peers;
        int path = asPathOf(peer, group);
        PathAttributes.Builder b = PathAttributes.builder().asPath(AsPath.sequence(asPaths[path]))
                .communities(communities[communitiesOf(group, path)])
                .nextHop(ipv6(group) ? IpAddress.ipv6(nextHopV6Hi(), peer + 1) : IpAddress.ipv4(0x0A00_0001 + peer));
        if (hasMed(path)) {
            b.med(10);
        }
        List<Nlri> nlri = new ArrayList<>(prefixesIn(group));
        for (int i = groupStart[group]; i < groupStart[group + 1]; i++) {
            nlri.add(Nlri.of(prefixes[i]));
        }
        return new BgpUpdate(peer(peer), b.build(), nlri, List.of());
    }

    /** The same UPDATE as {@link #update(int)}, as the canonical {@code bgp.update} event. */
    public BgpUpdateEvent event(int u) {
        int peer = u % peers;
        Peer p = peer(peer);
        return event(u, ROUTER, TIME, p.address().toString(), Integer.toUnsignedLong(p.peerAs()),
                IpAddress.ipv4(0x0A00_0001 + peer).toString(), IpAddress.ipv6(nextHopV6Hi(), peer + 1).toString());
    }

    /**
     * The {@code u}-th UPDATE as {@code router} received it from {@code peerAddress} in {@code peerAs}
     * (the simulator's full-table scenario): the AS path starts with {@code peerAs} instead of the
     * synthetic peer's AS, and the next hop is {@code nextHop4} or {@code nextHop6} by family.
     */
    public BgpUpdateEvent event(int u, String router, Instant time, String peerAddress, long peerAs, String nextHop4,
                                String nextHop6) {
        int peer = u % peers;
        int group = u / peers;
        int path = asPathOf(peer, group);
        List<Object> asPath = new ArrayList<>(asPaths[path].length);
        asPath.add(peerAs);
        for (int k = 1; k < asPaths[path].length; k++) {
            asPath.add(Integer.toUnsignedLong(asPaths[path][k]));
        }
        Communities c = communities[communitiesOf(group, path)];
        List<String> std = new ArrayList<>();
        for (int v : c.standard()) {
            std.add((v >>> 16) + ":" + (v & 0xFFFF));
        }
        List<String> large = new ArrayList<>();
        int[] l = c.large();
        for (int k = 0; k < l.length; k += 3) {
            large.add(Integer.toUnsignedString(l[k]) + ":" + Integer.toUnsignedString(l[k + 1]) + ":"
                    + Integer.toUnsignedString(l[k + 2]));
        }
        BgpAttributes attrs = new BgpAttributes("igp", asPath, ipv6(group) ? nextHop6 : nextHop4, null,
                hasMed(path) ? 10L : null, std, large, List.of(), null, List.of(), false);
        List<io.meshwatch.event.Nlri> nlri = new ArrayList<>(prefixesIn(group));
        for (int i = groupStart[group]; i < groupStart[group + 1]; i++) {
            nlri.add(new io.meshwatch.event.Nlri(prefixes[i], 0));
        }
        return new BgpUpdateEvent(router, time, VRF, peerAddress, peerAs, "adj-in-post", attrs, nlri, List.of());
    }

    /** Uniform random IPv4 addresses in 1.0.0.0..223.255.255.255 (mostly covered by the table). */
    public static int[] randomIpv4Addresses(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = (int) (0x0100_0000L + r.nextLong(0xDF00_0000L - 0x0100_0000L));
        }
        return out;
    }

    /**
     * IPv6 addresses as (hi, lo) pairs: half inside a loaded prefix with random host bits, half
     * uniform in 2000::/6 (mostly uncovered), shuffled together.
     */
    public long[] randomIpv6Addresses(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] out = new long[2 * n];
        for (int i = 0; i < n; i++) {
            if (r.nextBoolean()) {
                Prefix p = prefixes[v4 + r.nextInt(prefixes.length - v4)];
                long host = p.length() >= 64 ? 0 : r.nextLong() & (-1L >>> p.length());
                out[2 * i] = p.hi() | host;
            } else {
                out[2 * i] = 0x2000_0000_0000_0000L | (r.nextLong() >>> 6);
            }
            out[2 * i + 1] = r.nextLong();
        }
        return out;
    }

    /**
     * A prefix of unicast space, drawn again while it falls in space no internet table carries
     * (RFC 1918 private, shared address space, loopback, link-local): an internet table announcing
     * a company's private ranges is exactly what the route policy alerts report.
     */
    private static Prefix randomV4(SplittableRandom r) {
        while (true) {
            int x = r.nextInt(100);
            int len = x < 58 ? 24 : x < 68 ? 23 : x < 78 ? 22 : x < 84 ? 21 : x < 89 ? 20 : x < 93 ? 19 : x < 96 ? 18
                    : x < 98 ? 17 : 16;
            int addr = (int) (0x0100_0000L + r.nextLong(0xDF00_0000L - 0x0100_0000L));
            if (!bogon(addr)) {
                return Prefix.ipv4(addr & (-1 << (32 - len)), len);
            }
        }
    }

    /** 10/8, 100.64/10, 127/8, 169.254/16, 172.16/12, 192.168/16 (a /16 or longer is wholly in or out). */
    static boolean bogon(int addr) {
        int a = addr >>> 24;
        int b = (addr >>> 16) & 0xFF;
        return a == 10 || a == 127 || a == 100 && (b & 0xC0) == 64 || a == 169 && b == 254
                || a == 172 && (b & 0xF0) == 16 || a == 192 && b == 168;
    }

    private static Prefix randomV6(SplittableRandom r) {
        int x = r.nextInt(100);
        int len = x < 50 ? 48 : x < 70 ? 32 : x < 80 ? 44 : x < 88 ? 40 : x < 93 ? 36 : x < 97 ? 29 : 64;
        long hi = 0x2000_0000_0000_0000L | ((long) r.nextInt(4) << 56) | (r.nextLong() >>> 16);
        return Prefix.ipv6(hi & (-1L << (64 - len)), 0, len);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb93fe1a85ec3L;
        return (z ^ (z >>> 33)) & Long.MAX_VALUE;
    }

}
