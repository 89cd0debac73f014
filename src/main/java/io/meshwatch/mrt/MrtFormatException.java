package io.meshwatch.mrt;

/** A record (or part of one) does not follow RFC 6396 / RFC 4271; the message says where. */
final class MrtFormatException extends Exception {

    private final SkipReason reason;

    MrtFormatException(SkipReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    SkipReason reason() {
        return reason;
    }
}
