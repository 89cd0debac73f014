package io.meshwatch.alerting;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A silence: while active, alerts whose labels match every matcher are recorded but not notified.
 * Expiring a silence sets its end to the time of expiry (as Alertmanager does).
 *
 * @param id        UUID
 * @param matchers  at least one; all must match
 * @param startsAt  from when it applies
 * @param endsAt    until when (exclusive)
 * @param createdBy who created it
 * @param comment   why
 * @param createdAt when it was created
 * @param expiredBy who expired it early; null unless expired through the API
 */
public record Silence(String id, List<Matcher> matchers, Instant startsAt, Instant endsAt, String createdBy,
                      String comment, Instant createdAt, String expiredBy) {

    /** pending, active or expired at {@code now}. */
    public String stateAt(Instant now) {
        if (!now.isBefore(endsAt)) {
            return "expired";
        }
        return now.isBefore(startsAt) ? "pending" : "active";
    }

    public boolean activeAt(Instant now) {
        return "active".equals(stateAt(now));
    }

    /** True when active at {@code now} and every matcher matches {@code labels}. */
    public boolean mutes(Map<String, String> labels, Instant now) {
        return activeAt(now) && matchers.stream().allMatch(m -> m.matches(labels));
    }

    /**
     * Checks a new silence: at least one matcher, an end after the start and in the future, a
     * comment. Throws {@link IllegalArgumentException} saying what is wrong.
     */
    public static void check(List<Matcher> matchers, Instant startsAt, Instant endsAt, String comment, Instant now) {
        if (matchers == null || matchers.isEmpty()) {
            throw new IllegalArgumentException("a silence needs at least one matcher (a silence of everything is "
                    + "refused); e.g. {\"name\":\"router\",\"value\":\"cx-ash\",\"isRegex\":false,\"isEqual\":true}");
        }
        if (startsAt == null || endsAt == null) {
            throw new IllegalArgumentException("a silence needs startsAt and endsAt (ISO-8601 instants)");
        }
        if (!endsAt.isAfter(startsAt)) {
            throw new IllegalArgumentException("endsAt (" + endsAt + ") must be after startsAt (" + startsAt + ")");
        }
        if (!endsAt.isAfter(now)) {
            throw new IllegalArgumentException("endsAt (" + endsAt + ") is in the past; the silence would never apply");
        }
        if (comment == null || comment.isBlank()) {
            throw new IllegalArgumentException("a silence needs a comment saying why");
        }
    }

    /** The first silence in {@code silences} that mutes {@code labels} at {@code now}, or null. */
    public static String muting(List<Silence> silences, Map<String, String> labels, Instant now) {
        for (Silence s : silences) {
            if (s.mutes(labels, now)) {
                return s.id();
            }
        }
        return null;
    }
}
