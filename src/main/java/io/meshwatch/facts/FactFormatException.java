package io.meshwatch.facts;

/** A facts record that is not a fact this version reads; the message says what is wrong. */
public final class FactFormatException extends Exception {
    public FactFormatException(String message) {
        super(message);
    }

    public FactFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
