package io.meshwatch.notify;

/**
 * What one delivery attempt of an outbox row came to (Alertmanager's notifier contract): delivered,
 * worth retrying (5xx, 429, timeouts, connection errors, a broker that did not answer) or refused
 * for good (any other answer).
 *
 * @param outcome delivered, retry or permanent
 * @param status  the HTTP status, when there was one
 * @param error   what went wrong, in words; null when delivered
 */
public record Attempt(Outcome outcome, Integer status, String error) {

    /** How an attempt ended. */
    public enum Outcome { DELIVERED, RETRY, PERMANENT }

    /** The attempt an HTTP answer means: 2xx delivered; 5xx and 429 retry; anything else permanent. */
    public static Attempt ofHttp(int status, String body) {
        if (status >= 200 && status < 300) {
            return new Attempt(Outcome.DELIVERED, status, null);
        }
        String b = body == null ? "" : body.strip();
        String error = "HTTP " + status + (b.isEmpty() ? "" : ": " + (b.length() > 200 ? b.substring(0, 200) : b));
        return new Attempt(status >= 500 || status == 429 ? Outcome.RETRY : Outcome.PERMANENT, status, error);
    }

    /** A failure before any answer (timeout, refused connection): retried. */
    public static Attempt retry(Throwable err) {
        return new Attempt(Outcome.RETRY, null, err.getClass().getSimpleName() + ": " + err.getMessage());
    }

    public static Attempt delivered() {
        return new Attempt(Outcome.DELIVERED, null, null);
    }
}
