package io.meshwatch.sim;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an on-call engineer sees of detection and alerting through the API while a scenario runs:
 * incidents, signal transitions, alerts with their transitions, tunnel groups and circuits. Every
 * query is limited to what happened since a given clock time, because all scenario tests share one
 * service and its history.
 */
final class SimWatch {

    private SimWatch() {
    }

    /**
     * Incidents of any status opened at or after {@code since} whose root has this name (any name when
     * null) and label. Merged incidents are left out: their signals live on in the incident they joined.
     */
    static List<Map<String, Object>> incidents(Instant since, String root, String label, String value) {
        List<Map<String, Object>> all = given().queryParam("status", "all").get("/api/v1/incidents").then()
                .statusCode(200).extract().jsonPath().getList("$");
        return all.stream().filter(i -> !Instant.parse((String) i.get("openedAt")).isBefore(since))
                .filter(i -> !"merged".equals(i.get("status")))
                .filter(i -> root == null || root.equals(path(i, "root", "name")))
                .filter(i -> value.equals(((Map<?, ?>) path(i, "root", "labels")).get(label))).toList();
    }

    /** The one incident {@link #incidents} finds; fails (so that awaitility retries) while there is none. */
    static Map<String, Object> incident(Instant since, String root, String label, String value) {
        List<Map<String, Object>> found = incidents(since, root, label, value);
        assertEquals(1, found.size(), "incidents rooted in " + root + " " + label + "=" + value + ": " + found);
        return found.get(0);
    }

    static String status(Map<String, Object> incident) {
        return given().get("/api/v1/incidents/{id}", incident.get("id")).then().statusCode(200).extract()
                .path("status");
    }

    /** Names of an incident's children, e.g. {@code [BgpSessionDown, IpsecFailover]}. */
    @SuppressWarnings("unchecked")
    static List<String> children(Map<String, Object> incident) {
        return ((List<Map<String, Object>>) incident.get("children")).stream().map(c -> (String) c.get("name"))
                .toList();
    }

    /** The incident's first child of that name. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> child(Map<String, Object> incident, String name) {
        return ((List<Map<String, Object>>) incident.get("children")).stream().filter(c -> name.equals(c.get("name")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + " in " + incident));
    }

    static String annotation(Map<String, Object> signal, String name) {
        return (String) ((Map<?, ?>) signal.get("annotations")).get(name);
    }

    /**
     * Signal transitions raised at or after {@code since} (from {@code GET /api/v1/signals?status=recent}),
     * of one name, whose labels include {@code label=value} (any labels when {@code label} is null).
     */
    static List<Map<String, Object>> signals(Instant since, String name, String label, String value) {
        List<Map<String, Object>> recent = given().queryParam("status", "recent").queryParam("limit", 1000)
                .get("/api/v1/signals").then().statusCode(200).extract().jsonPath().getList("$");
        return recent.stream().filter(s -> name.equals(s.get("name")))
                .filter(s -> !Instant.parse((String) s.get("raisedAt")).isBefore(since))
                .filter(s -> label == null || value.equals(((Map<?, ?>) s.get("labels")).get(label))).toList();
    }

    /** Asserts that no signal of this name and label was raised since {@code since}. */
    static void noSignal(Instant since, String name, String label, String value) {
        List<Map<String, Object>> raised = signals(since, name, label, value);
        assertTrue(raised.isEmpty(), name + " " + label + "=" + value + " raised: " + raised);
    }

    /** The alert of this name whose labels include every given pair; fails while there is none. */
    static JsonPath alert(String name, Map<String, String> labels) {
        List<Map<String, Object>> items = given().queryParam("type", name).queryParam("limit", 500)
                .get("/api/v1/alerts").then().statusCode(200).extract().jsonPath().getList("items");
        List<Map<String, Object>> match = items.stream().filter(a -> labels.entrySet().stream()
                .allMatch(e -> Objects.equals(e.getValue(), ((Map<?, ?>) a.get("labels")).get(e.getKey())))).toList();
        assertEquals(1, match.size(), name + " alerts with " + labels + ": " + match);
        return given().get("/api/v1/alerts/{fp}", match.get(0).get("fingerprint")).then().statusCode(200).extract()
                .jsonPath();
    }

    /**
     * Asserts what the alert's history shows since {@code since}: it went to firing before
     * {@code faultEnd} (while the fault lasted), and its latest transition is to resolved, at or after
     * the firing. Returns the alert.
     */
    static JsonPath firedThenResolved(String name, Map<String, String> labels, Instant since, Instant faultEnd) {
        JsonPath a = alert(name, labels);
        List<Map<String, Object>> ts = a.getList("transitions");
        List<Map<String, Object>> recent = ts.stream().filter(t -> !Instant.parse((String) t.get("at")).isBefore(since))
                .toList();
        assertFalse(recent.isEmpty(), name + " " + labels + " has no transition since " + since + ": " + ts);
        Map<String, Object> firing = recent.stream().filter(t -> "firing".equals(t.get("to"))).findFirst()
                .orElseThrow(() -> new AssertionError(name + " " + labels + " never fired since " + since + ": " + ts));
        assertTrue(Instant.parse((String) firing.get("at")).isBefore(faultEnd),
                name + " fired at " + firing.get("at") + ", after the fault ended at " + faultEnd);
        Map<String, Object> last = recent.get(recent.size() - 1);
        assertEquals("resolved", last.get("to"), name + " " + labels + ": " + recent);
        assertEquals("resolved", a.getString("state"));
        return a;
    }

    /** A tunnel group as {@code GET /api/v1/tunnels/{group}} shows it. */
    static JsonPath tunnelGroup(String group) {
        return given().get("/api/v1/tunnels/{g}", group).then().statusCode(200).extract().jsonPath();
    }

    /** A circuit as {@code GET /api/v1/circuits/{id}} shows it. */
    static JsonPath circuit(String id) {
        return given().get("/api/v1/circuits/{c}", id).then().statusCode(200).extract().jsonPath();
    }

    private static Object path(Map<String, Object> m, String a, String b) {
        Object inner = m.get(a);
        return inner instanceof Map<?, ?> map ? map.get(b) : null;
    }
}
