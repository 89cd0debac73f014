package io.meshwatch.bmp;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.bmp.RouterViews.Attrs;
import io.meshwatch.bmp.RouterViews.View;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The BMP collector against real routers: FRR 8.4 and two GoBGP 3.10 in network namespaces with
 * real eBGP sessions ({@link LiveLab}); FRR and the first GoBGP stream BMP to the collector of the
 * running service, whose events go through the real broker into its route tables. After each step
 * of a scenario (announcements, more announcements, withdrawals, attribute changes, a session
 * reset from FRR, a neighbour disabled and enabled on GoBGP) Meshwatch's routes, read from its API,
 * must equal what the routers themselves show, per monitored peer and prefix, with next hop, AS
 * path, MED and communities:
 * <ul>
 *   <li>FRR: every path of {@code show bgp ipv4 unicast json detail} (its Adj-RIB-In after policy,
 *       by peer, with its own network under 0.0.0.0) against the FRR router's paths by peer.</li>
 *   <li>GoBGP: {@code gobgp neighbor FRR adj-in -j} against its paths from FRR, and the best paths
 *       of {@code gobgp global rib -j} against the Loc-RIB it reports (RFC 9069).</li>
 * </ul>
 * Then FRR's link to the collector is cut: TCP keep-alive ends the connection, RouterFeedLost fires and
 * FRR's sessions and routes are marked stale in the API and the metrics; the repaired link and FRR's
 * reconnection clear both. When the routers stop, both connections end without a Termination (quirk 8)
 * and FRR's routes stay as last reported.
 *
 * <p>Needs root, {@code ip netns}, FRR and GoBGP ({@code bin/test} installs the programs): without
 * them it fails with the reason, never skips. Run alone: {@code bin/test -Dtest=LiveRoutersTest}.
 */
