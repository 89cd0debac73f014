package io.meshwatch.bench;

import io.meshwatch.console.Browser;
import io.meshwatch.testing.PackagedService;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The console's figures (issue 16), against the packaged service with its simulator playing the demo
 * network, a scratch broker and PostgreSQL, in headless Debian Chromium:
 * <ul>
 * <li>page load to first useful paint: navigation start to the board's (and the map's) first render
 *     with data ({@code performance.mark}), cache disabled, RUNS loads each; the browser's first
 *     contentful paint beside it; peer: the raw {@code GET /api/v1/incidents?status=open} call time;
 * <li>the page's transfer size on a cold load (every resource, the API answers included);
 * <li>signal to board: RUNS circuit cuts; for each, the CircuitDown signal's {@code raisedAt} (the
 *     service's decision) to the moment the board's DOM shows the incident (a MutationObserver in the
 *     page); peer: the same signal's arrival on a plain HTTP reader of {@code /api/v1/stream}.
 * </ul>
 * One machine, one clock: the browser's {@code Date.now()}, this JVM's and the service's.
 */
public final class ConsoleBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ConsoleBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        ServiceProcess.requireJar();
        try (ScratchKafka kafka = ScratchKafka.start()) {
            Map<String, String> env = new HashMap<>();
            env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
            env.put("KAFKA_GROUP_ID", "meshwatch-console-bench-" + UUID.randomUUID());
            env.put("MESHWATCH_DB_NAME", System.getenv().getOrDefault("E2E_DB_NAME", "meshwatch_bench"));
            env.put("MESHWATCH_INVENTORY_FILE", "classpath:inventory/demo.yaml");
            env.put("MESHWATCH_SIM_ENABLED", "true");
            env.put("MESHWATCH_SIM_HOLD_TIME", "1s");
            env.put("MESHWATCH_SIM_DPD_TIMEOUT", "300ms");
            env.put("MESHWATCH_SIM_SCENARIO_DURATION", "3s");
            env.put("MESHWATCH_DETECT_RESOLVE_HOLD_DOWN", "0s");
            try (PackagedService service = PackagedService.launch("console",
                    ServiceProcess.LOGS.resolve("console-service.log"), List.of("-Xmx2g"), env)) {
                service.awaitReady(Duration.ofSeconds(180));
                awaitSteady(service);
                try (Browser browser = new Browser(new URL(service.base() + "/"), 1280, 1000)) {
                    browser.signIn(PackagedService.API_KEY);
                    pageLoad(service, browser, runs);
                    signalToBoard(service, browser, runs);
                }
            }
        }
    }

    private static void awaitSteady(PackagedService service) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode routers = JSON.readTree(service.body("/api/v1/routers"));
            int steady = 0;
            for (JsonNode r : routers) {
                if (r.path("down").asInt() == 0 && r.path("routes").size() > 0) {
                    steady++;
                }
            }
            if (steady >= 5) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the simulated network did not come up in 120 s");
    }

    private static void pageLoad(PackagedService service, Browser b, int runs) throws Exception {
        b.driver.executeCdpCommand("Network.enable", Map.of());
        b.driver.executeCdpCommand("Network.setCacheDisabled", Map.of("cacheDisabled", true));
        for (String view : List.of("board", "map")) {
            List<Double> useful = new ArrayList<>();
            List<Double> fcp = new ArrayList<>();
            List<Double> api = new ArrayList<>();
            long bytes = 0;
            long staticBytes = 0;
            for (int i = 0; i < runs; i++) {
                // a new URL each time: a full load of the document and every module (cache disabled)
                b.driver.get(service.base() + "/?load=" + view + i + "#/" + view);
                String mark = "meshwatch:" + view;
                try {
                    b.waiting(Duration.ofSeconds(30)).until(d -> ((Number) b.driver.executeScript(
                            "return performance.getEntriesByName(arguments[0]).length", mark)).intValue() > 0);
                } catch (org.openqa.selenium.TimeoutException e) {
                    throw new IllegalStateException("no " + mark + " within 30 s; the page shows: "
                            + b.driver.executeScript("return document.body.innerText") + "\nresources: "
                            + b.driver.executeScript("return performance.getEntriesByType('resource').map(e => e.name + ' '"
                            + " + Math.round(e.responseEnd)).join('\\n')") + "\nlogs: "
                            + b.driver.manage().logs().get("browser").getAll(), e);
                }
                Thread.sleep(300); // let the page's last API answers finish, for the byte count
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) b.driver.executeScript("""
                        const nav = performance.getEntriesByType('navigation')[0];
                        const res = performance.getEntriesByType('resource');
                        const paint = performance.getEntriesByName('first-contentful-paint')[0];
                        const sum = (l) => l.reduce((a, e) => a + (e.transferSize || 0), 0);
                        return { useful: performance.getEntriesByName(arguments[0])[0].startTime,
                                 fcp: paint ? paint.startTime : -1,
                                 total: nav.transferSize + sum(res),
                                 statics: nav.transferSize + sum(res.filter(e => !e.name.includes('/api/'))) };
                        """, mark);
                useful.add(((Number) m.get("useful")).doubleValue());
                fcp.add(((Number) m.get("fcp")).doubleValue());
                bytes = ((Number) m.get("total")).longValue();
                staticBytes = ((Number) m.get("statics")).longValue();
                long t0 = System.nanoTime();
                service.body("/api/v1/incidents?status=open");
                api.add((System.nanoTime() - t0) / 1e6);
            }
            System.out.printf(Locale.ROOT, "%s load ms (useful): %s%n", view, useful);
            System.out.printf(Locale.ROOT, "RESULT %s_first_useful_paint_ms median=%.0f p99=%.0f | first_contentful_paint_ms "
                    + "median=%.0f | peer GET /incidents?status=open ms median=%.1f | transfer bytes total=%d static=%d "
                    + "(cache disabled, %d loads, load %s)%n", view, pct(useful, 50), pct(useful, 99), pct(fcp, 50),
                    pct(api, 50), bytes, staticBytes, runs, load());
        }
        b.driver.executeCdpCommand("Network.setCacheDisabled", Map.of("cacheDisabled", false));
    }

    private static void signalToBoard(PackagedService service, Browser b, int runs) throws Exception {
        b.open("#/board");
        b.waiting(Duration.ofSeconds(30)).until(d -> "on".equals(d.findElement(
                org.openqa.selenium.By.id("live")).getAttribute("data-live")));
        b.driver.executeScript("""
                window.__seen = {};
                new MutationObserver(() => {
                  for (const a of document.querySelectorAll('article.incident[data-root="CircuitDown"]')) {
                    if (!(a.dataset.incident in window.__seen)) { window.__seen[a.dataset.incident] = Date.now(); }
                  }
                }).observe(document.getElementById('main'), { childList: true, subtree: true });
                """);
        Map<String, Long> streamSeen = new ConcurrentHashMap<>();
        Thread reader = streamReader(service, streamSeen);
        List<Double> board = new ArrayList<>();
        List<Double> stream = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            HttpResponse<String> started = service.post("/api/v1/sim/scenarios/circuit-cut",
                    "{\"circuit\":\"dx-ash-use1\",\"duration\":\"3s\"}");
            if (started.statusCode() != 202) {
                throw new IllegalStateException("circuit-cut refused: " + started.body());
            }
            String run = JSON.readTree(started.body()).path("id").asText();
            long deadline = System.currentTimeMillis() + 30_000;
            String incident = null;
            long shownAt = 0;
            while (incident == null && System.currentTimeMillis() < deadline) {
                @SuppressWarnings("unchecked")
                Map<String, Object> seen = (Map<String, Object>) b.driver.executeScript("return window.__seen");
                for (Map.Entry<String, Object> e : seen.entrySet()) {
                    JsonNode inc = JSON.readTree(service.body("/api/v1/incidents/" + e.getKey()));
                    if (!inc.path("resolvedAt").isNull() && !inc.path("status").asText().equals("open")) {
                        continue;
                    }
                    if (Instant.parse(inc.path("openedAt").asText()).isAfter(Instant.parse(
                            JSON.readTree(started.body()).path("start").asText()).minusSeconds(1))) {
                        incident = e.getKey();
                        shownAt = ((Number) e.getValue()).longValue();
                    }
                }
                Thread.sleep(100);
            }
            if (incident == null) {
                throw new IllegalStateException("run " + i + ": the board never showed the cut's incident");
            }
            JsonNode inc = JSON.readTree(service.body("/api/v1/incidents/" + incident));
            long raised = Instant.parse(inc.path("root").path("raisedAt").asText()).toEpochMilli();
            board.add((double) (shownAt - raised));
            Long s = streamSeen.get(incident);
            if (s != null) {
                stream.add((double) (s - raised));
            }
            System.out.printf(Locale.ROOT, "run %d %s: signal->board %d ms, signal->stream reader %s ms%n", i + 1, incident,
                    shownAt - raised, s == null ? "?" : Long.toString(s - raised));
            awaitOver(service, run, incident);
            b.driver.executeScript("window.__seen = {}");
        }
        reader.interrupt();
        System.out.printf(Locale.ROOT, "RESULT signal_to_board_ms p50=%.0f p99=%.0f max=%.0f | peer signal_to_stream_reader_ms "
                + "p50=%.0f p99=%.0f (%d runs, load %s)%n", pct(board, 50), pct(board, 99), Collections.max(board),
                pct(stream, 50), pct(stream, 99), runs, load());
    }

    /** Waits until the run is resolved and its incident is no longer open. */
    private static void awaitOver(PackagedService service, String run, String incident) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            boolean resolved = JSON.readTree(service.body("/api/v1/sim/scenarios/runs/" + run)).path("state").asText()
                    .equals("RESOLVED");
            boolean closed = !JSON.readTree(service.body("/api/v1/incidents/" + incident)).path("status").asText()
                    .equals("open");
            if (resolved && closed) {
                Thread.sleep(1000);
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("run " + run + " or incident " + incident + " did not end in 60 s");
    }

    /** A plain reader of the live stream: the arrival time of each incident's first CircuitDown signal event. */
    private static Thread streamReader(PackagedService service, Map<String, Long> seen) {
        Pattern incidentId = Pattern.compile("\"incidentId\":\"([^\"]+)\"");
        Thread t = new Thread(() -> {
            try {
                HttpRequest req = HttpRequest.newBuilder(URI.create(service.base() + "/api/v1/stream?types=signal"))
                        .header("Authorization", "Bearer " + PackagedService.API_KEY).build();
                HttpResponse<InputStream> r = HTTP.send(req, HttpResponse.BodyHandlers.ofInputStream());
                try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(r.body()))) {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        long at = System.currentTimeMillis();
                        if (line.startsWith("data:") && line.contains("\"name\":\"CircuitDown\"")
                                && line.contains("\"status\":\"firing\"")) {
                            Matcher m = incidentId.matcher(line);
                            if (m.find()) {
                                seen.putIfAbsent(m.group(1), at);
                            }
                        }
                    }
                }
            } catch (Exception e) {
                // interrupted at the end
            }
        }, "console-bench-stream");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static double pct(List<Double> values, int p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> s = new ArrayList<>(values);
        Collections.sort(s);
        int idx = (int) Math.ceil(p / 100.0 * s.size()) - 1;
        return s.get(Math.max(0, Math.min(s.size() - 1, idx)));
    }

    private static String load() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }
}
