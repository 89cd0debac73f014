package io.meshwatch.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.history.ReadersOfMrt.GobgpPath;
import io.meshwatch.mrt.TableDumpEncoder;
import io.meshwatch.routing.Afi;
import io.meshwatch.routing.BestRoute;
import io.meshwatch.routing.BgpUpdate;
import io.meshwatch.routing.IpAddress;
import io.meshwatch.routing.LocRibUpdate;
import io.meshwatch.routing.Nlri;
import io.meshwatch.routing.Path;
import io.meshwatch.routing.PathAttributes;
import io.meshwatch.routing.Prefix;
import io.meshwatch.routing.RouteTable;
import io.meshwatch.sim.SyntheticTable;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MRT TABLE_DUMP_V2 export read by the real programs: bgpdump prints every path of the table,
 * best first, with its attributes; GoBGP's {@code mrt inject global} loads every path and picks the
 * same best path.
 */
class TableDumpEncoderTest {

    @TempDir
    java.nio.file.Path dir;

    @Test
    void bgpdumpReadsEveryPathBestFirstWithItsAttributes() throws Exception {
        RouteTable table = Tables.demo(true);
        java.nio.file.Path file = dir.resolve("demo.mrt");
        TableDumpEncoder.Stats stats;
        try (var out = Files.newOutputStream(file)) {
            stats = TableDumpEncoder.write(table, "", "cx-eqx-dc2", Tables.T, out);
        }
        assertEquals(new TableDumpEncoder.Stats(3, 7, 10, 0, Files.size(file)), stats);
        assertEquals(expectedBgpdumpLines(table, ""), ReadersOfMrt.bgpdump(file));
    }

    @Test
    void gobgpLoadsEveryPathAndTheBestPathFirst() throws Exception {
        RouteTable table = Tables.demo(false);
        byte[] mrt = export(table, "");
        assertSamePaths(table, "", ReadersOfMrt.gobgp(mrt, dir, false));
        assertSameBest(table, "", ReadersOfMrt.gobgp(mrt, dir, true));
    }

    @Test
    void aGeneratedTableOfHundredsOfPrefixesReadsTheSameInBoth() throws Exception {
        SyntheticTable synthetic = SyntheticTable.ofSize(300);
        RouteTable table = new RouteTable(SyntheticTable.LOCAL_AS, Clock.fixed(SyntheticTable.TIME, ZoneOffset.UTC));
        for (int u = 0; u < synthetic.updateCount(); u++) {
            table.apply(synthetic.update(u));
        }
        byte[] mrt = export(table, SyntheticTable.VRF);
        java.nio.file.Path file = dir.resolve("synthetic.mrt");
        Files.write(file, mrt);
        List<String> lines = ReadersOfMrt.bgpdump(file);
        assertEquals(synthetic.pathCount(), lines.size());
        assertEquals(expectedBgpdumpLines(table, SyntheticTable.VRF), lines);
        Map<String, List<GobgpPath>> rib = ReadersOfMrt.gobgp(mrt, dir, false);
        assertEquals(table.prefixCount(SyntheticTable.VRF, Afi.IPV4) + table.prefixCount(SyntheticTable.VRF, Afi.IPV6),
                rib.size());
        assertSamePaths(table, SyntheticTable.VRF, rib);
        assertSameBest(table, SyntheticTable.VRF, ReadersOfMrt.gobgp(mrt, dir, true));
    }

    @Test
    void routerReportedPathsAreLeftOutAndAddPathPeersGetTheAddPathSubtype() throws Exception {
        RouteTable table = Tables.demo(false);
        PathAttributes a = table.best("", Prefix.parse("10.20.1.0/24")).path().attributes();
        table.apply(BgpUpdate.announce(Tables.VPN, a.toBuilder().nextHop(IpAddress.parse("169.254.20.9")).build(),
                new Nlri(Prefix.parse("10.50.0.0/16"), 1)));
        table.apply(BgpUpdate.announce(Tables.VPN, a.toBuilder().nextHop(IpAddress.parse("169.254.20.8")).build(),
                new Nlri(Prefix.parse("10.50.0.0/16"), 2)));
        table.applyLocRib(new LocRibUpdate("", a, List.of(Prefix.parse("10.60.0.0/16")), List.of()));
        java.nio.file.Path file = dir.resolve("addpath.mrt");
        TableDumpEncoder.Stats stats;
        try (var out = Files.newOutputStream(file)) {
            stats = TableDumpEncoder.write(table, "", "r", Tables.T, out);
        }
        assertEquals(1, stats.reportedLeftOut());
        List<String> lines = ReadersOfMrt.bgpdump(file);
        assertTrue(lines.stream().noneMatch(l -> l.contains("|10.60.0.0/16|")), String.join("\n", lines));
        List<String> addPath = lines.stream().filter(l -> l.contains("|10.50.0.0/16|")).toList();
        assertEquals(2, addPath.size(), String.join("\n", lines));
        assertTrue(addPath.get(0).startsWith("TABLE_DUMP2_AP|") && addPath.get(0).contains("|169.254.20.9|"),
                addPath.get(0));
        assertTrue(addPath.get(1).contains("|169.254.20.8|"), addPath.get(1));
    }

