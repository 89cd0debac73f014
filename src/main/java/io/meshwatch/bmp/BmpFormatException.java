package io.meshwatch.bmp;

/** A BMP message that cannot be used; {@link #error()} says why. No stack trace: bad input is counted, not debugged. */
public final class BmpFormatException extends Exception {

    private final BmpError error;

    public BmpFormatException(BmpError error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    public BmpError error() {
        return error;
    }
}
