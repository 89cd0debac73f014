package io.meshwatch.network;

/** Per-router roll-up of its sessions. */
public record RouterSummary(String router, int sessions, int established) {
}