@QuarkusTest
class LiveRoutersTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long STEP_SECONDS = 30;

    @Inject
    BmpCollector collector;

    @Inject
    MeterRegistry registry;

    private LiveLab lab;

    @Test
    void meshwatchHoldsWhatTheRoutersHold() throws Exception {
        String missing = LiveLab.missingProgram();
        if (missing != null) {
            fail("the live BMP interoperability test starts real routers: " + missing);
        }
        // no skip: a machine that cannot make network namespaces (not root, a container without
        // the capability) fails here with the reason; leave the test out there explicitly with
        // bin/test -Dtest='!LiveRoutersTest' -Dsurefire.failIfNoSpecifiedTests=false
        String why = LiveLab.unavailable();
        if (why != null) {
            fail("the live BMP interoperability test cannot run on this machine: " + why + "; run it as root on a "
                    + "machine that allows network namespaces, or leave it out explicitly with "
                    + "-Dtest='!LiveRoutersTest'");
        }
        double endedWithoutTermination = noTermination();
        View frrBefore;
        try (LiveLab l = LiveLab.start(Path.of("target", "live-routers").toAbsolutePath(), collector.port())) {
            lab = l;
            scenario();
            collectorLinkCut();
            frrBefore = meshwatch(lab.frrHostname);
        }
        // the routers are gone: neither sends a Termination (quirk 8), and their last routes stay
        long deadline = System.nanoTime() + STEP_SECONDS * 1_000_000_000L;
        while (noTermination() < endedWithoutTermination + 2 && System.nanoTime() < deadline) {
            sleep();
        }
        assertTrue(noTermination() >= endedWithoutTermination + 2, "both BMP connections counted as ended without "
                + "Termination: " + (noTermination() - endedWithoutTermination));
        assertFalse(frrBefore.peer(LiveLab.G1).isEmpty(), "FRR's routes from the first GoBGP at the end");
        assertEquals(List.of(), RouterViews.diff(frrBefore, meshwatch(lab.frrHostname)),
                "FRR's routes stay as last reported after its connection ended");
    }

    private double noTermination() {
        return registry.get("meshwatch.bmp.quirks").tag("quirk", BmpQuirk.NO_TERMINATION.label()).counter().count();
    }

    private void scenario() {
        awaitRouters("both FRR sessions established", () -> established(LiveLab.G1) && established(LiveLab.G2));
        awaitRouters("Meshwatch knows FRR's two sessions and GoBGP's", () ->
                "established".equals(meshwatchPeer(lab.frrHostname, LiveLab.G1).path("state").asText())
                && "established".equals(meshwatchPeer(lab.frrHostname, LiveLab.G2).path("state").asText())
                && "established".equals(meshwatchPeer(lab.g1Source, LiveLab.FRR_G1).path("state").asText()));
        awaitSame("sessions up, only FRR's own network");

        g1("global", "rib", "add", "-a", "ipv4", "203.0.113.0/24", "origin", "igp", "med", "10", "community", "65001:100");
        g1("global", "rib", "add", "-a", "ipv4", "198.51.100.0/25", "origin", "igp", "community", "65001:200");
        g2("global", "rib", "add", "-a", "ipv4", "198.51.100.0/25", "origin", "igp", "med", "5");
        g2("global", "rib", "add", "-a", "ipv4", "100.70.0.0/16", "origin", "incomplete", "community",
                "65003:7,65003:8");
        awaitRouters("FRR holds both peers' announcements, the first GoBGP the second's", () ->
                frr().peer(LiveLab.G1).containsKey("203.0.113.0/24")
                && frr().peer(LiveLab.G2).containsKey("100.70.0.0/16")
                && frr().peer(LiveLab.G2).containsKey("198.51.100.0/25")
                && gobgp().peer(LiveLab.FRR_G1).containsKey("100.70.0.0/16"));
        awaitSame("first announcements");

        g1("global", "rib", "add", "-a", "ipv4", "198.51.100.128/25", "origin", "egp", "aspath", "64500,64501",
                "med", "50");
        g2("global", "rib", "add", "-a", "ipv4", "100.71.0.0/24", "origin", "igp");
        awaitRouters("FRR holds the second announcements, the first GoBGP the second's", () -> frr().peer(LiveLab.G1)
                .containsKey("198.51.100.128/25") && frr().peer(LiveLab.G2).containsKey("100.71.0.0/24")
                && gobgp().peer(LiveLab.FRR_G1).containsKey("100.71.0.0/24"));
        awaitSame("second announcements (an AS path of three, origin egp)");

        g1("global", "rib", "del", "-a", "ipv4", "198.51.100.128/25");
        g2("global", "rib", "del", "-a", "ipv4", "100.70.0.0/16");
        awaitRouters("FRR and the first GoBGP have dropped the withdrawn routes", () -> !frr().peer(LiveLab.G1)
                .containsKey("198.51.100.128/25") && !frr().peer(LiveLab.G2).containsKey("100.70.0.0/16")
                && !gobgp().peer(LiveLab.FRR_G1).containsKey("100.70.0.0/16")
                && !gobgp().peer(RouterViews.LOC_RIB).containsKey("198.51.100.128/25"));
        awaitSame("withdrawals");

        g1("global", "rib", "add", "-a", "ipv4", "203.0.113.0/24", "origin", "igp", "med", "20", "community", "65001:101");
        g2("global", "rib", "add", "-a", "ipv4", "198.51.100.0/25", "origin", "igp", "med", "7", "community", "65003:9");
        g2("global", "rib", "add", "-a", "ipv4", "100.71.0.0/24", "origin", "igp", "community", "65003:42");
        awaitRouters("FRR and the first GoBGP hold the changed attributes", () -> {
            Attrs a = frr().peer(LiveLab.G1).get("203.0.113.0/24");
            Attrs b = frr().peer(LiveLab.G2).get("198.51.100.0/25");
            Attrs c = gobgp().peer(LiveLab.FRR_G1).get("100.71.0.0/24");
            Attrs d = gobgp().peer(RouterViews.LOC_RIB).get("203.0.113.0/24");
            return a != null && Long.valueOf(20).equals(a.med()) && a.communities().equals(List.of("65001:101"))
                    && b != null && Long.valueOf(7).equals(b.med())
                    && c != null && c.communities().equals(List.of("65003:42"))
                    && d != null && Long.valueOf(20).equals(d.med());
        });
        awaitSame("attribute change (MED and community, implicit replace)");

        long frrFlaps = meshwatchPeer(lab.frrHostname, LiveLab.G2).path("flaps").asLong();
        lab.vtysh("clear bgp " + LiveLab.G2);
        awaitRouters("Meshwatch saw FRR's session to the second GoBGP go down and come back", () ->
                meshwatchPeer(lab.frrHostname, LiveLab.G2).path("flaps").asLong() > frrFlaps
                && established(LiveLab.G2) && frr().peer(LiveLab.G2).containsKey("198.51.100.0/25")
                && gobgp().peer(LiveLab.FRR_G1).containsKey("100.71.0.0/24"));
        awaitSame("session reset from FRR (clear bgp)");

        long g1Flaps = meshwatchPeer(lab.g1Source, LiveLab.FRR_G1).path("flaps").asLong();
        g1("neighbor", LiveLab.FRR_G1, "disable");
        awaitRouters("FRR's session to the first GoBGP is down", () -> !established(LiveLab.G1)
                && meshwatchPeer(lab.g1Source, LiveLab.FRR_G1).path("flaps").asLong() > g1Flaps);
        awaitSame("first GoBGP's neighbour disabled: its routes gone on both sides");
        g1("neighbor", LiveLab.FRR_G1, "enable");
        awaitRouters("the session is back with its routes on both sides", () -> established(LiveLab.G1)
                && frr().peer(LiveLab.G1).containsKey("203.0.113.0/24")
                && gobgp().peer(LiveLab.FRR_G1).containsKey("192.0.2.0/24")
                && gobgp().peer(LiveLab.FRR_G1).containsKey("100.71.0.0/24"));
        awaitSame("first GoBGP's neighbour enabled again");
    }

    /**
     * The link between FRR and the collector is cut (its end of the veth down: no FIN, no reset, as when
     * a cable or a firewall drops it): TCP keep-alive ends the connection ({@code %test} profile: 2 s
     * idle, 2 probes 1 s apart), the collector produces {@code bgp.feed_state lost}, and Meshwatch raises
     * RouterFeedLost for FRR and marks its sessions and routes stale, in the API and the metrics. Then the
     * link is repaired and a route change makes FRR write: its old connection is refused, it dials
     * again, and the feed's {@code up} resolves the signal and clears the marks.
     */
    private void collectorLinkCut() {
        String router = lab.frrHostname;
        LiveLab.sh(10, "ip", "-n", lab.nsFrr, "link", "set", "col", "down");
        long cut = System.currentTimeMillis();
        awaitRouters("RouterFeedLost for FRR, its state marked stale", () -> feedLost(router) != null
                && !routerView(router).path("staleSince").isNull()
                && !meshwatchPeer(router, LiveLab.G1).path("staleSince").isNull()
                && !routesPage(router).path("staleSince").isNull()
                && staleGauge(router) == 1.0);
        JsonNode signal = feedLost(router);
        System.out.println("live BMP: link cut, RouterFeedLost after " + (System.currentTimeMillis() - cut)
                + " ms: " + signal);
        assertEquals("bmp", signal.path("labels").path("feed").asText());
        assertEquals("major", signal.path("severity").asText());
        assertEquals("lost", routerView(router).path("feed").asText());
        assertEquals("established", meshwatchPeer(router, LiveLab.G1).path("state").asText(),
                "its sessions stay as last reported, marked stale");

        LiveLab.sh(10, "ip", "-n", lab.nsFrr, "link", "set", "col", "up");
        g2("global", "rib", "add", "-a", "ipv4", "100.72.0.0/24", "origin", "igp");
        awaitRouters("FRR reconnected: RouterFeedLost resolved, nothing stale", () -> feedLost(router) == null
                && routerView(router).path("staleSince").isNull()
                && "up".equals(routerView(router).path("feed").asText())
                && meshwatchPeer(router, LiveLab.G1).path("staleSince").isNull()
                && staleGauge(router) == 0.0);
        awaitSame("FRR's collector link cut and repaired");
    }

    /** The firing RouterFeedLost of a router, or null. */
    private static JsonNode feedLost(String router) {
        for (JsonNode s : tree(given().get("/api/v1/signals").then().statusCode(200).extract().asString())) {
            if ("RouterFeedLost".equals(s.path("name").asText()) && router.equals(s.path("labels").path("router")
                    .asText())) {
                return s;
            }
        }
        return null;
    }

    private static JsonNode routerView(String router) {
        for (JsonNode r : tree(given().get("/api/v1/routers").then().statusCode(200).extract().asString())) {
            if (router.equals(r.path("id").asText())) {
                return r;
            }
        }
        return JSON.missingNode();
    }

    private static JsonNode routesPage(String router) {
        return tree(given().get("/api/v1/routers/{r}/routes", router).then().statusCode(200).extract().asString());
    }

    private double staleGauge(String router) {
        var g = registry.find("meshwatch.network.router.stale").tag("router", router).gauge();
        return g == null ? -1 : g.value();
    }

    private void g1(String... args) {
        lab.gobgp(lab.nsG1, args);
    }

    private void g2(String... args) {
        lab.gobgp(lab.nsG2, args);
    }

    private boolean established(String peer) {
        JsonNode summary = tree(lab.vtysh("show bgp ipv4 unicast summary json"));
        return "Established".equals(summary.path("peers").path(peer).path("state").asText());
    }

    private View frr() {
        return RouterViews.frr(lab.vtysh("show bgp ipv4 unicast json detail"));
    }

    private View gobgp() {
        // adj-in is GoBGP's Adj-RIB-In before policy: it keeps the paths FRR echoes back with 65001
        // in them, which loop detection rejects, so they are not in the post-policy monitoring
        String adjIn;
        try {
            adjIn = lab.gobgp(lab.nsG1, "neighbor", LiveLab.FRR_G1, "adj-in", "-j");
        } catch (IllegalStateException e) {
            if (!e.getMessage().contains("is not established")) {
                throw e;
            }
            adjIn = "{}"; // GoBGP answers with an error instead of an empty table while the session is down
        }
        View v = RouterViews.gobgp(adjIn, LiveLab.FRR_G1).withoutLoops(LiveLab.G1_AS);
        RouterViews.gobgp(lab.gobgp(lab.nsG1, "global", "rib", "-j"), RouterViews.LOC_RIB).peers.forEach(
                (peer, routes) -> routes.forEach((prefix, a) -> v.put(peer, prefix, a)));
        return v;
    }

    /** Meshwatch's routes of one router, all pages of its API. */
    private static View meshwatch(String router) {
        View v = new View();
        String cursor = "";
        do {
            String body = given().queryParam("limit", 1000).queryParam("cursor", cursor)
                    .get("/api/v1/routers/{r}/routes", router).then().statusCode(200).extract().asString();
            RouterViews.meshwatch(body, v);
            cursor = tree(body).path("next").asText("");
        } while (!cursor.isEmpty());
        return v;
    }

    private static JsonNode meshwatchPeer(String router, String peer) {
        String body = given().get("/api/v1/routers/{r}/peers", router).then().extract().asString();
        for (JsonNode p : tree(body)) {
            if (peer.equals(p.path("peer").asText())) {
                return p;
            }
        }
        return JSON.missingNode();
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException("not JSON: " + json, e);
        }
    }

    /** Polls until both routers' views equal Meshwatch's, or fails with the differences. */
    private void awaitSame(String step) {
        long deadline = System.nanoTime() + STEP_SECONDS * 1_000_000_000L;
        List<String> frrDiff;
        List<String> gobgpDiff;
        while (true) {
            frrDiff = RouterViews.diff(frr(), meshwatch(lab.frrHostname));
            gobgpDiff = RouterViews.diff(gobgp(), meshwatch(lab.g1Source));
            if (frrDiff.isEmpty() && gobgpDiff.isEmpty()) {
                System.out.println("live BMP: same routes after step '" + step + "': FRR " + frr().peers.keySet()
                        + ", GoBGP " + gobgp().peers.keySet());
                return;
            }
            if (System.nanoTime() > deadline) {
                break;
            }
            sleep();
        }
        fail("after step '" + step + "' Meshwatch's route tables still differ from the routers' after " + STEP_SECONDS
                + " s\nFRR (router " + lab.frrHostname + "):\n  " + String.join("\n  ", frrDiff)
                + "\nGoBGP (router " + lab.g1Source + "):\n  " + String.join("\n  ", gobgpDiff)
                + "\n" + lab.deadDaemons() + "logs in " + lab.dir);
    }

    /** Polls a condition on the routers (or Meshwatch's sessions) until it holds, or fails naming it. */
    private void awaitRouters(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + STEP_SECONDS * 1_000_000_000L;
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
                last = null;
            } catch (RuntimeException e) {
                last = e; // a router still starting answers with an error
            }
            String dead = lab.deadDaemons();
            if (!dead.isEmpty()) {
                fail("a router stopped while waiting for: " + what + "\n" + dead);
            }
            sleep();
        }
        fail("not within " + STEP_SECONDS + " s: " + what + (last == null ? "" : " (last error: " + last.getMessage()
                + ")") + "\nFRR: " + LiveLab.tail(lab.dir.resolve("bgpd.log")) + "\nlogs in " + lab.dir);
    }

    private static void sleep() {
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
