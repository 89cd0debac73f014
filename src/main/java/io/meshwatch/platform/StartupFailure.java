package io.meshwatch.platform;

import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * A start-up problem the operator must fix, with a message that says what and how. Quarkus prints
 * a configuration exception's message alone, without a stack trace, and exits non-zero: the
 * message is the whole story.
 */
public final class StartupFailure extends ConfigurationException {

    public StartupFailure(String message) {
        super("Meshwatch cannot start: " + message);
    }
}
