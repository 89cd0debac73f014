package io.meshwatch.history;

/** A rebuild would hold more paths, or read more records, than its configured bound. */
public final class TooLarge extends RuntimeException {

    public TooLarge(String message) {
        super(message);
    }
}
