package io.meshwatch.console;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.sim.SimTestProfile;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * The console in a real browser (headless Debian Chromium through the system chromedriver) against
 * the running service with its simulator playing the demo network, the real broker and PostgreSQL:
 * sign-in as viewer and responder, a circuit cut seen on the board and the map, acknowledging and
 * silencing from the page, the map against {@code /tunnels} and {@code /circuits}, a prefix lookup,
 * keyboard use, axe-core's accessibility check, no errors in the browser console; the screenshots
 * of docs/console.md are made here.
 */
@QuarkusTest
@TestProfile(SimTestProfile.class)
class ConsoleBrowserTest {

    private static final String CIRCUIT = "dx-ash-use1";
    private static final Duration LIVE = Duration.ofSeconds(15);
    /**
     * Where the screenshots go: target/console-shots, so that a test run changes no tracked file;
     * {@code -Dmeshwatch.console.shots=docs/console} refreshes those of docs/console.md.
     */
    private static final Path SHOTS = Path.of(System.getProperty("meshwatch.console.shots",
            Path.of("target", "console-shots").toString()));

    @TestHTTPResource("/")
    URL base;

    @BeforeEach
    void steady() {
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            JsonPath circuits = given().get("/api/v1/circuits").then().statusCode(200).extract().jsonPath();
            assertEquals(List.of("up"), circuits.getList("findAll { it.id == '" + CIRCUIT + "' }.state"));
            JsonPath tunnels = given().get("/api/v1/tunnels").then().statusCode(200).extract().jsonPath();
            assertTrue(tunnels.getList("phase").stream().allMatch("normal"::equals), "tunnel groups " + tunnels.getList("phase"));
            assertTrue(given().get("/api/v1/incidents?status=open").then().statusCode(200).extract().jsonPath()
                    .getList("findAll { it.root.labels.circuit == '" + CIRCUIT + "' }").isEmpty());
        });
    }

    @Test
    void signInIsRefusedForAnUnknownKeyAndAViewerSeesNoButtons() {
        try (Browser viewer = new Browser(base, 390, 844)) {
            viewer.open("");
            WebElement input = viewer.await(By.id("key"), Duration.ofSeconds(20));
            assertFalse(viewer.driver.findElement(By.id("nav")).isDisplayed(), "navigation before signing in");
            viewer.assertAccessible("the sign-in form");
            input.sendKeys("not-a-key");
            input.sendKeys(Keys.ENTER);
            viewer.waiting(Duration.ofSeconds(10)).until(d -> d.findElement(By.id("signin-error")).getText()
                    .contains("not known"));
            assertEquals(List.of(), viewer.consoleErrors(ConsoleBrowserTest::unauthorisedSignIn));

            viewer.signIn("dev-viewer");
            assertEquals("dev-viewer · viewer", viewer.driver.findElement(By.cssSelector("#who span")).getText());
            viewer.await(By.id("open-h"), Duration.ofSeconds(10));
            // the map and the lookup as a viewer: no action anywhere
            viewer.open("#/map");
            viewer.await(By.cssSelector("[data-link='circuit:" + CIRCUIT + "']"), Duration.ofSeconds(20));
            viewer.selectLink("circuit:" + CIRCUIT);
            viewer.await(By.cssSelector("#link-detail .sessions table"), Duration.ofSeconds(20));
            assertTrue(viewer.driver.findElements(By.cssSelector("button[data-action], #cut-" + CIRCUIT)).isEmpty());
            viewer.driver.findElement(By.id("signout")).click();
            viewer.await(By.id("key"), Duration.ofSeconds(10));
            assertEquals(List.of(), viewer.consoleErrors(s -> false));
        }
    }

    @Test
    void aCircuitCutTurnsItsLinkRedAndIsAcknowledgedAndSilencedFromThePage() throws Exception {
        try (Browser responder = new Browser(base, 1280, 1000); Browser viewer = new Browser(base, 390, 844)) {
            responder.signIn("dev-responder");
            responder.await(By.id("open-h"), Duration.ofSeconds(10));
            responder.assertAccessible("the incident board (quiet)");
            viewer.signIn("dev-viewer");
            viewer.open("#/map");
            viewer.await(By.cssSelector("[data-link='circuit:" + CIRCUIT + "'][data-state='up']"), Duration.ofSeconds(20));
            assertMapMatchesTheApi(viewer);

            // the cut (by the admin key, as bin/sim would)
            Response run = given().contentType(ContentType.JSON).body("{\"circuit\":\"" + CIRCUIT + "\",\"duration\":\"40s\"}")
                    .post("/api/v1/sim/scenarios/circuit-cut").then().statusCode(202).extract().response();
            Instant start = Instant.parse(run.path("start"));
            String runId = run.path("id");

            By incident = By.cssSelector("article.incident[data-root='CircuitDown']");
            responder.waiting(LIVE).until(d -> d.findElements(incident).stream()
                    .anyMatch(e -> e.getText().contains(CIRCUIT)));
            viewer.waiting(LIVE).until(d -> !d.findElements(
                    By.cssSelector("[data-link='circuit:" + CIRCUIT + "'][data-state='down']")).isEmpty());
            Duration seen = Duration.between(start, Instant.now());
            assertTrue(seen.compareTo(LIVE) < 0, "board and map showed the cut " + seen + " after the scenario's start");

            // the map follows the API during the cut too, and the link shows its probes and sessions
            assertMapMatchesTheApi(viewer);
            viewer.selectLink("circuit:" + CIRCUIT);
            viewer.waiting(Duration.ofSeconds(20)).until(d -> d.findElement(By.id("link-detail")).getText()
                    .contains("Probes over " + CIRCUIT));
            viewer.waiting(Duration.ofSeconds(20)).until(d -> d.findElement(By.id("link-detail")).getText()
                    .contains("169.254.10.2"));
            viewer.screenshot(SHOTS.resolve("map-phone.png"));

            // the viewer's board: the incident, no buttons
            viewer.open("#/board");
            viewer.await(incident, LIVE);
            assertTrue(viewer.driver.findElements(By.cssSelector("button[data-action]")).isEmpty(),
                    "a viewer must not see buttons it cannot use");

            // acknowledge the root cause from the responder's page; the viewer's page follows
            String fp = responder.waiting(LIVE).until(d -> d.findElements(incident).stream()
                    .filter(e -> e.getText().contains(CIRCUIT)).findFirst()
                    .map(e -> e.findElement(By.cssSelector(".alert[data-role='root']")).getAttribute("data-fingerprint"))
                    .orElse(null));
            responder.await(By.id("ack-" + fp), LIVE);
            responder.assertAccessible("the incident board during a circuit cut");
            responder.waiting(Duration.ofSeconds(10)).until(d -> {
                d.findElement(By.id("ack-" + fp)).click();
                return true;
            });
            By acknowledged = By.cssSelector("article.incident .alert[data-fingerprint='" + fp + "'][data-state='acknowledged']");
            responder.await(acknowledged, Duration.ofSeconds(5));
            viewer.await(acknowledged, Duration.ofSeconds(5));
            given().get("/api/v1/alerts/{fp}", fp).then().statusCode(200)
                    .body("state", org.hamcrest.Matchers.equalTo("acknowledged"))
                    .body("acknowledgedBy", org.hamcrest.Matchers.equalTo("dev-responder"));
            responder.await(By.cssSelector("article.incident .alert[data-role='child']"), LIVE);
            responder.screenshot(SHOTS.resolve("board.png"));
            viewer.screenshot(SHOTS.resolve("board-phone.png"));

            // silence a child from its labels, for 2 hours
            String childFp = responder.waiting(LIVE).until(d -> d.findElement(
                    By.cssSelector("article.incident .alert[data-role='child']")).getAttribute("data-fingerprint"));
            Map<String, String> labels = new HashMap<>(given().get("/api/v1/alerts/{fp}", childFp).then().statusCode(200)
                    .extract().jsonPath().getMap("labels", String.class, String.class));
            labels.put("alertname", given().get("/api/v1/alerts/{fp}", childFp).then().extract().path("alertname"));
            responder.waiting(Duration.ofSeconds(10)).until(d -> {
                d.findElement(By.id("silence-" + childFp)).click();
                return true;
            });
            WebElement dialog = responder.await(By.id("silence-dialog"), Duration.ofSeconds(5));
            for (Map.Entry<String, String> l : labels.entrySet()) {
                assertTrue(dialog.getText().contains(l.getKey() + "=" + l.getValue()), "prefilled " + l + " in " + dialog.getText());
            }
            responder.assertAccessible("the silence form");
            dialog.findElement(By.cssSelector("button[type=submit]")).click();
            responder.waiting(Duration.ofSeconds(10)).until(d -> d.findElements(By.id("silence-dialog")).isEmpty());
            List<Map<String, Object>> silences = given().get("/api/v1/silences?state=active&limit=500").then().statusCode(200)
                    .extract().jsonPath().getList("items.findAll { it.createdBy == 'dev-responder' }");
            Map<String, Object> silence = silences.stream().filter(s -> matchers(s).equals(labels)).findFirst()
                    .orElseThrow(() -> new AssertionError("no silence of " + labels + " among " + silences));
            Duration length = Duration.between(Instant.parse((String) silence.get("startsAt")),
                    Instant.parse((String) silence.get("endsAt")));
            assertTrue(Math.abs(length.minusHours(2).toSeconds()) < 60, "a 2 h silence, not " + length);
            given().header("Authorization", "Bearer dev-responder").delete("/api/v1/silences/{id}", silence.get("id"))
                    .then().statusCode(200);

            // the route changes of its blast radius, replayed from the routers' logs: the PrivateLink
            // prefix went to the backup tunnel's peer
            By routes = By.cssSelector("article.incident[data-root='CircuitDown'] details[data-route-changes]");
            responder.waiting(Duration.ofSeconds(10)).until(d -> {
                d.findElement(routes).findElement(By.tagName("summary")).click();
                return true;
            });
            responder.waiting(Duration.ofSeconds(20)).until(d -> d.findElement(routes).getText()
                    .contains("cx-ash 10.1.200.0/24: via 169.254.110.2"));
            responder.assertAccessible("the route changes of an incident");

            // the map during the cut, for docs/console.md
            responder.open("#/map");
            responder.await(By.cssSelector("[data-link='circuit:" + CIRCUIT + "'][data-state='down']"), LIVE);
            String[] last = {""};
            try {
                responder.waiting(Duration.ofSeconds(20)).until(d -> {
                    // a real pointer click on the middle of the line (its ends lie under the router boxes)
                    WebElement link = d.findElement(By.cssSelector("[data-link='circuit:" + CIRCUIT + "'][data-state]"));
                    Object at = responder.js().executeScript("""
                            const line = arguments[0].querySelector('.line');
                            if (!line) { return arguments[0].outerHTML; }
                            line.scrollIntoView({ block: 'center' });
                            const p = line.getPointAtLength(line.getTotalLength() / 2);
                            const m = line.getScreenCTM();
                            return [p.x * m.a + p.y * m.c + m.e, p.x * m.b + p.y * m.d + m.f];
                            """, link);
                    if (!(at instanceof List<?> xy)) {
                        last[0] = String.valueOf(at);
                        return false;
                    }
                    new Actions(d).moveToLocation(((Number) xy.get(0)).intValue(), ((Number) xy.get(1)).intValue())
                            .click().perform();
                    return ("circuit:" + CIRCUIT).equals(d.findElement(By.id("link-detail")).getAttribute("data-link"));
                });
            } catch (org.openqa.selenium.TimeoutException e) {
                throw new AssertionError("could not click the map's line; the link element: " + last[0], e);
            }
            responder.waiting(Duration.ofSeconds(20)).until(d -> d.findElement(By.id("link-detail")).getText()
                    .contains("169.254.10.2"));
            responder.assertAccessible("the map during a circuit cut");
            responder.screenshot(SHOTS.resolve("map.png"));

            assertEquals(List.of(), responder.consoleErrors(s -> false));
            assertEquals(List.of(), viewer.consoleErrors(s -> false));
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> given().get("/api/v1/sim/scenarios/runs/{id}", runId)
                    .then().statusCode(200).body("state", org.hamcrest.Matchers.equalTo("RESOLVED")));
        }
    }

    @Test
    void aPrefixIsLookedUpAndTheRouterPageListsItsSessionsAllByKeyboard() {
        try (Browser responder = new Browser(base, 1280, 1000)) {
            responder.signIn("dev-responder");
            responder.open("#/lookup");
            new Select(responder.await(By.id("lookup-router"), Duration.ofSeconds(20))).selectByValue("cx-ash");
            WebElement q = responder.driver.findElement(By.id("lookup-query"));
            q.sendKeys("10.1.200.0/24");
            q.sendKeys(Keys.ENTER);
            WebElement route = responder.await(By.cssSelector("#route[data-prefix='10.1.200.0/24']"), Duration.ofSeconds(20));
            JsonPath api = given().get("/api/v1/routers/cx-ash/routes?prefix=10.1.200.0/24&match=exact").then().statusCode(200)
                    .extract().jsonPath();
            assertEquals(api.getString("routes[0].best.peer"), route.findElement(By.id("best-peer")).getText());
            assertEquals(api.getString("routes[0].reason"), route.findElement(By.id("best-reason")).getAttribute("data-reason"));
            assertEquals(api.getList("routes[0].others").size(),
                    route.findElements(By.cssSelector("table.paths[data-best='false'] tbody tr")).size());
            responder.assertAccessible("a route lookup");

            // an address: the longest match
            q.clear();
            q.sendKeys("10.1.200.7");
            q.sendKeys(Keys.ENTER);
            responder.await(By.cssSelector("#route[data-prefix='10.1.200.0/24']"), Duration.ofSeconds(20));

            // keyboard only: tab to the map's first link and open it with Enter
            responder.open("#/map");
            responder.await(By.cssSelector("[data-link]"), Duration.ofSeconds(20));
            Actions keys = new Actions(responder.driver);
            String reached = null;
            for (int i = 0; i < 60 && reached == null; i++) {
                keys.sendKeys(Keys.TAB).perform();
                Object link = responder.js().executeScript("return document.activeElement && document.activeElement.dataset "
                        + "? document.activeElement.dataset.link : null");
                reached = link == null ? null : link.toString();
            }
            assertFalse(reached == null, "no map link reachable with the Tab key");
            keys.sendKeys(Keys.ENTER).perform();
            final String opened = reached;
            responder.waiting(Duration.ofSeconds(20)).until(d -> opened.equals(d.findElement(By.id("link-detail"))
                    .getAttribute("data-link")));

            // the router page: every session with its state, since-when, flaps and route counts
            responder.open("#/router/cx-ash");
            responder.await(By.cssSelector("#peers tbody tr"), Duration.ofSeconds(20));
            List<Map<String, Object>> peers = given().get("/api/v1/routers/cx-ash/peers").then().statusCode(200)
                    .extract().jsonPath().getList("$");
            for (Map<String, Object> p : peers) {
                WebElement row = responder.driver.findElement(By.cssSelector("#peers tr[data-peer='" + p.get("peer") + "']"));
                assertTrue(row.getText().contains(String.valueOf(p.get("peerAs"))), row.getText());
                assertTrue(row.getText().contains(String.valueOf(p.get("ipv4Routes"))), row.getText());
            }
            responder.assertAccessible("the router page");
            assertEquals(List.of(), responder.consoleErrors(s -> false));
        }
    }

    /** Every circuit and tunnel group on the map in the state the API gives, at one moment (retried). */
    private static void assertMapMatchesTheApi(Browser b) {
        await().atMost(LIVE).pollInterval(Duration.ofMillis(300))
                .ignoreExceptionsInstanceOf(org.openqa.selenium.StaleElementReferenceException.class).untilAsserted(() -> {
            List<Map<String, Object>> circuits = given().get("/api/v1/circuits").then().statusCode(200).extract()
                    .jsonPath().getList("$");
            List<Map<String, Object>> groups = given().get("/api/v1/tunnels").then().statusCode(200).extract()
                    .jsonPath().getList("$");
            assertEquals(circuits.size() + groups.size(), b.driver.findElements(By.cssSelector("svg.map [data-link]")).size());
            for (Map<String, Object> c : circuits) {
                WebElement link = b.driver.findElement(By.cssSelector("[data-link='circuit:" + c.get("id") + "']"));
                assertEquals(c.get("state"), link.getAttribute("data-state"), "circuit " + c.get("id"));
            }
            for (Map<String, Object> g : groups) {
                WebElement link = b.driver.findElement(By.cssSelector("[data-link='tunnel:" + g.get("id") + "']"));
                assertEquals(g.get("phase"), link.getAttribute("data-phase"), "tunnel group " + g.get("id"));
                String carrying = String.valueOf(g.get("carrying"));
                assertTrue(b.driver.findElement(By.cssSelector("tr[data-row='tunnel:" + g.get("id") + "']")).getText()
                        .contains(carrying), "tunnel group " + g.get("id") + " carrying " + carrying);
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> matchers(Map<String, Object> silence) {
        Map<String, String> out = new HashMap<>();
        for (Map<String, Object> m : (List<Map<String, Object>>) silence.get("matchers")) {
            out.put((String) m.get("name"), (String) m.get("value"));
        }
        return out;
    }

    /** The one error a refused sign-in leaves in the console: the browser's note of the 401 answer. */
    private static boolean unauthorisedSignIn(String message) {
        return message.contains("/api/v1/me") && message.contains("401");
    }
}
