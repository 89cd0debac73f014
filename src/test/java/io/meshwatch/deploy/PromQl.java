package io.meshwatch.deploy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Just enough PromQL reading for the dashboard and rule checks: the metric names an expression
 * selects, and the value expressions of an alert condition (its operands of {@code and}, {@code or},
 * {@code unless} at the top level, each with its top-level comparison removed). Strings, label
 * matchers and ranges are skipped; grouping label lists are not metric names.
 */
final class PromQl {

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "atan2",
            "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk",
            "quantile", "limitk", "limit_ratio", "inf", "nan");
    private static final Set<String> LABEL_LISTS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right");
    private static final List<String> COMPARISONS = List.of("==", "!=", ">=", "<=", ">", "<");

    private PromQl() {
    }

    /** Metric names of the vector selectors of {@code expr}, in order of appearance. */
    static Set<String> metricNames(String expr) {
        Set<String> out = new LinkedHashSet<>();
        int i = 0;
        int n = expr.length();
        while (i < n) {
            char c = expr.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = endOfString(expr, i);
            } else if (c == '{') {
                i = close(expr, i, '{', '}');
            } else if (c == '[') {
                i = close(expr, i, '[', ']');
            } else if (Character.isDigit(c) || c == '.') {
                while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '.')) {
                    i++;
                }
            } else if (Character.isLetter(c) || c == '_' || c == ':') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '_'
                        || expr.charAt(i) == ':')) {
                    i++;
                }
                String word = expr.substring(start, i);
                int next = skipSpace(expr, i);
                String lower = word.toLowerCase(java.util.Locale.ROOT);
                if (LABEL_LISTS.contains(lower)) {
                    if (next < n && expr.charAt(next) == '(') {
                        i = close(expr, next, '(', ')');
                    }
                } else if (!KEYWORDS.contains(lower) && !(next < n && expr.charAt(next) == '(')) {
                    out.add(word);
                }
            } else {
                i++;
            }
        }
        return out;
    }

    /**
     * The expressions whose values an alert condition compares: {@code A > 0 and B > 10} gives
     * {@code A} and {@code B}; an operand without a top-level comparison is kept whole.
     */
    static List<String> valueExpressions(String condition) {
        List<String> out = new ArrayList<>();
        for (String operand : splitTopLevel(condition, List.of(" and ", " or ", " unless "))) {
            out.add(stripComparison(operand.trim()));
        }
        return out;
    }

    private static String stripComparison(String expr) {
        int at = scanFrom(expr, 0, (e, i) -> COMPARISONS.stream().anyMatch(op -> e.startsWith(op, i)) ? 0 : -1);
        return at < 0 ? expr : expr.substring(0, at).trim();
    }

    private static List<String> splitTopLevel(String expr, List<String> separators) {
        List<String> parts = new ArrayList<>();
        int from = 0;
        while (true) {
            int start = from;
            int[] matched = new int[1];
            int at = scanFrom(expr, start, (e, i) -> {
                for (String sep : separators) {
                    if (e.regionMatches(true, i, sep, 0, sep.length())) {
                        matched[0] = sep.length();
                        return 0;
                    }
                }
                return -1;
            });
            if (at < 0) {
                parts.add(expr.substring(from));
                return parts;
            }
            parts.add(expr.substring(from, at));
            from = at + matched[0];
        }
    }

    /** Decides at a top-level position (outside strings and brackets): 0 to stop there, -1 to go on. */
    private interface TopLevel {
        int at(String expr, int i);
    }

    /** The first top-level position from {@code start} where {@code test} stops, or -1. */
    private static int scanFrom(String expr, int start, TopLevel test) {
        int depth = 0;
        for (int i = start; i < expr.length(); i++) {
            char c = expr.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = endOfString(expr, i) - 1;
            } else if (c == '(' || c == '{' || c == '[') {
                depth++;
            } else if (c == ')' || c == '}' || c == ']') {
                depth--;
            } else if (depth == 0 && test.at(expr, i) == 0) {
                return i;
            }
        }
        return -1;
    }

    private static int endOfString(String s, int open) {
        char q = s.charAt(open);
        int i = open + 1;
        while (i < s.length() && s.charAt(i) != q) {
            i += s.charAt(i) == '\\' && q != '`' ? 2 : 1;
        }
        return i + 1;
    }

    private static int close(String s, int open, char o, char c) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '"' || ch == '\'' || ch == '`') {
                i = endOfString(s, i) - 1;
            } else if (ch == o) {
                depth++;
            } else if (ch == c && --depth == 0) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("unbalanced " + o + " in " + s);
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }
}
