package io.meshwatch.sim;

import java.util.List;

/** A scenario request names a target the network does not have, or options it cannot take. */
public final class UnknownTargetException extends IllegalArgumentException {

    private final List<String> valid;

    public UnknownTargetException(String message, List<String> valid) {
        super(message + (valid.isEmpty() ? "" : "; valid: " + String.join(", ", valid)));
        this.valid = List.copyOf(valid);
    }

    /** The targets that would have been accepted. */
    public List<String> valid() {
        return valid;
    }
}
