package io.meshwatch.bench;

import io.meshwatch.routing.BestRoute;
import io.meshwatch.routing.IpAddress;
import io.meshwatch.routing.Prefix;
import io.meshwatch.routing.RawLookups;
import io.meshwatch.routing.RouteMatch;
import io.meshwatch.routing.RouteTable;
import io.meshwatch.sim.SyntheticTable;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Single-thread longest-prefix-match throughput against one {@link RouteTable} holding the
 * synthetic full table of two peers ({@link SyntheticTable#fullTable()}), random addresses.
 *
 * <p>{@code lpm_ipv4_lookups_per_s} / {@code lpm_ipv6_lookups_per_s} are {@link #apiIpv4} /
 * {@link #apiIpv6}: the public allocation-free lookup the REST layer uses (covering prefix and its
 * best path: peer, path id, attributes, reason), with the optimistic-read validation. For
 * comparison: the allocating {@code longestMatch} record, the prefix-only API and the raw trie.
 * Run through {@code bin/bench rib}; the build never runs it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
public class LpmBenchmark {

    private static final int MASK = (1 << 20) - 1;
    private static final String VRF = SyntheticTable.VRF;

    private RouteTable table;
    private RawLookups raw;
    private int[] v4;
    private long[] v6;
    private final RouteMatch match = new RouteMatch();
    private int i;

    @Setup(Level.Trial)
    public void load() {
        SyntheticTable t = SyntheticTable.fullTable();
        table = new RouteTable(SyntheticTable.LOCAL_AS, Clock.systemUTC());
        for (int u = 0; u < t.updateCount(); u++) {
            table.apply(t.update(u), d -> { });
        }
        raw = new RawLookups(table, VRF);
        v4 = SyntheticTable.randomIpv4Addresses(MASK + 1, 3);
        v6 = t.randomIpv6Addresses(MASK + 1, 5);
    }

    private int next() {
        return i = (i + 1) & MASK;
    }

    @Benchmark
    public void apiIpv4(Blackhole bh) {
        if (table.lookupIpv4(VRF, v4[next()], match)) {
            bh.consume(match.prefixLo());
            bh.consume(match.prefixLength());
            bh.consume(match.peer());
            bh.consume(match.attributes());
        }
    }

    @Benchmark
    public void apiIpv6(Blackhole bh) {
        int k = next();
        if (table.lookupIpv6(VRF, v6[2 * k], v6[2 * k + 1], match)) {
            bh.consume(match.prefixHi());
            bh.consume(match.prefixLength());
            bh.consume(match.peer());
            bh.consume(match.attributes());
        }
    }

    @Benchmark
    public BestRoute recordIpv4() {
        return table.longestMatchIpv4(VRF, v4[next()]);
    }

    @Benchmark
    public Prefix prefixOnlyIpv4() {
        return table.longestMatchingPrefix(VRF, IpAddress.ipv4(v4[next()]));
    }

    @Benchmark
    public int rawTrieIpv4() {
        return raw.ipv4(v4[next()]);
    }

    @Benchmark
    public int rawTrieIpv6() {
        int k = next();
        return raw.ipv6(v6[2 * k], v6[2 * k + 1]);
    }
}
