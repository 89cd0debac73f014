package io.meshwatch.gnmi;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parsers of the formats gNMI collectors write: InfluxDB line protocol (Telegraf's default),
 * Telegraf's JSON serializer ({@code {"fields","name","tags","timestamp"}}, or a batch under
 * {@code "metrics"}) and gnmic's {@code event} format ({@code {"name","timestamp","tags","values"}},
 * or an array of them). Stateless; every problem is an {@link IllegalArgumentException} naming it.
 */
public final class MetricFormats {

    private MetricFormats() {
    }

    /** One line of InfluxDB line protocol: {@code measurement,tag=v field=1i,f="s" 1700000000000000000}. */
    public static GnmiMetric lineProtocol(String line) {
        int[] pos = {0};
        String name = token(line, pos, ",  ".toCharArray());
        Map<String, String> tags = new LinkedHashMap<>();
        while (pos[0] < line.length() && line.charAt(pos[0]) == ',') {
            pos[0]++;
            String k = token(line, pos, "=".toCharArray());
            expect(line, pos, '=');
            tags.put(k, token(line, pos, ", ".toCharArray()));
        }
        expect(line, pos, ' ');
        Map<String, Object> fields = new LinkedHashMap<>();
        do {
            if (line.charAt(pos[0]) == ',') {
                pos[0]++;
            }
            String k = token(line, pos, "=".toCharArray());
            expect(line, pos, '=');
            fields.put(k, fieldValue(line, pos));
        } while (pos[0] < line.length() && line.charAt(pos[0]) == ',');
        Instant time = null;
        if (pos[0] < line.length()) {
            expect(line, pos, ' ');
            time = epoch(Long.parseLong(line.substring(pos[0]).trim()));
        }
        if (name.isEmpty() || fields.isEmpty()) {
            throw new IllegalArgumentException("line protocol without a measurement or fields");
        }
        return new GnmiMetric(name, tags, fields, time);
    }

    private static void expect(String line, int[] pos, char c) {
        if (pos[0] >= line.length() || line.charAt(pos[0]) != c) {
            throw new IllegalArgumentException("line protocol: '" + c + "' expected at column " + (pos[0] + 1));
        }
        pos[0]++;
    }

    /** Reads up to an unescaped stop character; backslash escapes the next character. */
    private static String token(String line, int[] pos, char[] stops) {
        StringBuilder sb = new StringBuilder();
        while (pos[0] < line.length()) {
            char c = line.charAt(pos[0]);
            if (c == '\\' && pos[0] + 1 < line.length()) {
                sb.append(line.charAt(pos[0] + 1));
                pos[0] += 2;
                continue;
            }
            for (char s : stops) {
                if (c == s) {
                    return sb.toString();
                }
            }
            sb.append(c);
            pos[0]++;
        }
        return sb.toString();
    }

    private static Object fieldValue(String line, int[] pos) {
        if (pos[0] < line.length() && line.charAt(pos[0]) == '"') {
            StringBuilder sb = new StringBuilder();
            int i = pos[0] + 1;
            while (i < line.length() && line.charAt(i) != '"') {
                if (line.charAt(i) == '\\' && i + 1 < line.length()) {
                    i++;
                }
                sb.append(line.charAt(i++));
            }
            if (i >= line.length()) {
                throw new IllegalArgumentException("line protocol: unterminated string field");
            }
            pos[0] = i + 1;
            return sb.toString();
        }
        String v = token(line, pos, ", ".toCharArray());
        if (v.endsWith("i") || v.endsWith("u")) {
            return Long.parseUnsignedLong(v.substring(0, v.length() - 1));
        }
        return switch (v) {
            case "t", "T", "true", "True", "TRUE" -> Boolean.TRUE;
            case "f", "F", "false", "False", "FALSE" -> Boolean.FALSE;
            default -> Double.parseDouble(v);
        };
    }

    /** Telegraf's JSON serializer: one metric, or a batch {@code {"metrics": [...]}}. */
    public static List<GnmiMetric> telegrafJson(JsonNode n) {
        List<GnmiMetric> out = new ArrayList<>();
        if (n.has("metrics")) {
            n.get("metrics").forEach(m -> out.add(telegraf(m)));
        } else {
            out.add(telegraf(n));
        }
        return out;
    }

    private static GnmiMetric telegraf(JsonNode m) {
        if (!m.path("name").isTextual() || !m.path("fields").isObject()) {
            throw new IllegalArgumentException("Telegraf JSON metric without 'name' or 'fields'");
        }
        return new GnmiMetric(m.get("name").asText(), strings(m.path("tags")), values(m.get("fields")),
                m.path("timestamp").canConvertToLong() ? epoch(m.get("timestamp").asLong()) : null);
    }

    /** gnmic's event format: one event object, or an array of them. */
    public static List<GnmiMetric> gnmicEvents(JsonNode n) {
        List<GnmiMetric> out = new ArrayList<>();
        for (JsonNode e : n.isArray() ? n : List.of(n)) {
            if (!e.path("values").isObject() && !e.path("deletes").isArray()) {
                throw new IllegalArgumentException("gnmic event without 'values'");
            }
            out.add(new GnmiMetric(e.path("name").asText(""), strings(e.path("tags")), values(e.path("values")),
                    e.path("timestamp").canConvertToLong() ? epoch(e.get("timestamp").asLong()) : null));
        }
        return out;
    }

    private static Map<String, String> strings(JsonNode o) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    private static Map<String, Object> values(JsonNode o) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            Object value = v.isIntegralNumber() ? (Object) v.asLong() : v.isNumber() ? (Object) v.asDouble()
                    : v.isBoolean() ? (Object) v.asBoolean() : v.asText();
            out.put(e.getKey(), value);
        }
        return out;
    }

    /** An epoch timestamp in seconds, milliseconds, microseconds or nanoseconds, told apart by size. */
    static Instant epoch(long v) {
        if (v > 100_000_000_000_000_000L / 10) {
            return Instant.ofEpochSecond(v / 1_000_000_000L, v % 1_000_000_000L);
        }
        if (v > 100_000_000_000_000L) {
            return Instant.ofEpochSecond(v / 1_000_000L, v % 1_000_000L * 1000);
        }
        if (v > 100_000_000_000L) {
            return Instant.ofEpochMilli(v);
        }
        return Instant.ofEpochSecond(v);
    }
}
