package io.meshwatch.alerting;

import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One label matcher of a silence, in Alertmanager's shape: {@code name = value} ({@code isEqual},
 * not regex), {@code !=}, {@code =~} (regex, anchored at both ends as in Alertmanager), {@code !~}.
 * A label the alert does not have matches as the empty string.
 */
public record Matcher(String name, String value, boolean isRegex, boolean isEqual) {

    /** Checks the matcher; throws {@link IllegalArgumentException} saying what is wrong. */
    public Matcher {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a matcher needs a label name");
        }
        if (value == null) {
            throw new IllegalArgumentException("matcher '" + name + "' needs a value");
        }
        if (isRegex) {
            try {
                Pattern.compile(value);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("matcher '" + name + "' has a bad regular expression '" + value
                        + "': " + e.getDescription());
            }
        }
    }

    public boolean matches(Map<String, String> labels) {
        String v = labels.getOrDefault(name, "");
        boolean hit = isRegex ? Pattern.compile(value).matcher(v).matches() : value.equals(v);
        return hit == isEqual;
    }

    /** {@code name=value}, {@code name!=value}, {@code name=~re} or {@code name!~re}. */
    @Override
    public String toString() {
        return name + (isEqual ? (isRegex ? "=~" : "=") : (isRegex ? "!~" : "!=")) + value;
    }
}
