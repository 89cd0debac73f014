package io.meshwatch.bgp;

/**
 * A BGP message (or the record around it) does not decode; the message says which field and
 * where. Cheap to create: no stack trace, since bad input is expected and counted, not debugged.
 */
public class BgpWireException extends Exception {

    private final WireIssue issue;

    public BgpWireException(WireIssue issue, String message) {
        super(message, null, false, false);
        this.issue = issue;
    }

    /** A {@link WireIssue#MALFORMED} problem. */
    public static BgpWireException malformed(String message) {
        return new BgpWireException(WireIssue.MALFORMED, message);
    }

    public WireIssue issue() {
        return issue;
    }
}
