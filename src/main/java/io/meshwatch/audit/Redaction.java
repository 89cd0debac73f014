package io.meshwatch.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What of an answer goes into the audit trail: its JSON with every value under a field whose name
 * says it holds a secret replaced by {@code "[redacted]"}, cut to {@link #MAX_DETAIL} characters.
 * Plain and stateless.
 */
public final class Redaction {

    /** The longest detail stored. */
    public static final int MAX_DETAIL = 4000;

    /** Field names whose values are never stored: secrets, passwords, tokens, API keys, credentials. */
    static final Pattern SECRET = Pattern.compile("(?i).*(secret|password|passwd|token|api[-_]?key|credential"
            + "|authorization|^key$).*");

    private Redaction() {
    }

    /** The redacted copy of {@code node} (the argument is not changed). */
    public static JsonNode redact(JsonNode node) {
        if (node == null) {
            return null;
        }
        JsonNode copy = node.deepCopy();
        walk(copy);
        return copy;
    }

    /** The redacted JSON text, cut to {@link #MAX_DETAIL} characters (ending in {@code …} when cut). */
    public static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        String s = redact(node).toString();
        return s.length() <= MAX_DETAIL ? s : s.substring(0, MAX_DETAIL - 1) + "…";
    }

    private static void walk(JsonNode n) {
        if (n instanceof ObjectNode o) {
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (SECRET.matcher(e.getKey()).matches() && !e.getValue().isNull()) {
                    e.setValue(TextNode.valueOf("[redacted]"));
                } else {
                    walk(e.getValue());
                }
            }
        } else if (n instanceof ArrayNode a) {
            a.forEach(Redaction::walk);
        }
    }
}
