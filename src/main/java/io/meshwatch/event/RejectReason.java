package io.meshwatch.event;

import java.util.Locale;

/** Why a record was refused. The lower-case name is the DLQ header value and the metric label. */
public enum RejectReason {
    /** The bytes are not a JSON object. */
    NOT_JSON,
    /** {@code type} is missing from the catalogue, or belongs on another topic. */
    UNKNOWN_TYPE,
    /** {@code version} is not one this build understands. */
    UNSUPPORTED_VERSION,
    /** A required field is absent or null. */
    MISSING_FIELD,
    /** A field has the wrong JSON type (a string where a number belongs, ...). */
    WRONG_TYPE,
    /** A field has the right type but an impossible value (a prefix that does not parse, an AS out of range). */
    INVALID_VALUE,
    /** The record is larger than {@code meshwatch.ingest.max-record-bytes}. */
    TOO_LARGE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
