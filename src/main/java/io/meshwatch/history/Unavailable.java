package io.meshwatch.history;

/** The topic could not be read in time ({@code meshwatch.rib.history.read-timeout}): try again later. */
public final class Unavailable extends RuntimeException {

    public Unavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
