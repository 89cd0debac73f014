package io.meshwatch.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The dashboards of grafana/dashboards as the checks need them: panels' queries and query variables. */
final class GrafanaDashboards {

    static final Path DIR = Path.of("grafana/dashboards");
    /** What Grafana's built-in interval variables become: the scrape interval of the deployment is 15 s. */
    static final Map<String, String> BUILT_INS = Map.of("__rate_interval", "1m", "__interval", "15s",
            "__range", "5m");
    private static final Pattern LABEL_VALUES = Pattern.compile("^label_values\\(\\s*([^,]+?)\\s*,\\s*(\\w+)\\s*\\)$");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?::\\w+)?}|\\$(\\w+)|\\[\\[(\\w+)]]");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One panel query. */
    record Query(String dashboard, String panel, String expr) {
        @Override
        public String toString() {
            return dashboard + " / " + panel + ": " + expr;
        }
    }

    /** A query variable: {@code label_values(selector, label)}. */
    record Variable(String dashboard, String name, String selector, String label) {
    }

    static List<Path> files() {
        try (Stream<Path> s = Files.list(DIR)) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    static List<Query> queries() {
        List<Query> out = new ArrayList<>();
        for (Path f : files()) {
            JsonNode d = read(f);
            collect(d.path("title").asText(), d.path("panels"), out);
        }
        return out;
    }

    private static void collect(String dashboard, JsonNode panels, List<Query> out) {
        for (JsonNode p : panels) {
            for (JsonNode t : p.path("targets")) {
                out.add(new Query(dashboard, p.path("title").asText(), t.path("expr").asText()));
            }
            collect(dashboard, p.path("panels"), out);
        }
    }

    static List<Variable> variables() {
        List<Variable> out = new ArrayList<>();
        for (Path f : files()) {
            JsonNode d = read(f);
            for (JsonNode v : d.path("templating").path("list")) {
                if (!v.path("type").asText().equals("query")) {
                    continue;
                }
                JsonNode q = v.path("query");
                String text = q.isObject() ? q.path("query").asText() : q.asText();
                Matcher m = LABEL_VALUES.matcher(text.trim());
                if (!m.matches()) {
                    throw new AssertionError(f + ": variable " + v.path("name").asText()
                            + " is not label_values(selector, label): " + text);
                }
                out.add(new Variable(d.path("title").asText(), v.path("name").asText(), m.group(1), m.group(2)));
            }
        }
        return out;
    }

    /** {@code expr} with every variable replaced by {@code values} or a built-in; unknown ones fail. */
    static String fill(String expr, Map<String, String> values) {
        Matcher m = VARIABLE.matcher(expr);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
            String value = values.containsKey(name) ? values.get(name) : BUILT_INS.get(name);
            if (value == null) {
                throw new AssertionError("no value for variable $" + name + " in " + expr);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
