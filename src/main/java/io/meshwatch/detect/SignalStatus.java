package io.meshwatch.detect;

/** Whether a signal's condition holds ({@code FIRING}) or has cleared ({@code RESOLVED}). */
public enum SignalStatus {
    FIRING,
    RESOLVED
}
