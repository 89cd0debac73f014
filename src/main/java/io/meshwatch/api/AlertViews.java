package io.meshwatch.api;

import io.meshwatch.alerting.Alert;
import io.meshwatch.alerting.Matcher;
import io.meshwatch.alerting.Silence;
import io.meshwatch.alerting.Transition;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Response and request bodies of the alert, silence and receiver endpoints. */
public final class AlertViews {

    private AlertViews() {
    }

    /** An alert; {@code transitions} only in the single-alert answer. */
    public record AlertResponse(String fingerprint, String alertname, String state, String severity,
                                Map<String, String> labels, Map<String, String> annotations, String summary,
                                String incidentId, boolean inhibited, String silencedBy, Instant startsAt,
                                Instant endsAt, Instant firstRaisedAt, Instant lastRaisedAt, Instant resolvedAt,
                                String acknowledgedBy, Instant acknowledgedAt, String ackComment, int count,
                                Instant updatedAt, List<TransitionResponse> transitions) {

        static AlertResponse of(Alert a, List<Transition> transitions) {
            return new AlertResponse(a.fingerprint(), a.alertName(), a.state().wire(),
                    a.severity().name().toLowerCase(Locale.ROOT), a.labels(), a.annotations(), a.summary(),
                    a.incidentId(), a.inhibited(), a.silencedBy(), a.startedAt(), a.endedAt(), a.firstRaisedAt(),
                    a.lastRaisedAt(), a.resolvedAt(), a.acknowledgedBy(), a.acknowledgedAt(), a.ackComment(), a.count(),
                    a.updatedAt(), transitions == null ? null : transitions.stream().map(TransitionResponse::of).toList());
        }
    }

    /** One state change: from (null when created), to, who, why, when. */
    public record TransitionResponse(String from, String to, String actor, String reason, Instant at) {
        static TransitionResponse of(Transition t) {
            return new TransitionResponse(t.from() == null ? null : t.from().wire(), t.to().wire(), t.actor(),
                    t.reason(), t.at());
        }
    }

    /** A page of a list: the items, how many match in all, and the page asked for. */
    public record PageResponse<T>(List<T> items, long total, int limit, int offset) {
    }

    /** Body of acknowledge and resolve. */
    public record CommentRequest(String comment) {
    }

    /** One matcher, as Alertmanager's API v2 writes it; {@code isEqual} defaults to true. */
    public record MatcherBody(String name, String value, Boolean isRegex, Boolean isEqual) {
        Matcher toMatcher() {
            return new Matcher(name, value, Boolean.TRUE.equals(isRegex), isEqual == null || isEqual);
        }

        static MatcherBody of(Matcher m) {
            return new MatcherBody(m.name(), m.value(), m.isRegex(), m.isEqual());
        }
    }

    /** Body of a new silence; {@code startsAt} defaults to now. */
    public record SilenceRequest(List<MatcherBody> matchers, Instant startsAt, Instant endsAt, String comment) {
    }

    /** A silence and its state (pending, active, expired) now. */
    public record SilenceResponse(String id, List<MatcherBody> matchers, Instant startsAt, Instant endsAt,
                                  String createdBy, String comment, Instant createdAt, String expiredBy, String state) {
        static SilenceResponse of(Silence s, Instant now) {
            return new SilenceResponse(s.id(), s.matchers().stream().map(MatcherBody::of).toList(), s.startsAt(),
                    s.endsAt(), s.createdBy(), s.comment(), s.createdAt(), s.expiredBy(), s.stateAt(now));
        }
    }
}
