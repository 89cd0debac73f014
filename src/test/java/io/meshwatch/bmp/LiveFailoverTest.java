package io.meshwatch.bmp;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.bmp.FailoverLab.RouterLog;
import io.meshwatch.bmp.LiveFailoverProfile.Names;
import io.meshwatch.testing.ExternalProgram;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * An IPSec failover and failback between real routers, measured by Meshwatch from BMP alone and
 * compared with the routers' own account ({@link FailoverLab}: FRR 8.4 and strongSwan in network
 * namespaces, the primary tunnel over a bridged "circuit", the backup over a direct "internet" link,
 * eBGP inside each tunnel with a 9 s hold time, r1 streaming BMP to the service, an inventory that
 * describes them, {@link LiveFailoverProfile}).
 *
 * <p>The routers' truth is their logs (FRR at millisecond precision: neighbour state changes and the
 * best-path decision for the watched prefix) and the instants the test cut and repaired the circuit;
 * one machine, one clock. The test cuts the circuit beyond the bridge (r1's interface stays up, as in
 * a cross-connect cut on the far side), so the primary's BGP session dies by hold-timer expiry, and
 * asserts against the API:
 * <ol>
 *   <li>no signal about the lab in steady state before the cut, no open incident;</li>
 *   <li>after the session drops: CircuitDown for the circuit and BgpSessionDown for r1's session over
 *       the primary, in one open incident whose root is the CircuitDown;</li>
 *   <li>the failover time: when Meshwatch gives an interval ({@code minSeconds}, {@code maxSeconds},
 *       as where BGP's hold timer is the only evidence of when the path was lost) the routers' failover
 *       time (cut to r1's best path on the backup) lies within it; otherwise {@code durationSeconds} is
 *       within 1 s of the routers'; the IpsecFailover signal's annotations say the same;</li>
 *   <li>the failback time (primary session re-established to r1's best path back on the primary)
 *       within 1 s of the routers' (or within its interval, the same way);</li>
 *   <li>after the repair, no open incident and no firing signal about the lab.</li>
 * </ol>
 * Every check is made, and a failure lists them all with the run's timeline: the routers' log lines,
 * the BMP messages as they reached the collector (with their header timestamps), and what Meshwatch
 * reported. The timeline is also written to {@code target/live-failover/<run id>/timeline.txt}.
 *
 * <p>Needs root, network namespaces, FRR and strongSwan ({@code bin/test} installs them): without
 * them it fails with the reason, never skips. Run alone: {@code bin/test -Dtest=LiveFailoverTest}.
 */
@QuarkusTest
@TestProfile(LiveFailoverProfile.class)
class LiveFailoverTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VIEWER = "Bearer dev-viewer";
    private static final long STEP_SECONDS = 30;
    /** Steady state before the cut, after everything is up and known to Meshwatch. */
    private static final Duration STEADY = Duration.ofSeconds(4);
    /** How far Meshwatch's point figures may be from the routers'. */
    private static final double TOLERANCE_SECONDS = 1.0;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    @Inject
    BmpCollector collector;

    @ConfigProperty(name = "meshwatch.inventory.file")
    String inventoryFile;

    private Names names;
    private FailoverLab lab;
    private final List<String> problems = new ArrayList<>();
    private final List<String> summary = new ArrayList<>();
    private Instant started;
    private Instant steadyFrom;
    private Instant cut;
    private Instant repair;
    private Instant sessionDown;
    private Instant sessionUp;

    @Test
    void failoverAndFailbackAsTheRoutersSawThem() throws Exception {
        requirePrograms();
        // no skip: a machine that cannot make network namespaces fails here with the reason; leave the
        // test out there explicitly with bin/test -Dtest='!LiveFailoverTest' -Dsurefire.failIfNoSpecifiedTests=false
        String why = LiveLab.unavailable();
        if (why != null) {
            fail("the live failover test cannot run on this machine: " + why + "; run it as root on a machine that "
                    + "allows network namespaces, or leave it out explicitly with -Dtest='!LiveFailoverTest'");
        }
        names = Names.of(inventoryFile);
        started = Instant.now();
        String timeline;
        AssertionError broken = null;
        try (FailoverLab l = FailoverLab.start(names.dir(), names.id(), names.r1(), names.r2(), collector.port())) {
            lab = l;
            try {
                scenario();
            } catch (AssertionError e) {
                broken = e;
            }
            timeline = timeline();
        }
        Files.writeString(names.dir().resolve("timeline.txt"), timeline);
        System.out.println(timeline);
        if (broken != null) {
            fail(broken.getMessage() + "\n" + problemList() + "\n" + timeline, broken);
        }
        if (!problems.isEmpty()) {
            fail(problemList() + "\n" + timeline);
        }
    }

    private static void requirePrograms() {
        ExternalProgram.require("ip", "iproute2");
        ExternalProgram.require("timeout", "coreutils");
        ExternalProgram.require("mount", "mount");
        ExternalProgram.require(FailoverLab.BGPD, "frr");
        ExternalProgram.require("vtysh", "frr");
        ExternalProgram.require(FailoverLab.CHARON, "strongswan-charon");
        ExternalProgram.require("swanctl", "strongswan-swanctl");
        if (!Files.isRegularFile(Path.of(FailoverLab.LIBIPSEC))) {
            fail(FailoverLab.LIBIPSEC + " is not installed (Debian package libcharon-extra-plugins); this test starts "
                    + "the real strongSwan with user-space ESP: run the tests with bin/test, which installs it, or "
                    + "apt-get install -y libcharon-extra-plugins");
        }
    }

    private String problemList() {
        return problems.isEmpty() ? "" : problems.size() + " check(s) failed:\n  - " + String.join("\n  - ", problems);
    }

    private void check(boolean ok, String what) {
        if (!ok) {
            problems.add(what);
        }
    }

    private void scenario() {
        awaitRouters("r1's sessions established over both tunnels, its best path via the primary", () ->
                established(FailoverLab.R2_PRIMARY) && established(FailoverLab.R2_BACKUP)
                && FailoverLab.R2_PRIMARY.equals(r1Best()));
        awaitMeshwatch("Meshwatch knows r1's two sessions, its best path via the primary and the group on it", () ->
                "established".equals(meshwatchPeer(FailoverLab.R2_PRIMARY).path("state").asText())
                && "established".equals(meshwatchPeer(FailoverLab.R2_BACKUP).path("state").asText())
                && FailoverLab.R2_PRIMARY.equals(meshwatchBest())
                && "normal".equals(group().path("phase").asText())
                && names.primary().equals(group().path("carrying").asText()));

        // (1) steady state: nothing to say about the lab from here to the cut (what was said while the
        // sessions were coming up is in the timeline)
        steadyFrom = Instant.now();
        List<JsonNode> before = labSignals("recent");
        if (!before.isEmpty()) {
            summary.add("while the sessions came up (before both were established): " + describe(before));
        }
        pause(STEADY);
        List<JsonNode> steady = new ArrayList<>();
        for (JsonNode sig : labSignals("recent")) {
            if (!transitionAt(sig).isBefore(steadyFrom)) {
                steady.add(sig);
            }
        }
        check(steady.isEmpty(), "no signal about the lab in " + STEADY.toSeconds() + " s of steady state before the "
                + "cut, but: " + describe(steady));
        List<JsonNode> firingEarly = labSignals("firing");
        check(firingEarly.isEmpty(), "no signal about the lab firing before the cut, but: " + describe(firingEarly));
        List<JsonNode> openEarly = labIncidents("open");
        check(openEarly.isEmpty(), "no open incident before the cut, but: " + titles(openEarly));

        // the cut, beyond the bridge: r1's interface stays up
        cut = lab.cut();
        String link = lab.r1CircuitLink();
        check(link.contains("state UP") && link.contains("LOWER_UP"), "r1's circuit interface stays up after the "
                + "cut (the far side was cut), but: " + link);
        awaitRouters("r1's session over the primary down and its best path on the backup", () ->
                r1Log().sessionChange(FailoverLab.R2_PRIMARY, "Established", null, cut).isPresent()
                && r1Log().bestPath(FailoverLab.WATCHED, FailoverLab.R2_BACKUP, cut).isPresent());
        RouterLog log = r1Log();
        sessionDown = log.sessionChange(FailoverLab.R2_PRIMARY, "Established", null, cut).orElseThrow().at();
        Instant onBackup = log.bestPath(FailoverLab.WATCHED, FailoverLab.R2_BACKUP, cut).orElseThrow().at();
        double routersFailover = seconds(cut, onBackup);
        summary.add(String.format(Locale.ROOT, "routers: cut %s, r1's session over the primary down %+.3f s, best "
                + "path on the backup %+.3f s: failover %.3f s", CLOCK.format(cut), seconds(cut, sessionDown),
                seconds(cut, onBackup), routersFailover));

        // (2) and (3): what Meshwatch made of it
        awaitMeshwatch("Meshwatch: CircuitDown, BgpSessionDown for r1's primary session, the failover "
                + "completed", () -> firing("CircuitDown", "circuit", names.circuit()) != null
                && firing("BgpSessionDown", "peer", FailoverLab.R2_PRIMARY) != null
                && group().path("lastFailover").hasNonNull("end"));
        JsonNode circuitDown = firing("CircuitDown", "circuit", names.circuit());
        JsonNode sessionSignal = firing("BgpSessionDown", "peer", FailoverLab.R2_PRIMARY);
        check(circuitDown != null, "CircuitDown for " + names.circuit() + " fires after the session dropped");
        check(sessionSignal != null, "BgpSessionDown for " + names.r1() + " peer " + FailoverLab.R2_PRIMARY
                + " fires after the session dropped");
        if (circuitDown != null && sessionSignal != null) {
            check(circuitDown.path("incidentId").asText().equals(sessionSignal.path("incidentId").asText()),
                    "the BgpSessionDown joins the CircuitDown's incident, but they are in "
                            + circuitDown.path("incidentId").asText() + " and " + sessionSignal.path("incidentId").asText());
        }
        List<JsonNode> open = labIncidents("open");
        boolean rooted = false;
        for (JsonNode i : open) {
            boolean child = false;
            for (JsonNode c : i.path("children")) {
                child |= "BgpSessionDown".equals(c.path("name").asText())
                        && FailoverLab.R2_PRIMARY.equals(c.path("labels").path("peer").asText());
            }
            rooted |= "CircuitDown".equals(i.path("root").path("name").asText()) && child;
        }
        check(rooted, "an open incident with the CircuitDown as its root and the BgpSessionDown among its children "
                + "(GET /api/v1/incidents?status=open), but: " + titles(open));
        JsonNode failover = group().path("lastFailover");
        if (failover.hasNonNull("end") && !Instant.parse(failover.path("start").asText()).isBefore(cut.minusSeconds(10))) {
            compare("failover", failover, routersFailover);
            annotations(failover);
        } else {
            check(false, "the failover is measured after the cut, but lastFailover is " + failover);
        }

        // the repair
        repair = lab.repair();
        awaitRouters("r1's session over the primary re-established and its best path back on the primary", () ->
                r1Log().sessionChange(FailoverLab.R2_PRIMARY, null, "Established", repair).isPresent()
                && r1Log().bestPath(FailoverLab.WATCHED, FailoverLab.R2_PRIMARY, repair).isPresent());
        log = r1Log();
        sessionUp = log.sessionChange(FailoverLab.R2_PRIMARY, null, "Established", repair).orElseThrow().at();
        Instant backOnPrimary = log.bestPath(FailoverLab.WATCHED, FailoverLab.R2_PRIMARY, repair).orElseThrow().at();
        double routersFailback = seconds(sessionUp, backOnPrimary);
        summary.add(String.format(Locale.ROOT, "routers: repair %s (%+.3f s), r1's session over the primary "
                + "re-established %+.3f s, best path back on the primary %+.3f s: failback %.3f s",
                CLOCK.format(repair), seconds(cut, repair), seconds(cut, sessionUp), seconds(cut, backOnPrimary),
                routersFailback));

        // (4) the failback, and (5) everything resolved
        boolean back = awaitMeshwatch("Meshwatch: the failback measured, no open incident and no firing signal about "
                + "the lab", () -> {
                    JsonNode fb = group().path("lastFailback");
                    return fb.hasNonNull("end") && !Instant.parse(fb.path("start").asText()).isBefore(cut)
                            && labIncidents("open").isEmpty() && labSignals("firing").isEmpty();
                });
        JsonNode failback = group().path("lastFailback");
        if (failback.hasNonNull("end") && !Instant.parse(failback.path("start").asText()).isBefore(cut)) {
            compare("failback", failback, routersFailback);
        } else {
            check(false, "the failback is measured after the repair, but lastFailback is " + failback);
        }
        if (!back) {
            check(labIncidents("open").isEmpty(), "no open incident after the repair, but: "
                    + titles(labIncidents("open")));
            check(labSignals("firing").isEmpty(), "no firing signal about the lab after the repair, but: "
                    + describe(labSignals("firing")));
        }
    }

    /**
     * Meshwatch's figure against the routers': within its interval when it gives one, else within
     * {@link #TOLERANCE_SECONDS} of its point value.
     */
    private void compare(String what, JsonNode sw, double routers) {
        JsonNode duration = sw.path("durationSeconds");
        JsonNode min = sw.path("minSeconds");
        JsonNode max = sw.path("maxSeconds");
        String clock = sw.path("clock").isTextual() ? sw.path("clock").asText() : null;
        if ("failover".equals(what)) {
            check(clock != null, what + ": the switchover says which evidence started its clock (clock), but it has "
                    + "none: " + sw);
        }
        if (min.isNumber() && max.isNumber()) {
            double lo = min.asDouble();
            double hi = max.asDouble();
            summary.add(String.format(Locale.ROOT, "Meshwatch %s: between %.3f and %.3f s (durationSeconds %s, clock "
                    + "%s); the routers' %.3f s is %.3f s above the lower bound and %.3f s below the upper", what, lo, hi,
                    duration, clock, routers, routers - lo, hi - routers));
            check(lo <= routers && routers <= hi, String.format(Locale.ROOT, "%s: the routers' %.3f s lies within "
                    + "Meshwatch's [%.3f, %.3f] s (clock %s), but it is %s", what, routers, lo, hi, clock,
                    routers < lo ? String.format(Locale.ROOT, "%.3f s below", lo - routers)
                            : String.format(Locale.ROOT, "%.3f s above", routers - hi)));
        } else {
            check(min.isMissingNode() || min.isNull(), what + ": minSeconds without maxSeconds: " + sw);
            check(max.isMissingNode() || max.isNull(), what + ": maxSeconds without minSeconds: " + sw);
            double d = duration.asDouble(Double.NaN);
            summary.add(String.format(Locale.ROOT, "Meshwatch %s: %.3f s (clock %s, no interval); the routers' %.3f s, "
                    + "difference %+.3f s", what, d, clock, routers, d - routers));
            check(Math.abs(d - routers) <= TOLERANCE_SECONDS, String.format(Locale.ROOT, "%s: Meshwatch's "
                    + "durationSeconds %.3f s is within %.1f s of the routers' %.3f s, but differs by %+.3f s", what, d,
                    TOLERANCE_SECONDS, routers, d - routers));
        }
    }

    /** The IpsecFailover signal's annotations carry what the tunnel group's lastFailover says. */
    private void annotations(JsonNode failover) {
        JsonNode signal = latest("IpsecFailover", "tunnel_group", names.group());
        if (signal == null) {
            check(false, "an IpsecFailover signal for " + names.group() + " after the failover");
            return;
        }
        JsonNode a = signal.path("annotations");
        summary.add("Meshwatch IpsecFailover annotations: " + a);
        number(a, "failover_seconds", failover.path("durationSeconds"));
        number(a, "failover_min_seconds", failover.path("minSeconds"));
        number(a, "failover_max_seconds", failover.path("maxSeconds"));
        String clock = failover.path("clock").isTextual() ? failover.path("clock").asText() : null;
        check(a.path("failover_clock").isTextual() && a.path("failover_clock").asText().equals(clock),
                "IpsecFailover's failover_clock (" + a.path("failover_clock") + ") says what lastFailover.clock says ("
                        + clock + ")");
    }

    private void number(JsonNode annotations, String key, JsonNode view) {
        JsonNode a = annotations.path(key);
        if (view.isNumber()) {
            check(a.isTextual() && Math.abs(Double.parseDouble(a.asText()) - view.asDouble()) < 0.051,
                    "IpsecFailover's " + key + " (" + a + ") says what the tunnel group says (" + view + ")");
        } else {
            check(a.isMissingNode() || a.isNull(), "IpsecFailover has " + key + " (" + a
                    + ") although the tunnel group's figure is " + view);
        }
    }

    // --- the routers ---------------------------------------------------------------------------

    private RouterLog r1Log() {
        return lab.frrLog("r1");
    }

    private boolean established(String peer) {
        JsonNode summary = tree(lab.vtysh("r1", "show bgp ipv4 unicast summary json"));
        return "Established".equals(summary.path("peers").path(peer).path("state").asText());
    }

    /** The peer r1's best path for the watched prefix came from, or null. */
    private String r1Best() {
        JsonNode route = tree(lab.vtysh("r1", "show bgp ipv4 unicast " + FailoverLab.WATCHED + " json"));
        for (JsonNode p : route.path("paths")) {
            if (p.path("bestpath").path("overall").asBoolean()) {
                return p.path("peer").path("peerId").asText();
            }
        }
        return null;
    }

    // --- Meshwatch -----------------------------------------------------------------------------

    private static JsonNode api(String path, Object... params) {
        return tree(given().header("Authorization", VIEWER).get(path, params).then().statusCode(200).extract()
                .asString());
    }

    private JsonNode meshwatchPeer(String peer) {
        String body = given().header("Authorization", VIEWER).get("/api/v1/routers/{r}/peers", names.r1()).then()
                .extract().asString();
        if (!body.startsWith("[")) {
            return JSON.missingNode(); // not known yet
        }
        for (JsonNode p : tree(body)) {
            if (peer.equals(p.path("peer").asText())) {
                return p;
            }
        }
        return JSON.missingNode();
    }

    /** The peer of Meshwatch's best path of r1 for an address in the watched prefix, or null. */
    private String meshwatchBest() {
        String body = given().header("Authorization", VIEWER).queryParam("ip", "10.77.0.1")
                .get("/api/v1/routers/{r}/lookup", names.r1()).then().extract().asString();
        JsonNode n = tree(body.startsWith("{") ? body : "{}");
        return n.path("best").path("peer").isTextual() ? n.path("best").path("peer").asText() : null;
    }

    private JsonNode group() {
        return api("/api/v1/tunnels/{g}", names.group());
    }

    private boolean aboutLab(JsonNode signal) {
        JsonNode l = signal.path("labels");
        return names.r1().equals(l.path("router").asText()) || names.r2().equals(l.path("router").asText())
                || names.circuit().equals(l.path("circuit").asText())
                || names.group().equals(l.path("tunnel_group").asText());
    }

    /** Signals about the lab: {@code firing} now, or the {@code recent} transitions. */
    private List<JsonNode> labSignals(String status) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode s : tree(given().header("Authorization", VIEWER).queryParam("status", status)
                .queryParam("limit", 1000).get("/api/v1/signals").then().statusCode(200).extract().asString())) {
            if (aboutLab(s)) {
                out.add(s);
            }
        }
        return out;
    }

    private JsonNode firing(String name, String label, String value) {
        for (JsonNode s : labSignals("firing")) {
            if (name.equals(s.path("name").asText()) && value.equals(s.path("labels").path(label).asText())) {
                return s;
            }
        }
        return null;
    }

    /** The signal's firing transition if it has one among the recent ones, else its latest, or null. */
    private JsonNode latest(String name, String label, String value) {
        JsonNode found = null;
        for (JsonNode s : labSignals("recent")) {
            if (name.equals(s.path("name").asText()) && value.equals(s.path("labels").path(label).asText())
                    && (found == null || "firing".equals(s.path("status").asText()))) {
                found = s;
            }
        }
        return found;
    }

    /** Incidents (live) with a signal about the lab. */
    private List<JsonNode> labIncidents(String status) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode i : tree(given().header("Authorization", VIEWER).queryParam("status", status)
                .queryParam("limit", 500).get("/api/v1/incidents").then().statusCode(200).extract().asString())) {
            boolean lab = aboutLab(i.path("root"));
            for (JsonNode c : i.path("children")) {
                lab |= aboutLab(c);
            }
            if (lab && "live".equals(i.path("source").asText())) {
                out.add(i);
            }
        }
        return out;
    }

    /** When Meshwatch made this transition: raisedAt of a firing signal, resolvedAt of a resolved one. */
    private static Instant transitionAt(JsonNode signal) {
        String k = "firing".equals(signal.path("status").asText()) ? "raisedAt" : "resolvedAt";
        return signal.hasNonNull(k) ? Instant.parse(signal.path(k).asText()) : Instant.now();
    }

    private static String describe(List<JsonNode> signals) {
        List<String> out = new ArrayList<>();
        signals.forEach(s -> out.add(s.path("name").asText() + " " + s.path("status").asText() + " " + s.path("labels")
                + " started " + s.path("startedAt").asText()));
        return String.join("; ", out);
    }

    private static String titles(List<JsonNode> incidents) {
        List<String> out = new ArrayList<>();
        incidents.forEach(i -> out.add(i.path("status").asText() + " " + i.path("title").asText()));
        return String.join("; ", out);
    }

    // --- waiting -------------------------------------------------------------------------------

    /** Polls the routers until the condition holds; fails naming it (the routers did not do it). */
    private void awaitRouters(String what, BooleanSupplier condition) {
        Throwable last = await(condition);
        if (last != null || !safely(condition)) {
            fail("not within " + STEP_SECONDS + " s: " + what + (last == null ? "" : " (last error: "
                    + last.getMessage() + ")") + "\n" + lab.deadDaemons() + "r1 charon: " + lab.swanctlSas("r1")
                    + "\nr1 bgpd: " + FailoverLab.tail(lab.dir.resolve("r1/bgpd.log")) + "\nlogs in " + lab.dir);
        }
    }

    /** Polls Meshwatch until the condition holds; records a failed check if it does not. */
    private boolean awaitMeshwatch(String what, BooleanSupplier condition) {
        Throwable last = await(condition);
        boolean ok = last == null && safely(condition);
        check(ok, "not within " + STEP_SECONDS + " s: " + what + (last == null ? "" : " (last error: "
                + last.getMessage() + ")"));
        return ok;
    }

    private static boolean safely(BooleanSupplier condition) {
        try {
            return condition.getAsBoolean();
        } catch (RuntimeException | AssertionError e) {
            return false;
        }
    }

    /** Polls until the condition holds or the step's time is up; the last error, or null. */
    private Throwable await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + STEP_SECONDS * 1_000_000_000L;
        Throwable last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return null;
                }
                last = null;
            } catch (RuntimeException | AssertionError e) {
                last = e; // a daemon still starting answers with an error
            }
            String dead = lab.deadDaemons();
            if (!dead.isEmpty()) {
                fail("a daemon of the lab stopped\n" + dead);
            }
            pause(Duration.ofMillis(200));
        }
        return last;
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException("not JSON: " + json, e);
        }
    }

    // --- the timeline --------------------------------------------------------------------------

    private record Entry(Instant at, String source, String text) {
    }

    /** Everything that happened, in time order, relative to the cut. */
    private String timeline() {
        List<Entry> entries = new ArrayList<>();
        Instant from = steadyFrom != null ? steadyFrom.minusSeconds(1) : started;
        if (cut != null) {
            entries.add(new Entry(cut, "test", "cut: bridge port cz (towards r2) out of br0 in " + lab.nsCx));
        }
        if (repair != null) {
            entries.add(new Entry(repair, "test", "repair: cz back into br0"));
        }
        for (String r : List.of("r1", "r2")) {
            for (RouterLog.Line l : lab.frrLog(r).matching(from, "went from Established", "to Established",
                    "NOTIFICATION", "newbest", "rcvd " + FailoverLab.WATCHED, "about " + FailoverLab.WATCHED)) {
                entries.add(new Entry(l.at(), r + " bgpd", l.text().replaceFirst("^BGP: \\[[^]]*\\] ", "")));
            }
            for (RouterLog.Line l : lab.charonLog(r).matching(from, "established", "giving up", "deleting",
                    "closing CHILD_SA", "restarting", "initiating IKE_SA primary")) {
                if (l.text().contains("primary") || l.text().contains("giving up")) {
                    entries.add(new Entry(l.at(), r + " charon", l.text()));
                }
            }
        }
        for (BmpTap.Seen s : lab.bmp()) {
            Instant h = s.headerTime();
            String lag = h == null ? "" : String.format(Locale.ROOT, " [arrival - header time = %.3f s]",
                    seconds(h, s.arrival()));
            entries.add(new Entry(s.arrival(), "BMP at collector", s.describe() + lag));
        }
        bmpSummary();
        try {
            meshwatch(entries);
        } catch (RuntimeException | AssertionError e) {
            entries.add(new Entry(Instant.now(), "meshwatch", "could not read the API: " + e));
        }
        entries.sort(Comparator.comparing(Entry::at));
        Instant zero = cut != null ? cut : started;
        StringBuilder b = new StringBuilder("Live failover run " + names.id() + " (times UTC; relative to the "
                + (cut != null ? "cut" : "start") + ")\n");
        summary.forEach(s -> b.append("  ").append(s).append('\n'));
        for (Entry e : entries) {
            b.append(String.format(Locale.ROOT, "%s %+9.3f  %-16s %s%n", CLOCK.format(e.at()), seconds(zero, e.at()),
                    e.source(), e.text()));
        }
        b.append("logs and configurations in ").append(lab.dir).append('\n');
        return b.toString();
    }

    /** When the BMP messages that matter reached the collector, against the routers' log. */
    private void bmpSummary() {
        if (sessionDown != null) {
            first(BmpMessage.PeerDown.class, FailoverLab.R2_PRIMARY, cut).ifPresent(s -> summary.add(String.format(
                    Locale.ROOT, "BMP: Peer Down for %s reached the collector %+.3f s after r1 logged the session "
                    + "down: %s", FailoverLab.R2_PRIMARY, seconds(sessionDown, s.arrival()), s.describe())));
        }
        if (sessionUp != null) {
            first(BmpMessage.PeerUp.class, FailoverLab.R2_PRIMARY, repair).ifPresent(s -> summary.add(String.format(
                    Locale.ROOT, "BMP: Peer Up for %s reached the collector %+.3f s after r1 logged Established",
                    FailoverLab.R2_PRIMARY, seconds(sessionUp, s.arrival()))));
            first(BmpMessage.RouteMonitoring.class, FailoverLab.R2_PRIMARY, repair).ifPresent(s -> summary.add(
                    String.format(Locale.ROOT, "BMP: the primary's route after the repair reached the collector %+.3f s "
                    + "after Established, its header time is %+.3f s after Established (%.3f s before its arrival)",
                    seconds(sessionUp, s.arrival()), seconds(sessionUp, s.headerTime()),
                    seconds(s.headerTime(), s.arrival()))));
        }
    }

    private Optional<BmpTap.Seen> first(Class<? extends BmpMessage> type, String peer, Instant after) {
        return lab.bmp().stream().filter(s -> type.isInstance(s.message()) && !s.arrival().isBefore(after)
                && s.headerTime() != null && peer.equals(s.peer())).findFirst();
    }

    private void meshwatch(List<Entry> entries) {
        for (JsonNode s : labSignals("recent")) {
            boolean firing = "firing".equals(s.path("status").asText());
            entries.add(new Entry(transitionAt(s), "meshwatch", (firing ? "FIRING " : "RESOLVED ") + s.path("name").asText() + " "
                    + s.path("labels") + " startedAt " + time(s.path("startedAt"))
                    + (firing ? "" : " endedAt " + time(s.path("endedAt"))) + " incident "
                    + s.path("incidentId").asText() + (s.path("inhibited").asBoolean() ? " (inhibited)" : "")
                    + " annotations " + s.path("annotations")));
        }
        JsonNode g = group();
        for (String k : List.of("lastFailover", "lastFailback")) {
            JsonNode sw = g.path(k);
            if (sw.hasNonNull("start")) {
                entries.add(new Entry(Instant.parse(sw.path("start").asText()), "meshwatch", k + " start (cause "
                        + sw.path("cause").asText() + ")"));
            }
            if (sw.hasNonNull("end")) {
                entries.add(new Entry(Instant.parse(sw.path("end").asText()), "meshwatch", k + " end: " + sw));
            }
        }
        for (JsonNode i : labIncidents("all")) {
            Instant opened = Instant.parse(i.path("openedAt").asText());
            entries.add(new Entry(opened, "meshwatch", "incident " + i.path("id").asText() + " opened: "
                    + i.path("title").asText()));
            if (i.hasNonNull("resolvedAt")) {
                entries.add(new Entry(Instant.parse(i.path("resolvedAt").asText()), "meshwatch", "incident "
                        + i.path("id").asText() + " " + i.path("status").asText() + ": " + i.path("title").asText()));
            }
        }
        JsonNode peer = meshwatchPeer(FailoverLab.R2_PRIMARY);
        summary.add("Meshwatch's session " + names.r1() + " " + FailoverLab.R2_PRIMARY + " now: " + peer.path("state")
                .asText() + " since " + peer.path("since").asText() + ", flaps " + peer.path("flaps").asText()
                + ", last reason " + peer.path("lastReason").asText());
    }

    private static String time(JsonNode t) {
        return t.isTextual() ? CLOCK.format(Instant.parse(t.asText())) : "-";
    }
}
