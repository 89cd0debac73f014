package io.meshwatch.event;

/** A record that cannot become a canonical event, with a reason class and a message for humans. */
public final class RejectedRecordException extends Exception {

    private final RejectReason reason;

    public RejectedRecordException(RejectReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}
