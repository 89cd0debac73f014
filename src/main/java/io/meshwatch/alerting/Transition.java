package io.meshwatch.alerting;

import java.time.Instant;

/**
 * One change of an alert's state, kept forever as its history.
 *
 * @param fingerprint the alert
 * @param from        the state before; null when the alert was created
 * @param to          the state after
 * @param actor       who: {@code meshwatch} for detection, else the API key's name
 * @param reason      why, in words (the signal's summary, or the person's comment)
 * @param at          Meshwatch's clock time of the change
 */
public record Transition(String fingerprint, AlertState from, AlertState to, String actor, String reason, Instant at) {

    /** The actor detection's own transitions are recorded under. */
    public static final String SYSTEM = "meshwatch";
}
