package io.meshwatch.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Hostile input on every API operation, generated from the service's own OpenAPI document: each
 * operation is called with random and boundary values in its path parameters, its query
 * parameters and (for changes) its body, by an admin key (so that the role check lets every call
 * through to the code behind it). An answer may be anything but a 5xx: a bad request gets a 4xx
 * that says what is wrong. Seeded: a failure prints the seed and the request, and repeats.
 */
@QuarkusTest
class HostileApiTest {

    static final long SEED = Long.getLong("meshwatch.fuzz.seed", 20261207L);
    static final int CALLS_PER_OPERATION = Integer.getInteger("meshwatch.fuzz.calls", 25);

    /** Values that break naive code: empty, huge, traversal, encodings, numbers at their limits, JSON in text. */
    static final List<String> NASTY = List.of("", " ", "0", "-1", "2147483648", "9223372036854775808", "1e309", "NaN",
            "null", "true", "../../etc/passwd", "%00", "%", "%2e%2e%2f", "🙂", "\u202e", "'\"<>&;", "a".repeat(5000),
            "10.0.0.0/33", "::/129", "256.1.1.1", "10.1.0.0/16", "2001:db8::/32", "2026-13-45T99:99:99Z",
            "2026-12-07T03:12:00Z", "9999-12-31T23:59:59Z", "0000-01-01T00:00:00Z", "{\"a\":1}", "[]", "x".repeat(70),
            "cx-ash", "*", "?", "#", "\\", "\t\n");

    static final List<String> BODIES = List.of("", "{", "[]", "null", "42", "\"text\"", "{}", "{\"matchers\":null}",
            "{\"matchers\":[{}]}", "{\"matchers\":[{\"name\":\"a\",\"value\":\"(\",\"isRegex\":true}],\"endsAt\":\"x\"}",
            "{\"comment\":" + "\"c\"".repeat(1) + "}", "{\"url\":\"ftp://x\"}", "{\"url\":\"http://\"}",
            "{\"duration\":\"-5s\"}", "{\"duration\":\"999999h\"}", "{\"circuit\":\"nope\"}", "{\"router\":[1,2]}",
            "{\"a\":" + "[".repeat(2000) + "]".repeat(2000) + "}", "{\"x\":\"" + "y".repeat(200_000) + "\"}",
            "routers: [ { id: r1, asn: 65001 } ]\nprefixes: [ { prefix: 10.0.0.0/8, policy: { as-path: '(' } } ]",
            "\u0000\u0001\u0002", "{\"version\":1,\"routers\":\"x\"}");

    record Operation(String method, String path, List<String> pathParams, List<String> queryParams) {
    }

