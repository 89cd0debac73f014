package io.meshwatch.detect;

import io.meshwatch.event.BgpState;
import java.time.Instant;

/**
 * The detection view of one BGP session (the API's main session view is
 * {@link io.meshwatch.network.NetworkState}; this one adds what detection knows).
 *
 * @param since    event time the session entered {@code state}
 * @param flaps    times it left {@code established} since Meshwatch started watching it
 * @param flapping true while {@code BgpSessionFlapping} fires for it
 * @param circuit  the circuit it rides, or null
 * @param tunnel   the tunnel it runs over, or null
 */
public record SessionView(String router, String vrf, String peer, long peerAs, BgpState state, Instant since,
                          long flaps, boolean flapping, String circuit, String tunnel) {
}
