package io.meshwatch.mrt;

import io.meshwatch.bgp.BgpWireException;
import io.meshwatch.bgp.WireIssue;

/** A record (or part of one) does not follow RFC 6396 / RFC 4271; the message says where. */
final class MrtFormatException extends BgpWireException {

    private final SkipReason reason;

    MrtFormatException(SkipReason reason, String message) {
        super(WireIssue.MALFORMED, message);
        this.reason = reason;
    }

    SkipReason reason() {
        return reason;
    }
}
