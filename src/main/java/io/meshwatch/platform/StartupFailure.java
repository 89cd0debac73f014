package io.meshwatch.platform;

/**
 * A start-up problem the operator must fix, with a message that says what and how. It carries no
 * stack trace: the message is the whole story.
 */
public final class StartupFailure extends RuntimeException {

    public StartupFailure(String message) {
        super(message, null, false, false);
    }

    @Override
    public String toString() {
        return "Meshwatch cannot start: " + getMessage();
    }
}