    static byte[] export(RouteTable table, String vrf) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TableDumpEncoder.write(table, vrf, "r", Tables.T, out);
        return out.toByteArray();
    }

    /**
     * Every prefix and every path of the table is in GoBGP's RIB after {@code mrt inject global}. (Which
     * one GoBGP marks best is its own choice: it takes injected paths as locally originated and decides
     * among them by LOCAL_PREF and then by arrival, not by the AS path; so the best path is compared
     * through {@code --only-best} instead, see {@link #assertSameBest}.)
     */
    static void assertSamePaths(RouteTable table, String vrf, Map<String, List<GobgpPath>> rib) {
        Set<String> ours = new HashSet<>();
        for (Afi afi : Afi.values()) {
            for (BestRoute b : table.page(vrf, afi, null, Integer.MAX_VALUE)) {
                String prefix = b.prefix().toString();
                ours.add(prefix);
                List<GobgpPath> theirs = rib.get(prefix);
                assertTrue(theirs != null, "GoBGP lacks " + prefix);
                assertEquals(table.paths(vrf, b.prefix()).stream().map(TableDumpEncoderTest::key)
                        .collect(Collectors.toSet()), theirs.stream().map(TableDumpEncoderTest::key)
                        .collect(Collectors.toSet()), prefix);
            }
        }
        assertEquals(ours, rib.keySet());
    }

    /**
     * With {@code --only-best} GoBGP injects the first entry of each RIB record only: the export puts
     * the table's best path first, so GoBGP then holds exactly the table's best paths, attributes and all.
     */
    static void assertSameBest(RouteTable table, String vrf, Map<String, List<GobgpPath>> rib) {
        Set<String> ours = new HashSet<>();
        for (Afi afi : Afi.values()) {
            for (BestRoute b : table.page(vrf, afi, null, Integer.MAX_VALUE)) {
                String prefix = b.prefix().toString();
                ours.add(prefix);
                List<GobgpPath> theirs = rib.get(prefix);
                assertTrue(theirs != null && theirs.size() == 1, prefix + " in GoBGP: " + theirs);
                PathAttributes a = b.path().attributes();
                assertEquals(key(b.path()), key(theirs.get(0)), prefix + " decided by " + b.reason());
                assertEquals(a.hasLocalPref() ? a.localPref() : null, theirs.get(0).localPref(), prefix);
                assertEquals(a.hasMed() ? a.med() : null, theirs.get(0).med(), prefix);
            }
        }
        assertEquals(ours, rib.keySet());
    }

    private static String key(GobgpPath p) {
        String nh = p.nextHop();
        return p.sourceId() + " " + (nh.startsWith("::ffff:") ? nh.substring(7) : nh) + " " + p.asPath();
    }

    private static String key(Path p) {
        PathAttributes a = p.attributes();
        String nh = a.nextHop().toString();
        return io.meshwatch.routing.Addresses.formatIpv4(p.peer().bgpId()) + " " + nh + " " + a.asPath();
    }

    /** What {@code bgpdump -m} prints for the table: a line per path, prefixes in order, best path first. */
    static List<String> expectedBgpdumpLines(RouteTable table, String vrf) {
        List<String> out = new ArrayList<>();
        for (Afi afi : Afi.values()) {
            for (BestRoute b : table.page(vrf, afi, null, Integer.MAX_VALUE)) {
                List<Path> paths = new ArrayList<>();
                paths.add(b.path());
                table.paths(vrf, b.prefix()).stream().filter(p -> !p.equals(b.path())).forEach(paths::add);
                for (Path p : paths) {
                    out.add(line(b.prefix(), p));
                }
            }
        }
        return out;
    }

    private static String line(Prefix prefix, Path p) {
        PathAttributes a = p.attributes();
        String nextHop = a.nextHop().toString();
        if (prefix.afi() == Afi.IPV6 && a.nextHop().afi() == Afi.IPV4) {
            nextHop = "::ffff:" + nextHop;
        }
        List<String> communities = new ArrayList<>();
        for (int c : a.communities().standard()) {
            communities.add((c >>> 16) + ":" + (c & 0xFFFF));
        }
        return "TABLE_DUMP2|" + Tables.T.getEpochSecond() + "|B|" + p.peer().address() + "|"
                + Integer.toUnsignedString(p.peer().peerAs()) + "|" + prefix + "|" + a.asPath() + "|"
                + a.origin().name().toUpperCase(Locale.ROOT) + "|" + nextHop + "|" + (a.hasLocalPref() ? a.localPref() : 0)
                + "|" + a.med() + "|" + String.join(" ", communities) + "|" + (a.atomicAggregate() ? "AG" : "NAG") + "||";
    }
}