    @Test
    void noOperationAnswersAnyInputWithA5xx() throws Exception {
        String doc = given().header("Accept", "application/json").get("/q/openapi?format=json").then().statusCode(200)
                .extract().asString();
        List<Operation> ops = operations(new ObjectMapper().readTree(doc));
        assertTrue(ops.size() >= 30, "operations read from the OpenAPI document: " + ops.size());
        Random random = new Random(SEED);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<String> fives = new ArrayList<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        int calls = 0;
        for (Operation op : ops) {
            if (op.path().endsWith("/stream")) {
                continue; // a server-sent event stream stays open by design; its parameters are checked in StreamApiTest
            }
            for (int i = 0; i < CALLS_PER_OPERATION; i++) {
                String path = op.path();
                for (String p : op.pathParams()) {
                    path = path.replace("{" + p + "}", java.net.URLEncoder.encode(pick(random), java.nio.charset.StandardCharsets.UTF_8)
                            .replace("+", "%20"));
                }
                StringBuilder query = new StringBuilder();
                for (String q : op.queryParams()) {
                    if (random.nextInt(3) > 0) {
                        query.append(query.isEmpty() ? "?" : "&").append(q).append('=').append(
                                java.net.URLEncoder.encode(pick(random), java.nio.charset.StandardCharsets.UTF_8));
                    }
                }
                String body = null;
                HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + path
                        + query)).header("Authorization", "Bearer dev-admin").timeout(Duration.ofSeconds(60));
                if (!op.method().equals("GET") && !op.method().equals("DELETE")) {
                    body = BODIES.get(random.nextInt(BODIES.size()));
                    req.header("Content-Type", random.nextInt(5) == 0 ? "application/yaml" : "application/json")
                            .method(op.method(), HttpRequest.BodyPublishers.ofString(body));
                } else {
                    req.method(op.method(), HttpRequest.BodyPublishers.noBody());
                }
                HttpResponse<String> r;
                try {
                    r = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
                } catch (java.io.IOException stale) {
                    // a kept-alive connection the server closed after its previous answer (a 414 closes it)
                    // fails the next request before it is sent: once more on a new connection
                    try {
                        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                        r = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
                    } catch (Exception e) {
                        fives.add(op.method() + " " + abbreviate(path + query) + ": no answer, twice: " + e);
                        continue;
                    }
                }
                calls++;
                statuses.merge(r.statusCode(), 1, Integer::sum);
                if (r.statusCode() >= 500) {
                    fives.add(r.statusCode() + " for " + op.method() + " " + abbreviate(path + query)
                            + (body == null ? "" : " body " + abbreviate(body)) + ": " + abbreviate(r.body()));
                }
            }
        }
        System.out.printf("HostileApiTest: %d operations, %d calls, statuses %s (seed %d)%n", ops.size(), calls,
                statuses, SEED);
        assertEquals(List.of(), fives, "5xx answers (seed " + SEED + ")");
    }

    @Test
    void aBodyOrHeadersOverTheirLimitsAreRefusedBeforeAnyCodeReadsThem() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String base = "http://localhost:" + RestAssured.port;
        // quarkus.http.limits.max-body-size (4M): the inventory is the largest body anyone sends
        // (asking to continue first, as a client should: the server answers before the body is sent)
        HttpResponse<String> big = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/silences"))
                .expectContinue(true).header("Authorization", "Bearer dev-admin").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"comment\":\"" + "x".repeat(5 << 20) + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(413, big.statusCode());
        // quarkus.http.limits.max-header-size (20K)
        HttpResponse<String> header = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/alerts"))
                .header("Authorization", "Bearer dev-admin").header("X-Filler", "y".repeat(40_000)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(431, header.statusCode());
    }

    private static String pick(Random random) {
        if (random.nextInt(4) == 0) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(40);
            for (int i = 0; i < n; i++) {
                sb.appendCodePoint(random.nextInt(4) == 0 ? random.nextInt(0x2FFFF) : 32 + random.nextInt(95));
            }
            return sb.toString().replaceAll("[\\uD800-\\uDFFF]", "x");
        }
        return NASTY.get(random.nextInt(NASTY.size()));
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…(" + s.length() + " chars)" : s;
    }

    static List<Operation> operations(JsonNode doc) {
        List<Operation> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> p = paths.next();
            if (!p.getKey().startsWith("/api/v1")) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> ms = p.getValue().fields(); ms.hasNext(); ) {
                Map.Entry<String, JsonNode> m = ms.next();
                String method = m.getKey().toUpperCase(java.util.Locale.ROOT);
                if (!List.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
                    continue;
                }
                List<String> pathParams = new ArrayList<>();
                List<String> queryParams = new ArrayList<>();
                for (JsonNode param : m.getValue().path("parameters")) {
                    ("path".equals(param.path("in").asText()) ? pathParams : "query".equals(param.path("in").asText())
                            ? queryParams : new ArrayList<String>()).add(param.path("name").asText());
                }
                java.util.regex.Matcher t = java.util.regex.Pattern.compile("\\{([^}]+)}").matcher(p.getKey());
                while (t.find()) {
                    if (!pathParams.contains(t.group(1))) {
                        pathParams.add(t.group(1));
                    }
                }
                out.add(new Operation(method, p.getKey(), pathParams, queryParams));
            }
        }
        return out;
    }
}
