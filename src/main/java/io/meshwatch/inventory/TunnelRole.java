package io.meshwatch.inventory;

/** A tunnel's role in its group. */
public enum TunnelRole {
    PRIMARY,
    BACKUP
}
