package io.meshwatch.bmp;

import io.meshwatch.bgp.WireIssue;
import java.util.Locale;

/**
 * Why the collector refused (part of) what a router sent; the label of
 * {@code meshwatch_bmp_errors_total{reason}}. The first three end the connection (no trusted
 * message boundary is left); the others drop one message, or one part of it, and go on.
 */
public enum BmpError {
    /** The common header's version is not 3: the stream is not BMP v3, or framing was lost. Fatal. */
    BAD_VERSION,
    /** The common header's length is below 6 or above the configured maximum. Fatal. */
    BAD_LENGTH,
    /** The connection ended inside a message. */
    TRUNCATED,
    /** The message body does not decode; the message is skipped by its length. */
    MALFORMED,
    /** A message type this collector does not know; skipped by its length. */
    UNKNOWN_TYPE,
    /** A prefix with host bits set (the prefix is dropped). */
    HOST_BITS_SET,
    /** MP_REACH/MP_UNREACH of an address family that is not decoded (the attribute is dropped). */
    UNSUPPORTED_AFI_SAFI,
    /** A multicast prefix (dropped). */
    MULTICAST_PREFIX,
    /** An AS_CONFED segment (dropped from the AS path). */
    CONFED_SEGMENT,
    /** Kafka refused or timed out on an event; the connection is closed so the router resends. */
    KAFKA;

    /** The metric label: lower case. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the connection cannot go on after this error. */
    public boolean fatal() {
        return this == BAD_VERSION || this == BAD_LENGTH || this == TRUNCATED || this == KAFKA;
    }

    static BmpError of(WireIssue issue) {
        return valueOf(issue.name());
    }
}
