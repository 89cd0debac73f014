package io.meshwatch.detect;

/**
 * A tunnel's effective status. DOWN when its last tunnel state is down, its BGP session is known
 * and not established, or the circuit it rides is down; otherwise UP when its tunnel state is up or
 * its session is established; UNKNOWN when nothing has been heard.
 */
public enum TunnelStatus {
    UNKNOWN,
    UP,
    DOWN
}
