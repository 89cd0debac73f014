package io.meshwatch.inventory;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/** A YAML or JSON syntax error as one line that says where and what. */
final class SyntaxErrors {

    private SyntaxErrors() {
    }

    /**
     * Where and what, on one line: the YAML parser's own position of the problem, the problem, and
     * the construct it was in, for example "at line 3, column 1: expected ',' or ..., but got
     * &lt;stream end&gt; (while parsing a flow mapping that starts at line 2, column 5)".
     */
    static String describe(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException m && m.getProblemMark() != null) {
            String context = m.getContext() == null ? "" : " (" + m.getContext() + (m.getContextMark() == null ? ""
                    : " that starts at line " + (m.getContextMark().getLine() + 1) + ", column "
                            + (m.getContextMark().getColumn() + 1)) + ")";
            return " at line " + (m.getProblemMark().getLine() + 1) + ", column " + (m.getProblemMark().getColumn() + 1)
                    + ": " + oneLine(m.getProblem()) + context;
        }
        String where = e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        return where + ": " + oneLine(e.getOriginalMessage());
    }

    static String oneLine(String s) {
        return String.valueOf(s).replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
