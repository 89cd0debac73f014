package io.meshwatch.strongswan;

/** Bytes that are not a well-formed vici packet; the message says what and where. */
public final class ViciFormatException extends Exception {

    public ViciFormatException(String message) {
        super(message);
    }
}
